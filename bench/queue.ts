import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { LOCAL_REGION } from "../local/lambda/lambda-environment";
import { toSqsEvent } from "../local/worker/sqs-event";
import type { Side } from "./entries";
import type { BenchStack } from "./stack";

/** SQS returns and deletes at most 10 messages per call. */
const SQS_BATCH_LIMIT = 10;

/**
 * Takes exactly `count` messages off a side's queue, with every attribute, as the event source
 * mapping receives them. They stay invisible for the queue's visibility timeout. Throws when the
 * queue runs dry first: a benchmark must not measure fewer orders than it says.
 */
export async function receiveMessages(stack: BenchStack, side: Side, count: number): Promise<Message[]> {
    const messages: Message[] = [];
    while (messages.length < count) {
        const { Messages } = await stack.sqs.send(
            new ReceiveMessageCommand({
                QueueUrl: stack.resources[side].queueUrl,
                MaxNumberOfMessages: Math.min(SQS_BATCH_LIMIT, count - messages.length),
                MessageAttributeNames: ["All"],
                MessageSystemAttributeNames: ["All"],
                WaitTimeSeconds: 1,
            }),
        );
        if (!Messages || Messages.length === 0) throw new Error(`${side}: the queue ran dry after ${messages.length} of ${count} messages`);
        messages.push(...Messages);
    }
    return messages;
}

/** The SQS event Lambda would build from these messages of a side's queue. */
export function sqsEventOf(stack: BenchStack, side: Side, messages: readonly Message[]): SQSEvent {
    return toSqsEvent(messages, { arn: stack.resources[side].queueArn, region: LOCAL_REGION });
}

/** Deletes the records of an event from a side's queue, as the event source mapping does after success. */
export async function deleteRecords(stack: BenchStack, side: Side, event: SQSEvent): Promise<void> {
    for (let i = 0; i < event.Records.length; i += SQS_BATCH_LIMIT) {
        await stack.sqs.send(
            new DeleteMessageBatchCommand({
                QueueUrl: stack.resources[side].queueUrl,
                Entries: event.Records.slice(i, i + SQS_BATCH_LIMIT).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
            }),
        );
    }
}
