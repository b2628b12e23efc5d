/**
 * The SES mailbox simulator's outcomes, and the event-publishing records SES publishes for them to
 * a configuration set's SNS event destination, in the shapes of the SES Developer Guide
 * ("Examples of event data that Amazon SES publishes to Amazon SNS"; "Testing email sending": the
 * mailbox simulator). Pure: no I/O, the clock and ids are given.
 */
import { randomBytes, randomUUID } from "node:crypto";

/** The domain of SES's mailbox simulator. */
export const SIMULATOR_DOMAIN = "simulator.amazonses.com";

/** What the mailbox simulator does with an email to one of its addresses. */
export type SimulatorScenario = "success" | "bounce" | "ooto" | "complaint" | "suppressionlist";

/** The scenarios, by the local part SES documents (`bounce@simulator.amazonses.com`, ...). */
const SCENARIOS: readonly SimulatorScenario[] = ["success", "bounce", "ooto", "complaint", "suppressionlist"];

/**
 * The scenario of a mailbox simulator address, or undefined for any other address. SES accepts a
 * label after `+` (`bounce+order-42@simulator.amazonses.com`) and, like any mail domain, any case
 * in the domain; the local part is matched without case too (the simulator's own addresses are
 * lower case, and no other address exists in its domain).
 */
export function simulatorScenario(address: string): SimulatorScenario | undefined {
    const bare = /<([^<>]+)>\s*$/.exec(address)?.[1] ?? address;
    const at = bare.lastIndexOf("@");
    if (at < 1 || bare.slice(at + 1).trim().toLowerCase() !== SIMULATOR_DOMAIN) return undefined;
    const local = bare.slice(0, at).trim().toLowerCase().split("+")[0];
    return SCENARIOS.find((scenario) => scenario === local);
}

/** SES's event types that an SNS event destination can match, as the records name them. */
export type SesEventType = "Send" | "Reject" | "Bounce" | "Complaint" | "Delivery" | "DeliveryDelay" | "Open" | "Click" | "Rendering Failure" | "Subscription";

/** What the SES emulator accepted: the SendEmail request and its answer's MessageId. */
export interface AcceptedEmail {
    /** `MessageId` of SendEmail's answer: `mail.messageId` in every record. */
    readonly messageId: string;
    /** `FromEmailAddress`, as given (`Name <address>` or a bare address). */
    readonly from: string;
    readonly to: readonly string[];
    readonly cc: readonly string[];
    readonly bcc: readonly string[];
    readonly subject?: string;
    readonly configurationSetName?: string;
    /** `EmailTags`, in the request's order. */
    readonly tags: readonly { readonly Name: string; readonly Value: string }[];
    /** When the SES emulator accepted it. */
    readonly sentAt: Date;
}

/** The account and region the records name (`sendingAccountId`, `sourceArn`). */
export interface SesAccount {
    readonly accountId: string;
    readonly region: string;
}

/** One record, ready to publish: its JSON is the SNS message. */
export type SesEventRecord = Record<string, unknown> & { readonly eventType: SesEventType };

/** What to do with an email to an address outside the simulator. */
export type OrdinaryRecipients =
    /** As SES does when the receiving server accepts it: a Delivery event. */
    | "deliver"
    /** No event at all (nothing is really delivered here). */
    | "ignore";

/** Settings of {@link sesEventRecords}. */
export interface SesEventSettings extends SesAccount {
    /** The configuration set whose event destination publishes; emails that name another (or none) publish nothing. */
    readonly configurationSetName: string;
    /** The event types the event destination matches; others are not published. */
    readonly matchingEventTypes: readonly SesEventType[];
    readonly ordinaryRecipients: OrdinaryRecipients;
    /** The time of the first event; each later one is 1 ms on. Defaults to now. */
    readonly now?: () => Date;
    /** A fresh feedback id. Defaults to one in SES's shape. */
    readonly feedbackId?: () => string;
}

/** The host name local records give as the reporting MTA (SES gives its own mail servers'). */
export const LOCAL_MTA = "localhost";

