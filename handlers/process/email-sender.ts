import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import type { ConfirmationEmail } from "../order/confirmation-email";

/** Sends one email and returns the provider's message id. */
export type EmailSender = (email: ConfirmationEmail) => Promise<string>;

/**
 * An {@link EmailSender} on Amazon SES (`SendEmail`, API v2): plain text and HTML parts, UTF-8,
 * from the configured, verified `source` (e.g. `shop@example.com` or `Shop <shop@example.com>`).
 * With a configuration set, every email names it, so that SES publishes its bounce, complaint,
 * delivery and reject events.
 */
export function sesEmailSender(ses: SESv2Client, source: string, configurationSetName?: string): EmailSender {
    return async (email) => {
        const result = await ses.send(
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
                ...(configurationSetName === undefined ? {} : { ConfigurationSetName: configurationSetName }),
            }),
        );
        if (!result.MessageId) throw new Error("SES accepted the email but returned no MessageId");
        return result.MessageId;
    };
}
