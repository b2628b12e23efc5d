import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import type { ConfirmationEmail } from "../order/confirmation-email";
import { ORDER_ID_EMAIL_TAG } from "../order/email-tags";

/** Sends one order's email and returns the provider's message id. */
export type EmailSender = (email: ConfirmationEmail, orderId: string) => Promise<string>;

/**
 * An email that can never be sent, whatever the retries: its text is not well-formed Unicode,
 * or SES refused its content. The order is marked FAILED with {@link reason} rather than retried.
 */
export class UnsendableEmailError extends Error {
    override readonly name = "UnsendableEmailError";
    /** Why, without customer data: it is stored on the order and shown by `GET /orders/{orderId}`. */
    readonly reason: string;

    constructor(reason: string, options?: ErrorOptions) {
        super(`the confirmation email cannot be sent: ${reason}`, options);
        this.reason = reason;
    }
}

/** C0 controls but line feed, DEL, C1 controls, and the line and paragraph separators: never in an email. */
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029]/;
/** The same, line feed included: the one-line parts (recipient, subject). */
const CONTROL_OR_LINE_FEED = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

/** In a `u` regular expression a surrogate matches as a code point of its own only when unpaired. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** A single recipient address as the order schema admits it: one @, a dot in the domain, no spaces. */
const ADDRESS = /^[^\s@"]+@[^\s@"]+\.[^\s@"]+$/;

/**
 * Checks an email before it is handed to SES: every part well-formed Unicode (a lone surrogate has
 * no UTF-8 form), no control characters (the text part keeps its line feeds) and one plain address.
 * The order schema already refuses such text; this guards orders stored before it did, and any
 * caller that did not validate, so that SES only ever sees a request it can carry.
 */
export function assertSendable(email: ConfirmationEmail): void {
    const parts: Array<[string, string]> = [["recipient", email.to], ["subject", email.subject], ["text", email.text], ["html", email.html]];
    for (const [part, value] of parts) {
        if (LONE_SURROGATE.test(value)) throw new UnsendableEmailError(`its ${part} is not well-formed Unicode (an unpaired surrogate)`);
        if ((part === "text" || part === "html" ? CONTROL : CONTROL_OR_LINE_FEED).test(value)) {
            throw new UnsendableEmailError(`its ${part} holds a control character`);
        }
    }
    if (!ADDRESS.test(email.to)) throw new UnsendableEmailError("its recipient is not a single plain address");
}

/**
 * SES errors that no retry can cure for this email: SES refused its content. Account-wide refusals
 * (sending paused, unverified sender, throttling) stay retryable and reach the DLQ instead, where an
 * operator can redrive them once the account is fixed.
 */
const PERMANENT_SES_ERRORS = new Set(["MessageRejected"]);

/**
 * An {@link EmailSender} on Amazon SES API v2 (`SendEmail` with simple content): plain text and HTML
 * parts, UTF-8, from the configured, verified `source` (e.g. `shop@example.com` or
 * `Shop <shop@example.com>`). API v2 speaks JSON: each request is serialized on its own, so a
 * request that fails while being built cannot leave part of itself in the next one, as the query
 * protocol of API v1 does (its serializer keeps a buffer across requests). IAM: `ses:SendEmail` on
 * the identity, the same action as API v1. With a configuration set, every email names it, so that
 * SES publishes its bounce, complaint, delivery and reject events, each carrying the email's
 * `orderId` tag.
 */
export function sesEmailSender(ses: SESv2Client, source: string, configurationSetName?: string): EmailSender {
    return async (email, orderId) => {
        assertSendable(email);
        let result;
        try {
            result = await ses.send(
                new SendEmailCommand({
                    FromEmailAddress: source,
                    Destination: { ToAddresses: [email.to] },
                    Content: {
                        Simple: {
                            Subject: { Data: email.subject, Charset: "UTF-8" },
                            Body: {
                                Text: { Data: email.text, Charset: "UTF-8" },
                                Html: { Data: email.html, Charset: "UTF-8" },
                            },
                        },
                    },
                    EmailTags: [{ Name: ORDER_ID_EMAIL_TAG, Value: orderId }],
                    ...(configurationSetName === undefined ? {} : { ConfigurationSetName: configurationSetName }),
                }),
            );
        } catch (err) {
            if (err instanceof Error && PERMANENT_SES_ERRORS.has(err.name)) throw new UnsendableEmailError(`SES refused it (${err.name})`, { cause: err });
            throw err;
        }
        if (!result.MessageId) throw new Error("SES accepted the email but returned no MessageId");
        return result.MessageId;
    };
}
