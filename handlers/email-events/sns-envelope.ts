/**
 * The body of a message on the email-events queue: the SNS notification envelope (the
 * subscription does not use raw message delivery), whose `Message` is the SES event as a JSON
 * string. Only `Type: "Notification"` is accepted; the envelope's `TopicArn` and `MessageId` are
 * kept for the logs.
 */

/** A notification SNS delivered to the queue. */
export interface SnsNotification {
    /** SNS's id of the notification: a redelivery by SNS carries the same id. */
    readonly snsMessageId: string;
    readonly topicArn: string;
    /** The published message: here the SES event JSON. */
    readonly message: string;
}

/** The envelope, or why the body is not one. */
export type ParsedSnsEnvelope = { readonly ok: true; readonly notification: SnsNotification } | { readonly ok: false; readonly reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads an SQS message body as an SNS notification envelope; never throws. */
export function parseSnsEnvelope(body: string): ParsedSnsEnvelope {
    let value: unknown;
    try {
        value = JSON.parse(body);
    } catch {
        return { ok: false, reason: "the message body is not JSON" };
    }
    if (!isObject(value)) return { ok: false, reason: "the message body is not a JSON object" };
    if (value.Type !== "Notification") {
        return { ok: false, reason: `the message body is not an SNS notification (Type ${JSON.stringify(value.Type ?? null).slice(0, 40)})` };
    }
    if (typeof value.Message !== "string") return { ok: false, reason: "the SNS notification has no Message string" };
    if (typeof value.MessageId !== "string" || typeof value.TopicArn !== "string") {
        return { ok: false, reason: "the SNS notification lacks MessageId or TopicArn" };
    }
    return { ok: true, notification: { snsMessageId: value.MessageId, topicArn: value.TopicArn, message: value.Message } };
}
