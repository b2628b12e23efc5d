/**
 * The events the pipeline publishes on its EventBridge bus: their source, detail-types, detail
 * schemas (version 1), deterministic event ids, and the PutEvents entries that carry them.
 * Pure data: no AWS client here, so handlers, state machine definitions and tests share it.
 */
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { Type, type Static, type TSchema } from "typebox";
import { OrderTotalsSchema } from "../order/order-view";
import type { OrderTotals } from "../order/totals";
import { createLazyValidator, type ValidationResult } from "../order/validation";

/** The `source` of every event the pipeline publishes. */
export const ORDER_EVENT_SOURCE = "order-pipeline";

/** The version of the detail schemas below; a breaking change publishes a new version. */
export const ORDER_EVENT_VERSION = 1;

/** The detail-types, by what happened. */
export const ORDER_EVENT_TYPES = {
    placed: "OrderPlaced",
    shipped: "OrderShipped",
    refunded: "OrderRefunded",
    conflict: "OrderConflict",
} as const;

/** One of the detail-types. */
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[keyof typeof ORDER_EVENT_TYPES];

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const SHA256_HEX = "[0-9a-f]{64}";

/** An SHA-256 hex digest, as `payloadHash` computes it. */
const PayloadHashSchema = Type.String({ pattern: `^${SHA256_HEX}$`, description: "SHA-256 (hex) of the canonical JSON of an order body." });

/** An ISO 8601 timestamp. */
function timestamp(description: string) {
    return Type.String({ format: "date-time", description });
}

/** Members every detail has; `eventIdPattern` pins the id to its detail-type. */
function commonMembers(eventIdPattern: string, eventIdDescription: string) {
    return {
        eventId: Type.String({ pattern: `^${eventIdPattern}$`, description: `${eventIdDescription} Equal for every publish of the same fact: consumers dedupe on it.` }),
        version: Type.Literal(ORDER_EVENT_VERSION, { description: "Schema version of this detail." }),
        orderId: Type.String({ pattern: `^${UUID}$`, description: "The order's id (lower-case UUID)." }),
        occurredAt: timestamp("When the fact became true (ISO 8601)."),
    };
}

/** Detail of `OrderPlaced`: the order is stored and CONFIRMED. No customer data beyond an opaque id. */
export const OrderPlacedDetailSchema = Type.Object(
    {
        ...commonMembers(`OrderPlaced:${UUID}`, "`OrderPlaced:<orderId>`."),
        totals: OrderTotalsSchema,
        customerId: Type.Optional(
            Type.String({ minLength: 1, maxLength: 128, pattern: "^[\\x21-\\x7E]+$", description: "The signed-in caller's id (Cognito `sub`), when sign-in is on." }),
        ),
    },
    { additionalProperties: false, title: "OrderPlaced" },
);

/** Detail of `OrderShipped`. */
export const OrderShippedDetailSchema = Type.Object(
    {
        ...commonMembers(`OrderShipped:${UUID}`, "`OrderShipped:<orderId>`."),
        carrier: Type.String({ minLength: 1, maxLength: 100, description: "Who carries the parcel." }),
        trackingNumber: Type.String({ minLength: 1, maxLength: 100, description: "The carrier's tracking number." }),
        shippedAt: timestamp("When the parcel left (ISO 8601)."),
    },
    { additionalProperties: false, title: "OrderShipped" },
);

/** Detail of `OrderRefunded`. */
export const OrderRefundedDetailSchema = Type.Object(
    {
        ...commonMembers(`OrderRefunded:${UUID}`, "`OrderRefunded:<orderId>`."),
        refundedAt: timestamp("When the refund was made (ISO 8601)."),
    },
    { additionalProperties: false, title: "OrderRefunded" },
);

/** Detail of `OrderConflict`: an order id arrived again with a different body; the stored order was kept. */
export const OrderConflictDetailSchema = Type.Object(
    {
        ...commonMembers(`OrderConflict:${UUID}:${SHA256_HEX}`, "`OrderConflict:<orderId>:<receivedPayloadHash>`."),
        storedPayloadHash: PayloadHashSchema,
        receivedPayloadHash: PayloadHashSchema,
    },
    { additionalProperties: false, title: "OrderConflict" },
);

/** The detail schema of each detail-type. */
export const ORDER_EVENT_DETAIL_SCHEMAS = {
    OrderPlaced: OrderPlacedDetailSchema,
    OrderShipped: OrderShippedDetailSchema,
    OrderRefunded: OrderRefundedDetailSchema,
    OrderConflict: OrderConflictDetailSchema,
} as const satisfies Record<OrderEventType, TSchema>;

/** The detail of an event of type `T`. */
export type OrderEventDetail<T extends OrderEventType> = Static<(typeof ORDER_EVENT_DETAIL_SCHEMAS)[T]>;
export type OrderPlacedDetail = OrderEventDetail<"OrderPlaced">;
export type OrderShippedDetail = OrderEventDetail<"OrderShipped">;
export type OrderRefundedDetail = OrderEventDetail<"OrderRefunded">;
export type OrderConflictDetail = OrderEventDetail<"OrderConflict">;

/**
 * A validator per detail-type (compiled on first use), answering the typed detail or every violation.
 * Type arguments spelled out: inferring them from this object's declared type costs the type checker many seconds.
 */
