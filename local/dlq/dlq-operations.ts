import { GetQueueAttributesCommand, PurgeQueueCommand, StartMessageMoveTaskCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { dlqEntry, EMPTY_QUEUE_WAIT_SECONDS, orderIdOf, peekMessages, type DlqEntry } from "./dlq-messages";
import { readFailuresFromCloudWatch, readFailuresFromFile, type MessageFailures } from "./failure-log";
import { redrive, type RedriveResult } from "./redrive";
import type { RedriveTarget } from "./redrive-target";

/** What the DLQ operations need. */
export interface DlqContext {
    readonly sqs: SQSClient;
    readonly target: RedriveTarget;
    /** Reads ProcessOrder's CloudWatch Logs group (a deployed stack); absent in local mode. */
    readonly logs?: CloudWatchLogsClient;
    /** Long-poll wait, in seconds, of the receives that read the DLQ; defaults to {@link EMPTY_QUEUE_WAIT_SECONDS}. */
    readonly pollWaitSeconds?: number;
}

/** The failure lines of the queue's function for the messages, from local mode's log file or CloudWatch Logs. */
async function failuresFor(context: DlqContext, messages: readonly Message[]): Promise<Map<string, MessageFailures>> {
    const where = context.target.failureLog;
    if (where === undefined || messages.length === 0) return new Map();
    const { failureMessage } = context.target;
    if ("file" in where) return readFailuresFromFile(where.file, failureMessage);
    if (!context.logs) return new Map();
    const since = Math.min(...messages.map((m) => Number(m.Attributes?.SentTimestamp ?? Date.now())));
    return readFailuresFromCloudWatch(context.logs, where.logGroup, since, failureMessage);
}

/** Every message in the DLQ with its order id, receive count, failed receives and last reason. */
export async function listDlq(context: DlqContext): Promise<DlqEntry[]> {
    const messages = await peekMessages(context.sqs, context.target.dlqUrl, undefined, context.pollWaitSeconds);
    const failures = await failuresFor(context, messages);
    return messages.map((m) => dlqEntry(m, failures.get(m.MessageId!)));
}

/** One DLQ message with every failure logged for it; undefined when the DLQ does not hold it. */
export async function showDlqMessage(context: DlqContext, messageId: string): Promise<{ message: Message; entry: DlqEntry; failures: MessageFailures | undefined } | undefined> {
    const messages = await peekMessages(context.sqs, context.target.dlqUrl, undefined, context.pollWaitSeconds);
    const message = messages.find((m) => m.MessageId === messageId);
    if (!message) return undefined;
    const failures = (await failuresFor(context, [message])).get(messageId);
    return { message, entry: dlqEntry(message, failures), failures };
}

/** How many messages the DLQ holds (visible and in flight). */
export async function countDlq(context: DlqContext): Promise<number> {
    const { Attributes } = await context.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: context.target.dlqUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/**
 * Deletes every message in the DLQ (PurgeQueue on the DLQ's URL, and on nothing else). Refuses when
 * the DLQ and the order queue are one URL: a purge must never reach accepted orders.
 */
export async function purgeDlq(context: DlqContext): Promise<void> {
    if (context.target.dlqUrl === context.target.queueUrl) throw new Error("the dead-letter queue and the order queue are the same URL: refusing to purge");
    await context.sqs.send(new PurgeQueueCommand({ QueueUrl: context.target.dlqUrl }));
}

async function arnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
    if (!Attributes?.QueueArn) throw new Error(`${queueUrl} has no QueueArn`);
    return Attributes.QueueArn;
}

/** What `dlq redrive` did: an SQS move task it started, or the messages it moved itself. */
export type DlqRedriveOutcome = { readonly kind: "move-task"; readonly taskHandle: string } | { readonly kind: "moved"; readonly result: RedriveResult };

/**
 * Moves DLQ messages back to the order queue at most `rate` per second. On AWS, all of them and
 * without `--max`, SQS's own StartMessageMoveTask does it (SQS keeps the rate and the message
 * attributes); for one order (`--order`), for at most `--max` messages, or on an emulator without
 * the API, the messages are sent and deleted one batch after another by {@link redrive}.
 */
export async function redriveDlq(
    context: DlqContext,
    options: { readonly rate: number; readonly max?: number; readonly orderId?: string; readonly onProgress?: (progress: RedriveResult) => void },
): Promise<DlqRedriveOutcome> {
    const { sqs, target } = context;
    if (target.endpoint === undefined && options.orderId === undefined && options.max === undefined) {
        const [sourceArn, destinationArn] = await Promise.all([arnOf(sqs, target.dlqUrl), arnOf(sqs, target.queueUrl)]);
        const { TaskHandle } = await sqs.send(
            // StartMessageMoveTask takes a whole number of messages per second, at most 500.
            new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn, MaxNumberOfMessagesPerSecond: Math.max(1, Math.min(500, Math.floor(options.rate))) }),
        );
        return { kind: "move-task", taskHandle: TaskHandle ?? "" };
    }
    const result = await redrive({
        sqs,
        fromQueueUrl: target.dlqUrl,
        toQueueUrl: target.queueUrl,
        ratePerSecond: options.rate,
        ...(context.pollWaitSeconds !== undefined ? { pollWaitSeconds: context.pollWaitSeconds } : {}),
        ...(options.max !== undefined ? { max: options.max } : {}),
        ...(options.orderId !== undefined ? { filter: (m: Message) => orderIdOf(m) === options.orderId } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { kind: "moved", result };
}
