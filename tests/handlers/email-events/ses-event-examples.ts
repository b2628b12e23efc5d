/**
 * SES event-publishing records as the SES developer guide shows them ("Examples of event data that
 * Amazon SES publishes to Amazon SNS": Bounce, Complaint, Delivery and Reject records), with the
 * `orderId` tag ProcessOrder adds, and wrapped in the SNS notification envelope that the
 * email-events queue receives (the subscription does not use raw message delivery).
 */
import { randomUUID } from "node:crypto";

/** The message id of the guide's examples. */
export const EXAMPLE_MESSAGE_ID = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000";

/** The addresses in the examples: none may ever reach the table or a log line. */
export const EXAMPLE_ADDRESSES = ["recipient@example.com", "sender@example.com"];

function mail(timestamp: string, tags: Record<string, string[]>) {
    return {
        timestamp,
        source: "Sender Name <sender@example.com>",
        sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/sender@example.com",
        sendingAccountId: "123456789012",
        messageId: EXAMPLE_MESSAGE_ID,
        destination: ["recipient@example.com"],
        headersTruncated: false,
        headers: [
            { name: "From", value: "Sender Name <sender@example.com>" },
            { name: "To", value: "recipient@example.com" },
            { name: "Subject", value: "Message sent from Amazon SES" },
            { name: "MIME-Version", value: "1.0" },
            { name: "Content-Type", value: 'multipart/alternative; boundary="----=_Part_7307378_1629847660.1516840721503"' },
        ],
        commonHeaders: {
            from: ["Sender Name <sender@example.com>"],
            to: ["recipient@example.com"],
            messageId: EXAMPLE_MESSAGE_ID,
            subject: "Message sent from Amazon SES",
        },
        tags: {
            "ses:configuration-set": ["ConfigSet"],
            "ses:source-ip": ["192.0.2.0"],
            "ses:from-domain": ["example.com"],
            "ses:caller-identity": ["ses_user"],
            ...tags,
        },
    };
}

/** What an example is made for: the order it names and the email SES knows it by. */
export interface ExampleTarget {
    readonly orderId: string;
    readonly messageId?: string;
}

/** The record for this target; without one, the guide's record as it stands (no `orderId` tag). */
function withTarget<T extends { mail: { messageId: string; tags: Record<string, string[]> } }>(record: T, target: ExampleTarget | undefined): T {
    if (target === undefined) return record;
    return { ...record, mail: { ...record.mail, messageId: target.messageId ?? EXAMPLE_MESSAGE_ID, tags: { ...record.mail.tags, orderId: [target.orderId] } } };
}

/** The guide's Bounce record (Permanent, General); `bounce` overrides its type, subtype or time. */
export function bounceRecord(target?: ExampleTarget, bounce: Partial<{ bounceType: string; bounceSubType: string; timestamp: string }> = {}) {
    return withTarget(
        {
            eventType: "Bounce",
            bounce: {
                bounceType: "Permanent",
                bounceSubType: "General",
                bouncedRecipients: [{ emailAddress: "recipient@example.com", action: "failed", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" }],
                timestamp: "2017-08-05T00:41:02.669Z",
                feedbackId: "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
                reportingMTA: "dsn; mta.example.com",
                ...bounce,
            },
            mail: mail("2017-08-05T00:40:02.012Z", {}),
        },
        target,
    );
}

/** The guide's Complaint record. */
export function complaintRecord(target?: ExampleTarget, timestamp = "2017-08-05T00:41:02.669Z") {
    return withTarget(
        {
            eventType: "Complaint",
            complaint: {
                complainedRecipients: [{ emailAddress: "recipient@example.com" }],
                timestamp,
                feedbackId: "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
                userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.90 Safari/537.36",
                complaintFeedbackType: "abuse",
                arrivalDate: "2017-08-05T00:41:02.669Z",
            },
            mail: mail("2017-08-05T00:40:01.123Z", {}),
        },
        target,
    );
}

/** The guide's Delivery record. */
export function deliveryRecord(target?: ExampleTarget, timestamp = "2016-10-19T23:21:04.133Z") {
    return withTarget(
        {
            eventType: "Delivery",
            mail: mail("2016-10-19T23:20:52.240Z", { "ses:outgoing-ip": ["192.0.2.0"], myCustomTag1: ["myCustomTagValue1"] }),
            delivery: {
                timestamp,
                processingTimeMillis: 11893,
                recipients: ["recipient@example.com"],
                smtpResponse: "250 2.6.0 Message received",
                reportingMTA: "mta.example.com",
            },
        },
        target,
    );
}

/** The guide's Reject record: the time is the mail's, a reject object holds only a reason. */
export function rejectRecord(target?: ExampleTarget, timestamp = "2016-10-14T17:38:15.211Z") {
    return withTarget({ eventType: "Reject", mail: mail(timestamp, {}), reject: { reason: "Bad content" } }, target);
}

/** The guide's Send record: an event type the pipeline does not subscribe to. */
export function sendRecord(target?: ExampleTarget) {
    return withTarget({ eventType: "Send", mail: mail("2016-10-14T05:02:16.645Z", {}), send: {} }, target);
}

/** The topic of the test envelopes. */
export const EXAMPLE_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:shop-email-events";

/** An SES record as the queue receives it: in an SNS notification envelope, `Message` a JSON string. */
export function snsEnvelope(message: unknown, snsMessageId: string = randomUUID()): string {
    return JSON.stringify({
        Type: "Notification",
        MessageId: snsMessageId,
        TopicArn: EXAMPLE_TOPIC_ARN,
        Subject: "Amazon SES Email Event Notification",
        Message: typeof message === "string" ? message : JSON.stringify(message),
        Timestamp: "2017-08-05T00:41:03.000Z",
        SignatureVersion: "1",
        Signature: "EXAMPLEpH+..",
        SigningCertURL: "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
        UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${EXAMPLE_TOPIC_ARN}:0000`,
    });
}
