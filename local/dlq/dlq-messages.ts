import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { MessageFailures } from "./failure-log";

/** SQS receives and changes at most 10 messages per call. */
const SQS_BATCH_LIMIT = 10;

/** Seconds a peeked message stays hidden while the DLQ is read; each is made visible again right after. */
const PEEK_VISIBILITY_SECONDS = 30;

/** Long-poll wait, in seconds, of the receive whose empty answer ends a read of a queue: SQS's shortest long poll. */
export const EMPTY_QUEUE_WAIT_SECONDS = 1;

/**
 * Reads every message in a queue without removing any: receives them all (each hidden while the
 * rest are read, so none comes twice), then makes them visible again at once. Receiving counts as a
 * receive in the DLQ, which has no redrive policy of its own, so nothing moves. `waitSeconds` is
 * the long poll of each receive (an emulator with a single server may take a fraction of a second).
 */
export async function peekMessages(sqs: SQSClient, queueUrl: string, max = 1000, waitSeconds = EMPTY_QUEUE_WAIT_SECONDS): Promise<Message[]> {
    const messages: Message[] = [];
    try {
        // A long poll consults every SQS server, so one empty answer means nothing more is visible.
        for (;;) {
            if (messages.length >= max) break;
            const { Messages = [] } = await sqs.send(
                new ReceiveMessageCommand({
                    QueueUrl: queueUrl,
                    MaxNumberOfMessages: SQS_BATCH_LIMIT,
                    WaitTimeSeconds: waitSeconds,
                    VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
                    MessageSystemAttributeNames: ["All"],
                    MessageAttributeNames: ["All"],
                }),
            );
            if (Messages.length === 0) break;
            messages.push(...Messages);
        }
    } finally {
        for (let i = 0; i < messages.length; i += SQS_BATCH_LIMIT) {
            const chunk = messages.slice(i, i + SQS_BATCH_LIMIT);
            await sqs
                .send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) }))
                .catch(() => undefined);
        }
    }
    return messages;
}

/**
 * The order id a message names: an order message's `orderId`, or for an email event (an SNS
 * envelope whose Message is SES's record) the email's `orderId` tag.
 */
export function orderIdOf(message: Message): string | undefined {
    try {
        const body = JSON.parse(message.Body ?? "") as { orderId?: unknown; Type?: unknown; Message?: unknown };
        if (typeof body.orderId === "string") return body.orderId;
        if (body.Type !== "Notification" || typeof body.Message !== "string") return undefined;
        const tag = (JSON.parse(body.Message) as { mail?: { tags?: { orderId?: unknown } } }).mail?.tags?.orderId;
        return Array.isArray(tag) && typeof tag[0] === "string" ? tag[0] : undefined;
    } catch {
        return undefined;
    }
}

/** One line of `dlq list`. */
export interface DlqEntry {
    readonly messageId: string;
    readonly orderId: string | undefined;
    /** Receives on the order queue before the message moved to the DLQ. */
    readonly receiveCount: number | undefined;
    readonly firstReceivedAt: string | undefined;
    readonly lastReceivedAt: string | undefined;
    readonly lastFailureReason: string | undefined;
}

/**
 * What `dlq list` shows of a message: its order id (from the body), and from ProcessOrder's
 * failure lines its receive count, first and last failed receive and the last failure's reason.
 * Without a failure line (log expired or not readable) the first receive comes from SQS's
 * ApproximateFirstReceiveTimestamp and the rest is unknown.
 */
export function dlqEntry(message: Message, failures: MessageFailures | undefined): DlqEntry {
    const firstReceive = message.Attributes?.ApproximateFirstReceiveTimestamp;
    return {
        messageId: message.MessageId!,
        orderId: orderIdOf(message) ?? failures?.orderId,
        receiveCount: failures?.receiveCount,
        firstReceivedAt: failures?.firstFailedAt ?? (firstReceive ? new Date(Number(firstReceive)).toISOString() : undefined),
        lastReceivedAt: failures?.lastFailedAt,
        lastFailureReason: failures?.lastReason,
    };
}
