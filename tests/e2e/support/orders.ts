import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Agent, request } from "node:http";
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

/** What {@link call} sends besides the URL: the method (GET by default), headers and a body. */
export interface CallInit {
    readonly method?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string | Uint8Array;
}

/** Answers slower than this fail the request: a hung API must not hang the test until its own timeout. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * Keep-alive connections shared by every call, as a browser or `fetch` keeps them. Idle ones do not
 * hold the process open (Node unrefs them), and a server that stops closes them.
 */
const keepAlive = new Agent({ keepAlive: true });

/**
 * Sends a request to the local API over node:http and reads the answer (JSON when it parses). The
 * body goes out whole with its Content-Length, the headers as given and nothing else: node:http
 * costs a test a third of what `fetch` costs per request, and these files send thousands.
 */
export function call(url: string, init: CallInit = {}): Promise<ApiAnswer> {
    return new Promise((resolve, reject) => {
        const body = typeof init.body === "string" ? Buffer.from(init.body) : init.body;
        const headers: Record<string, string | number> = { ...init.headers };
        if (body !== undefined) headers["content-length"] = body.length;
        const req = request(url, { method: init.method ?? "GET", headers, agent: keepAlive }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("error", fail);
            res.on("end", () => {
                clearTimeout(timer);
                const text = Buffer.concat(chunks).toString("utf8");
                let parsed: unknown;
                try {
                    parsed = JSON.parse(text);
                } catch {
                    parsed = undefined;
                }
                const header = (name: string) => res.headers[name] ?? null;
                resolve({ status: res.statusCode!, contentType: header("content-type") as string | null, location: header("location") as string | null, body: parsed, text });
            });
        });
        function fail(err: Error) {
            clearTimeout(timer);
            reject(err);
        }
        const timer = setTimeout(() => req.destroy(new Error(`${init.method ?? "GET"} ${url} got no answer in ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
        req.on("error", fail);
        req.end(body);
    });
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
