import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import { BatchGetCommand, DynamoDBDocumentClient, type BatchGetCommandOutput } from "@aws-sdk/lib-dynamodb";
import { sentEmails, type StoredEmail } from "../../../local/emulators/email-store";
import { EXAMPLE_ORDER } from "../../../handlers/order/example-order";

/** A valid order whose customer has this (unique) email address, so its confirmation can be found. */
export function orderFor(email: string, name = "Ada Lovelace") {
    return { ...EXAMPLE_ORDER, customer: { email, name } };
}

/** One answer of the local API. */
export interface ApiAnswer {
    readonly status: number;
    readonly contentType: string | null;
    readonly location: string | null;
    readonly body: any;
    readonly text: string;
}

/** Sends a request to the local API and reads the answer (JSON when it parses). */
export async function call(url: string, init: RequestInit = {}): Promise<ApiAnswer> {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch {
        body = undefined;
    }
    return { status: response.status, contentType: response.headers.get("content-type"), location: response.headers.get("location"), body, text };
}

/** `POST /orders` with a JSON body. */
export function postOrder(apiUrl: string, order: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    return call(`${apiUrl}/orders`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(order) });
}

/** The emails the SES emulator holds from `sender`, grouped by recipient. */
export async function emailsByRecipient(sesEndpoint: string, sender: string): Promise<Map<string, StoredEmail[]>> {
    const byRecipient = new Map<string, StoredEmail[]>();
    for (const email of await sentEmails(sesEndpoint)) {
        if (email.from !== sender) continue;
        for (const to of email.destination.to) byRecipient.set(to, [...(byRecipient.get(to) ?? []), email]);
    }
    return byRecipient;
}

/** Reads orders straight from the table (not through GetOrder), 100 keys per BatchGetItem. */
export async function readOrders(dynamodb: DynamoDBClient, tableName: string, orderIds: readonly string[]): Promise<Map<string, Record<string, any>>> {
    const doc = DynamoDBDocumentClient.from(dynamodb);
    const found = new Map<string, Record<string, any>>();
    for (let i = 0; i < orderIds.length; i += 100) {
        let keys: Array<Record<string, any>> | undefined = orderIds.slice(i, i + 100).map((id) => ({ orderId: id }));
        while (keys && keys.length > 0) {
            const answer: BatchGetCommandOutput = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
            for (const order of answer.Responses?.[tableName] ?? []) found.set(order.orderId as string, order);
            keys = answer.UnprocessedKeys?.[tableName]?.Keys;
        }
    }
    return found;
}

/** Receives every message of a queue (hiding each for `hideSeconds`), with all attributes. */
export async function receiveAll(sqs: SQSClient, queueUrl: string, expected: number, hideSeconds = 60): Promise<Message[]> {
    const messages = new Map<string, Message>();
    for (let empty = 0; messages.size < expected && empty < 5; ) {
        const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({
                QueueUrl: queueUrl,
                MaxNumberOfMessages: 10,
                WaitTimeSeconds: 1,
                VisibilityTimeout: hideSeconds,
                MessageAttributeNames: ["All"],
                MessageSystemAttributeNames: ["All"],
            }),
        );
        if (Messages.length === 0) empty++;
        for (const m of Messages) messages.set(m.MessageId!, m);
    }
    return [...messages.values()];
}
