import type { Message } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from "aws-lambda";

/** The queue an event source mapping reads. */
export interface EventSourceQueue {
    readonly arn: string;
    readonly region: string;
}

/** Message attributes in the shape Lambda delivers them (camelCase, list fields present and empty). */
function toLambdaAttributes(attributes: Message["MessageAttributes"]): SQSMessageAttributes {
    const result: SQSMessageAttributes = {};
    for (const [name, value] of Object.entries(attributes ?? {})) {
        result[name] = {
            ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
            ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
            stringListValues: [],
            binaryListValues: [],
            dataType: value.DataType ?? "String",
        };
    }
    return result;
}

/**
 * One SQS event record, as Lambda's event source mapping builds it from a received message:
 * system attributes (receive count, sent and first-receive timestamps, sender), message
 * attributes, MD5 digests, and the source queue.
 */
export function toSqsRecord(message: Message, queue: EventSourceQueue): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
        messageId: message.MessageId!,
        receiptHandle: message.ReceiptHandle!,
        body: message.Body ?? "",
        attributes: {
            ...attributes,
            ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
            SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
            SenderId: attributes.SenderId ?? "local",
            ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        },
        messageAttributes: toLambdaAttributes(message.MessageAttributes),
        md5OfBody: message.MD5OfBody ?? "",
        ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
        eventSource: "aws:sqs",
        eventSourceARN: queue.arn,
        awsRegion: queue.region,
    };
}

/** The event for one batch of received messages. */
export function toSqsEvent(messages: readonly Message[], queue: EventSourceQueue): SQSEvent {
    return { Records: messages.map((m) => toSqsRecord(m, queue)) };
}