/** The bounce SES reports for `bounce@` (the simulator's "Unknown User": SMTP 550 5.1.1). */
const GENERAL_BOUNCE = { bounceSubType: "General", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" };

/** The bounce SES reports for `suppressionlist@`: as if the address were on SES's suppression list. */
const SUPPRESSED_BOUNCE = {
    bounceSubType: "Suppressed",
    status: "5.1.1",
    diagnosticCode:
        "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address. " +
        "For more information about how to remove an address from the suppression list, see the Amazon SES Developer Guide: " +
        "http://docs.aws.amazon.com/ses/latest/DeveloperGuide/remove-from-suppressionlist.html ",
};

/** A feedback id in SES's shape (`<16 hex>-<uuid>-000000`). */
export function newFeedbackId(): string {
    return `${randomBytes(8).toString("hex")}-${randomUUID()}-000000`;
}

/** The address inside `Name <address>`, or the value itself. */
function addressOf(value: string): string {
    return (/<([^<>]+)>\s*$/.exec(value)?.[1] ?? value).trim();
}

/** The `mail` object every record carries: the email as SES accepted it, with its tags. */
function mailObject(email: AcceptedEmail, settings: SesEventSettings, extraTags: Record<string, string[]> = {}): Record<string, unknown> {
    const source = email.from;
    const fromAddress = addressOf(source);
    const fromDomain = fromAddress.slice(fromAddress.lastIndexOf("@") + 1);
    const destination = [...email.to, ...email.cc, ...email.bcc];
    const headers = [
        { name: "From", value: source },
        ...(email.to.length > 0 ? [{ name: "To", value: email.to.join(", ") }] : []),
        ...(email.cc.length > 0 ? [{ name: "Cc", value: email.cc.join(", ") }] : []),
        ...(email.subject !== undefined ? [{ name: "Subject", value: email.subject }] : []),
        { name: "MIME-Version", value: "1.0" },
        { name: "Content-Type", value: `multipart/alternative; boundary="----=_Part_${email.messageId}"` },
    ];
    const tags: Record<string, string[]> = {
        "ses:configuration-set": [settings.configurationSetName],
        "ses:source-ip": ["127.0.0.1"],
        "ses:from-domain": [fromDomain],
        "ses:caller-identity": ["local"],
        ...extraTags,
    };
    // Each message tag is a list of values (SES event publishing: `mail.tags`).
    for (const tag of email.tags) tags[tag.Name] = [tag.Value];
    return {
        timestamp: email.sentAt.toISOString(),
        source,
        sourceArn: `arn:aws:ses:${settings.region}:${settings.accountId}:identity/${fromAddress}`,
        sendingAccountId: settings.accountId,
        messageId: email.messageId,
        destination,
        headersTruncated: false,
        headers,
        commonHeaders: {
            from: [source],
            ...(email.to.length > 0 ? { to: [...email.to] } : {}),
            ...(email.cc.length > 0 ? { cc: [...email.cc] } : {}),
            messageId: email.messageId,
            ...(email.subject !== undefined ? { subject: email.subject } : {}),
        },
        tags,
    };
}

/**
 * The records SES publishes for an accepted email, in the order it publishes them:
 * - `success@`, `ooto@` (an automatic reply goes to the sender, not to the event destination) and,
 *   with `ordinaryRecipients: "deliver"`, every other address: one Delivery for them all;
 * - `bounce@`: a Bounce, Permanent / General (550 5.1.1 user unknown);
 * - `suppressionlist@`: a Bounce, Permanent / Suppressed (SES's suppression list);
 * - `complaint@`: delivered (in the Delivery), then a Complaint (feedback type `abuse`).
 * SES combines the bounces of one request into one record per kind. An email that does not name
 * the configuration set publishes nothing, and only the matching event types are published.
 */
export function sesEventRecords(email: AcceptedEmail, settings: SesEventSettings): SesEventRecord[] {
    if (email.configurationSetName !== settings.configurationSetName) return [];
    const now = settings.now ?? (() => new Date());
    const feedbackId = settings.feedbackId ?? newFeedbackId;
    const start = now().getTime();
    let tick = 0;
    // Each event a millisecond after the one before: a Complaint is never older than its Delivery.
    const at = () => new Date(Math.max(start, email.sentAt.getTime()) + tick++).toISOString();

    const delivered: string[] = [];
    const bounced: string[] = [];
    const suppressed: string[] = [];
    const complained: string[] = [];
    for (const recipient of [...email.to, ...email.cc, ...email.bcc]) {
        const scenario = simulatorScenario(recipient);
        if (scenario === "bounce") bounced.push(recipient);
        else if (scenario === "suppressionlist") suppressed.push(recipient);
        else if (scenario === "complaint") {
            delivered.push(recipient);
            complained.push(recipient);
        } else if (scenario !== undefined || settings.ordinaryRecipients === "deliver") delivered.push(recipient);
    }

    const records: SesEventRecord[] = [];
    const bounce = (recipients: string[], kind: typeof GENERAL_BOUNCE) => {
        if (recipients.length === 0) return;
        records.push({
            eventType: "Bounce",
            bounce: {
                bounceType: "Permanent",
                bounceSubType: kind.bounceSubType,
                bouncedRecipients: recipients.map((emailAddress) => ({ emailAddress, action: "failed", status: kind.status, diagnosticCode: kind.diagnosticCode })),
                timestamp: at(),
                feedbackId: feedbackId(),
                reportingMTA: `dsn; ${LOCAL_MTA}`,
            },
            mail: mailObject(email, settings),
        });
    };
    bounce(bounced, GENERAL_BOUNCE);
    bounce(suppressed, SUPPRESSED_BOUNCE);
    if (delivered.length > 0) {
        const timestamp = at();
        records.push({
            eventType: "Delivery",
            mail: mailObject(email, settings, { "ses:outgoing-ip": ["127.0.0.1"] }),
            delivery: {
                timestamp,
                processingTimeMillis: Math.max(0, new Date(timestamp).getTime() - email.sentAt.getTime()),
                recipients: delivered,
                smtpResponse: "250 2.6.0 Message received",
                reportingMTA: LOCAL_MTA,
            },
        });
    }
    if (complained.length > 0) {
        const timestamp = at();
        records.push({
            eventType: "Complaint",
            complaint: {
                complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
                timestamp,
                feedbackId: feedbackId(),
                userAgent: "Amazon SES Mailbox Simulator",
                complaintFeedbackType: "abuse",
                arrivalDate: timestamp,
            },
            mail: mailObject(email, settings),
        });
    }
    return records.filter((record) => settings.matchingEventTypes.includes(record.eventType));
}
