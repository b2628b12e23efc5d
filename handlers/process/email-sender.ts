import { SendEmailCommand, type SESClient } from "@aws-sdk/client-ses";
import type { ConfirmationEmail } from "../order/confirmation-email";

/** Sends one email and returns the provider's message id. */
export type EmailSender = (email: ConfirmationEmail) => Promise<string>;

/**
 * An {@link EmailSender} on Amazon SES (`SendEmail`, API v1): plain text and HTML parts, UTF-8,
 * from the configured, verified `source` (e.g. `shop@example.com` or `Shop <shop@example.com>`).
 */
export function sesEmailSender(ses: SESClient, source: string): EmailSender {
    return async (email) => {
        const result = await ses.send(
            new SendEmailCommand({
                Source: source,
                Destination: { ToAddresses: [email.to] },
                Message: {
                    Subject: { Data: email.subject, Charset: "UTF-8" },
                    Body: {
                        Text: { Data: email.text, Charset: "UTF-8" },
                        Html: { Data: email.html, Charset: "UTF-8" },
                    },
                },
            }),
        );
        if (!result.MessageId) throw new Error("SES accepted the email but returned no MessageId");
        return result.MessageId;
    };
}
