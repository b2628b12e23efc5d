import {
    ChangeMessageVisibilityBatchCommand,
    DeleteMessageBatchCommand,
    GetQueueAttributesCommand,
    ReceiveMessageCommand,
    SendMessageBatchCommand,
    type Message,
    type MessageAttributeValue,
    type SQSClient,
} from "@aws-sdk/client-sqs";
import { EMPTY_QUEUE_WAIT_SECONDS } from "./dlq-messages";

/** Settings of {@link redrive}. */
export interface RedriveOptions {
    readonly sqs: SQSClient;
    /** The dead-letter queue to empty. */
    readonly fromQueueUrl: string;
    /** The queue the messages go back to. */
    readonly toQueueUrl: string;
    /** Most messages moved per second. Defaults to 10. */
    readonly ratePerSecond?: number;
    /**
     * Most messages to move. Defaults to the number the DLQ holds when the redrive starts, so that
     * messages which fail again and come back during the redrive are not moved in circles.
     */
    readonly max?: number;
    /**
     * Long-poll wait of each receive, in seconds; two empty answers end the redrive. Defaults to 1,
     * SQS's shortest long poll (which asks every server); an emulator with a single server may take
     * a fraction of a second.
     */
    readonly pollWaitSeconds?: number;
    /** Seconds a received message stays hidden while it is being moved. Defaults to 60. */
    readonly visibilityTimeoutSeconds?: number;
    /**
     * Moves only the messages this accepts (e.g. one order's); the others stay in the DLQ, hidden
     * until the redrive ends so that they are not received again, then visible at once.
     */
    readonly filter?: (message: Message) => boolean;
    /** Called after each batch with the counts so far. */
    readonly onProgress?: (progress: RedriveResult) => void;
    /** Waits between batches (for the rate limit); replaceable in tests. Defaults to setTimeout. */
    readonly sleep?: (ms: number) => Promise<void>;
    /** The clock the rate limit reads; replaceable in tests. Defaults to Date.now. */
    readonly now?: () => number;
}

/** What a redrive did. */
export interface RedriveResult {
    /** Sent to the target queue and deleted from the DLQ. */
    moved: number;
    /** Sent to the target but not deleted from the DLQ: they exist twice (processing is idempotent). */
    movedNotDeleted: number;
    /** Not sent; left in the DLQ (visible again at once). */
    failed: number;
    /** Why messages failed, one line per cause. */
    errors: string[];
}

/** SQS sends, receives and deletes at most 10 messages per batch call. */
const SQS_BATCH_LIMIT = 10;

/** Message attributes as SendMessage takes them: data type and a string or binary value only. */
function sendableAttributes(attributes: Message["MessageAttributes"]): Record<string, MessageAttributeValue> | undefined {
    if (!attributes || Object.keys(attributes).length === 0) return undefined;
    const result: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(attributes)) {
        result[name] = {
            DataType: value.DataType,
            ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
            ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
        };
    }
    return result;
}

