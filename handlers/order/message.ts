import { Type, type Static } from "typebox";
import { payloadHash } from "./payload-hash";
import { OrderSchema, type Order } from "./schema";
import { createLazyValidator, type Violation } from "./validation";

/** Version of the queue message's shape; a consumer rejects versions it does not know. */
export const ORDER_MESSAGE_SCHEMA_VERSION = 1;

/** The body of the message SubmitOrder puts on the order queue. */
export const OrderMessageSchema = Type.Object(
    {
        schemaVersion: Type.Literal(ORDER_MESSAGE_SCHEMA_VERSION),
        orderId: Type.String({ format: "uuid" }),
        receivedAt: Type.String({ format: "date-time" }),
        payloadHash: Type.String({ pattern: "^[0-9a-f]{64}$" }),
        order: OrderSchema,
        /** The signed-in caller (Cognito `sub`) who placed the order, when sign-in is on. */
        customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    },
    { additionalProperties: false, title: "OrderMessage" },
);

/** A queue message body, validated. */
export type OrderMessage = Static<typeof OrderMessageSchema>;

/** The name of the SQS message attribute that carries the correlation id. */
export const CORRELATION_ID_ATTRIBUTE = "correlationId";

/** Builds the queue message for a validated order, placed by `customerId` when sign-in is on. */
export function buildOrderMessage(orderId: string, receivedAt: Date, order: Order, customerId?: string): OrderMessage {
    return {
        schemaVersion: ORDER_MESSAGE_SCHEMA_VERSION,
        orderId,
        receivedAt: receivedAt.toISOString(),
        payloadHash: payloadHash(order),
        order,
        ...(customerId === undefined ? {} : { customerId }),
    };
}

/**
 * The queue message body as text: JSON with every character outside printable ASCII written as a
 * \uXXXX escape. SQS accepts only #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF
 * in a message body (SendMessage reference), so a customer name with U+FFFE would otherwise be
 * refused; escaped, any order text fits, and JSON.parse gives back the same strings. The schema's
 * length limits keep even a fully escaped order (6 bytes per UTF-16 unit) far below SQS's 256 KiB.
 */
export function serializeOrderMessage(message: OrderMessage): string {
    return JSON.stringify(message).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The outcome of reading a queue message body. */
export type ParsedOrderMessage =
    | { readonly ok: true; readonly message: OrderMessage }
    | { readonly ok: false; readonly reason: string; readonly violations?: readonly Violation[] };

// Compiled on first use: SubmitOrder loads this module only to build messages and should not pay
// for the consumer's validator in its cold start (about 5 ms measured by the cold-start benchmark).
const validateMessage = createLazyValidator(OrderMessageSchema);

/**
 * Reads a queue message body: JSON, the message schema (which includes the full order schema, so
 * a message is validated again on the consumer side), and a payload hash that matches the order.
 */
export function parseOrderMessage(body: string): ParsedOrderMessage {
    let value: unknown;
    try {
        value = JSON.parse(body);
    } catch {
        return { ok: false, reason: "message body is not JSON" };
    }
    const result = validateMessage(value);
    if (!result.ok) return { ok: false, reason: "message does not match the order message schema", violations: result.violations };
    if (payloadHash(result.value.order) !== result.value.payloadHash) {
        return { ok: false, reason: "payloadHash does not match the order in the message" };
    }
    return { ok: true, message: result.value };
}