export const validateOrderEventDetail: { readonly [T in OrderEventType]: (value: unknown) => ValidationResult<OrderEventDetail<T>> } = {
    OrderPlaced: createLazyValidator<typeof OrderPlacedDetailSchema>(OrderPlacedDetailSchema),
    OrderShipped: createLazyValidator<typeof OrderShippedDetailSchema>(OrderShippedDetailSchema),
    OrderRefunded: createLazyValidator<typeof OrderRefundedDetailSchema>(OrderRefundedDetailSchema),
    OrderConflict: createLazyValidator<typeof OrderConflictDetailSchema>(OrderConflictDetailSchema),
};

/**
 * The deterministic id of an event: `<DetailType>:<orderId>`, and for `OrderConflict`
 * `OrderConflict:<orderId>:<receivedPayloadHash>` (one event per distinct conflicting body).
 * A republish of the same fact gets the same id, so consumers can dedupe on it.
 */
export function orderEventId(type: "OrderConflict", orderId: string, receivedPayloadHash: string): string;
export function orderEventId(type: Exclude<OrderEventType, "OrderConflict">, orderId: string): string;
export function orderEventId(type: OrderEventType, orderId: string, receivedPayloadHash?: string): string {
    if (type === ORDER_EVENT_TYPES.conflict) {
        if (receivedPayloadHash === undefined) throw new TypeError("orderEventId: OrderConflict needs the received payload hash");
        return `${type}:${orderId}:${receivedPayloadHash}`;
    }
    return `${type}:${orderId}`;
}

/** `OrderPlaced` for a stored order. Copies the four totals by name, so no other stored attribute can leak. */
export function orderPlacedDetail(fields: { orderId: string; occurredAt: string; totals: OrderTotals; customerId?: string }): OrderPlacedDetail {
    const { currency, subtotal, itemCount, lineCount } = fields.totals;
    return {
        eventId: orderEventId("OrderPlaced", fields.orderId),
        version: ORDER_EVENT_VERSION,
        orderId: fields.orderId,
        occurredAt: fields.occurredAt,
        totals: { currency, subtotal, itemCount, lineCount } as OrderPlacedDetail["totals"],
        ...(fields.customerId === undefined ? {} : { customerId: fields.customerId }),
    };
}

/** `OrderShipped`; `occurredAt` is the shipping time. */
export function orderShippedDetail(fields: { orderId: string; carrier: string; trackingNumber: string; shippedAt: string }): OrderShippedDetail {
    return {
        eventId: orderEventId("OrderShipped", fields.orderId),
        version: ORDER_EVENT_VERSION,
        orderId: fields.orderId,
        occurredAt: fields.shippedAt,
        carrier: fields.carrier,
        trackingNumber: fields.trackingNumber,
        shippedAt: fields.shippedAt,
    };
}

/** `OrderRefunded`; `occurredAt` is the refund time. */
export function orderRefundedDetail(fields: { orderId: string; refundedAt: string }): OrderRefundedDetail {
    return {
        eventId: orderEventId("OrderRefunded", fields.orderId),
        version: ORDER_EVENT_VERSION,
        orderId: fields.orderId,
        occurredAt: fields.refundedAt,
        refundedAt: fields.refundedAt,
    };
}

/** `OrderConflict`: the stored order's body hash and the hash of the body that was refused. */
export function orderConflictDetail(fields: {
    orderId: string;
    occurredAt: string;
    storedPayloadHash: string;
    receivedPayloadHash: string;
}): OrderConflictDetail {
    return {
        eventId: orderEventId("OrderConflict", fields.orderId, fields.receivedPayloadHash),
        version: ORDER_EVENT_VERSION,
        orderId: fields.orderId,
        occurredAt: fields.occurredAt,
        storedPayloadHash: fields.storedPayloadHash,
        receivedPayloadHash: fields.receivedPayloadHash,
    };
}

/** Thrown when a detail breaks its schema: publishing it would hand consumers a broken contract. */
export class InvalidOrderEventError extends Error {
    constructor(
        readonly detailType: OrderEventType,
        readonly violations: readonly { pointer: string; detail: string }[],
    ) {
        super(`${detailType} detail breaks its schema: ${violations.map((v) => `${v.pointer || "/"} ${v.detail}`).join("; ")}`);
        this.name = "InvalidOrderEventError";
    }
}

/**
 * The PutEvents entry that publishes `detail` on the bus: `Source` {@link ORDER_EVENT_SOURCE}, the
 * detail-type, the detail as JSON and `Time` = `occurredAt` (so rules and the archive see when it
 * happened, not when it was sent). Validates the detail first and throws
 * {@link InvalidOrderEventError} rather than publish a detail that breaks the schema.
 */
export function orderEventEntry<T extends OrderEventType>(busName: string, detailType: T, detail: NoInfer<OrderEventDetail<T>>): PutEventsRequestEntry {
    // `NoInfer`: T comes from the detail-type alone; inferring it through the detail's schema type costs the type checker many seconds.
    const checked = validateOrderEventDetail[detailType](detail);
    if (!checked.ok) throw new InvalidOrderEventError(detailType, checked.violations);
    return {
        Source: ORDER_EVENT_SOURCE,
        DetailType: detailType,
        Detail: JSON.stringify(detail),
        EventBusName: busName,
        Time: new Date(detail.occurredAt),
    };
}