async function approximateCount(sqs: SQSClient, queueUrl: string): Promise<number> {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

/**
 * Moves messages from a dead-letter queue back to a queue, rate-limited. Each message is sent
 * first (same body, same message attributes) and deleted from the DLQ only once the send
 * succeeded, so a failure at any point never loses a message: at worst one exists in both queues,
 * which the idempotent consumer tolerates. A message whose send fails is made visible in the DLQ
 * again at once. Works against local mode's emulator and against a deployed queue alike.
 */
export async function redrive(options: RedriveOptions): Promise<RedriveResult> {
    const rate = options.ratePerSecond ?? 10;
    if (!(rate > 0)) throw new Error(`ratePerSecond must be positive, got ${rate}`);
    if (options.max !== undefined && !(Number.isInteger(options.max) && options.max >= 0)) throw new Error(`max must be a whole number, got ${options.max}`);
    if (options.fromQueueUrl === options.toQueueUrl) throw new Error("fromQueueUrl and toQueueUrl are the same queue");
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const now = options.now ?? Date.now;
    const { sqs } = options;
    const max = options.max ?? (await approximateCount(sqs, options.fromQueueUrl));
    const perBatch = Math.max(1, Math.min(SQS_BATCH_LIMIT, Math.floor(rate)));
    const result: RedriveResult = { moved: 0, movedNotDeleted: 0, failed: 0, errors: [] };
    // Messages already sent whose delete failed: if they come back, delete them without sending again.
    const sentNotDeleted = new Set<string>();
    const startedAt = now();
    let handled = 0;
    let emptyReceives = 0;
    // Messages the filter left in the DLQ: released when the redrive ends.
    const skipped: Message[] = [];

    while (handled < max) {
        // Rate limit: message n may leave no earlier than n / rate seconds after the start.
        const due = startedAt + (handled / rate) * 1000 - now();
        if (due > 0) await sleep(due);

        let { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({
                QueueUrl: options.fromQueueUrl,
                MaxNumberOfMessages: Math.min(perBatch, max - handled),
                // A long poll consults every SQS server, so an empty answer means the queue is empty.
                WaitTimeSeconds: options.pollWaitSeconds ?? EMPTY_QUEUE_WAIT_SECONDS,
                VisibilityTimeout: options.visibilityTimeoutSeconds ?? 60,
                MessageAttributeNames: ["All"],
            }),
        );
        if (Messages.length === 0) {
            if (++emptyReceives >= 2) break;
            continue;
        }
        emptyReceives = 0;
        if (options.filter) {
            const kept = Messages.filter((m) => !options.filter!(m));
            skipped.push(...kept);
            Messages = Messages.filter((m) => options.filter!(m));
            if (Messages.length === 0) continue;
        }
        handled += Messages.length;

        const toSend = Messages.filter((m) => !sentNotDeleted.has(m.MessageId!));
        const sent: Message[] = Messages.filter((m) => sentNotDeleted.has(m.MessageId!));
        const notSent: Message[] = [];
        if (toSend.length > 0) {
            try {
                const answer = await sqs.send(
                    new SendMessageBatchCommand({
                        QueueUrl: options.toQueueUrl,
                        Entries: toSend.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? "", MessageAttributes: sendableAttributes(m.MessageAttributes) })),
                    }),
                );
                for (const ok of answer.Successful ?? []) sent.push(toSend[Number(ok.Id)]);
                for (const bad of answer.Failed ?? []) {
                    notSent.push(toSend[Number(bad.Id)]);
                    result.errors.push(`send ${toSend[Number(bad.Id)].MessageId}: ${bad.Code} ${bad.Message ?? ""}`.trim());
                }
            } catch (err) {
                notSent.push(...toSend);
                result.errors.push(`send: ${(err as Error).message}`);
            }
        }

        if (notSent.length > 0) {
            result.failed += notSent.length;
            // Visible again at once in the DLQ, rather than after the visibility timeout.
            await sqs
                .send(
                    new ChangeMessageVisibilityBatchCommand({
                        QueueUrl: options.fromQueueUrl,
                        Entries: notSent.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
                    }),
                )
                .catch(() => undefined);
        }

        if (sent.length > 0) {
            let deleted = new Set<string>();
            try {
                const answer = await sqs.send(
                    new DeleteMessageBatchCommand({
                        QueueUrl: options.fromQueueUrl,
                        Entries: sent.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
                    }),
                );
                deleted = new Set((answer.Successful ?? []).map((ok) => sent[Number(ok.Id)].MessageId!));
                for (const bad of answer.Failed ?? []) result.errors.push(`delete ${sent[Number(bad.Id)].MessageId}: ${bad.Code} ${bad.Message ?? ""}`.trim());
            } catch (err) {
                result.errors.push(`delete: ${(err as Error).message}`);
            }
            for (const m of sent) {
                if (deleted.has(m.MessageId!)) {
                    if (sentNotDeleted.delete(m.MessageId!)) result.movedNotDeleted--;
                    result.moved++;
                } else if (!sentNotDeleted.has(m.MessageId!)) {
                    sentNotDeleted.add(m.MessageId!);
                    result.movedNotDeleted++;
                }
            }
        }
        options.onProgress?.({ ...result, errors: [...result.errors] });
        // A batch that sent nothing means the target refuses: stop rather than spin on the same messages.
        if (sent.length === 0) break;
    }
    for (let i = 0; i < skipped.length; i += SQS_BATCH_LIMIT) {
        const chunk = skipped.slice(i, i + SQS_BATCH_LIMIT);
        await sqs
            .send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: options.fromQueueUrl, Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) }))
            .catch(() => undefined);
    }
    return result;
}
