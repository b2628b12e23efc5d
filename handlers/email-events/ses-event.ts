/**
 * Reads an SES event-publishing record (the `Message` of the SNS notification) into what the order
 * records: the outcome, when it happened and, for a bounce, its type. The order is named by the
 * message tag `orderId` that ProcessOrder puts on every confirmation (SES publishes a configuration
 * set's events with the email's tags, `mail.tags`, each tag a list of values). Recipient addresses,
 * diagnostic codes and headers are never read out of the record.
 */
import { ORDER_ID_EMAIL_TAG } from "../order/email-tags";
import { parseOrderId } from "../order/order-id";
import { BOUNCE_TYPES, type BounceType, type EmailDeliveryEvent, type EmailDeliveryOutcome } from "./delivery-outcome";

/** The event types this pipeline subscribes to, and the outcome each records. */
export const RECORDED_EVENT_TYPES: Readonly<Record<string, EmailDeliveryOutcome>> = {
    Delivery: "DELIVERED",
    Bounce: "BOUNCED",
    Complaint: "COMPLAINED",
    Reject: "REJECTED",
};

/** One event, ready to record on its order. */
export interface SesDeliveryEvent {
    readonly orderId: string;
    /** SES's id of the email (`mail.messageId`), as SendEmail returned it to ProcessOrder. */
    readonly sesMessageId: string;
    readonly eventType: string;
    readonly delivery: EmailDeliveryEvent;
}

/** The event, or why it cannot be recorded, with what could be read of it (for the log line). */
export type ParsedSesEvent =
    | { readonly ok: true; readonly event: SesDeliveryEvent }
    | { readonly ok: false; readonly reason: string; readonly orderId?: string; readonly sesMessageId?: string; readonly eventType?: string };

/** SES's message ids and bounce subtypes are short and plain; anything else is not from SES. */
const SES_MESSAGE_ID = /^[A-Za-z0-9._-]{1,200}$/;
const BOUNCE_SUB_TYPE = /^[A-Za-z0-9]{1,64}$/;

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An ISO 8601 time with a time zone, normalised to UTC milliseconds; undefined when not one. */
function isoTime(value: unknown): string | undefined {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
    const time = new Date(value);
    return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** The order id of the `orderId` tag: exactly one value, UUID-shaped. */
function taggedOrderId(tags: unknown): string | undefined {
    if (!isObject(tags)) return undefined;
    const values = tags[ORDER_ID_EMAIL_TAG];
    if (!Array.isArray(values) || values.length !== 1 || typeof values[0] !== "string") return undefined;
    return parseOrderId(values[0]);
}

/** The object of the event type (`bounce`, `delivery`, ...), named after it in lower camel case. */
function detail(record: Record<string, unknown>, eventType: string): Record<string, unknown> | undefined {
    const value = record[eventType.charAt(0).toLowerCase() + eventType.slice(1)];
    return isObject(value) ? value : undefined;
}

/** Reads the SES event JSON; never throws. */
export function parseSesEvent(message: string): ParsedSesEvent {
    let record: unknown;
    try {
        record = JSON.parse(message);
    } catch {
        return { ok: false, reason: "the SNS message is not JSON" };
    }
    if (!isObject(record)) return { ok: false, reason: "the SNS message is not a JSON object" };
    if (typeof record.eventType !== "string") {
        // Identity feedback notifications say notificationType; only a configuration set's events carry tags.
        return { ok: false, reason: "not an SES event-publishing record (no eventType)" };
    }
    const eventType = record.eventType.slice(0, 40);
    const mail = isObject(record.mail) ? record.mail : undefined;
    const sesMessageId = typeof mail?.messageId === "string" && SES_MESSAGE_ID.test(mail.messageId) ? mail.messageId : undefined;
    const orderId = taggedOrderId(mail?.tags);
    const known = { eventType, ...(orderId === undefined ? {} : { orderId }), ...(sesMessageId === undefined ? {} : { sesMessageId }) };
    const outcome = Object.hasOwn(RECORDED_EVENT_TYPES, eventType) ? RECORDED_EVENT_TYPES[eventType] : undefined;
    if (outcome === undefined) return { ok: false, reason: `event type ${JSON.stringify(eventType)} is not recorded on orders`, ...known };
    if (mail === undefined) return { ok: false, reason: "the event has no mail object", ...known };
    if (sesMessageId === undefined) return { ok: false, reason: "the event has no valid mail.messageId", ...known };
    if (orderId === undefined) return { ok: false, reason: `the email has no valid ${ORDER_ID_EMAIL_TAG} tag (one UUID)`, ...known };

    const body = detail(record, eventType);
    if (body === undefined && eventType !== "Reject") return { ok: false, reason: `the ${eventType} event has no ${eventType.toLowerCase()} object`, ...known };
    // A reject object holds only a reason; the time SES refused the email is the send time.
    const at = eventType === "Reject" ? isoTime(mail.timestamp) : isoTime(body?.timestamp);
    if (at === undefined) return { ok: false, reason: `the ${eventType} event has no valid timestamp`, ...known };

    if (outcome !== "BOUNCED") return { ok: true, event: { orderId, sesMessageId, eventType, delivery: { outcome, at } } };
    const bounceType = body?.bounceType;
    if (typeof bounceType !== "string" || !(BOUNCE_TYPES as readonly string[]).includes(bounceType)) {
        return { ok: false, reason: `the bounce has no known bounceType (${BOUNCE_TYPES.join(", ")})`, ...known };
    }
    const subType = body?.bounceSubType;
    if (subType !== undefined && (typeof subType !== "string" || !BOUNCE_SUB_TYPE.test(subType))) {
        return { ok: false, reason: "the bounce has a malformed bounceSubType", ...known };
    }
    return {
        ok: true,
        event: {
            orderId,
            sesMessageId,
            eventType,
            delivery: { outcome, at, bounceType: bounceType as BounceType, ...(subType === undefined ? {} : { bounceSubType: subType }) },
        },
    };
}
