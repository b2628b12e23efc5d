import { Type, type Static } from "typebox";
import { BOUNCE_TYPES, EMAIL_DELIVERY_OUTCOMES, type BounceType, type EmailDeliveryOutcome } from "../email-events/delivery-outcome";
import { CURRENCY_CODES } from "./currencies";
import { ORDER_STATUSES, type OrderStatus } from "./status";
import type { OrderTotals } from "./totals";

/** Totals as the API shows them. */
export const OrderTotalsSchema = Type.Object(
    {
        currency: Type.Enum([...CURRENCY_CODES], { type: "string", description: "ISO 4217 currency code." }),
        subtotal: Type.Integer({ minimum: 0, description: "Sum of quantity x unitPrice, in minor units." }),
        itemCount: Type.Integer({ minimum: 1, description: "Units ordered (sum of quantities)." }),
        lineCount: Type.Integer({ minimum: 1, description: "Line items." }),
    },
    { additionalProperties: false },
);

/** Where the shipping workflow stands, once it has started. */
export const ShipmentViewSchema = Type.Object(
    {
        startedAt: Type.String({ format: "date-time", description: "When the shipping workflow reserved the order (PREPARING)." }),
        carrier: Type.Optional(Type.String({ description: "From the shipment callback, once SHIPPED." })),
        trackingNumber: Type.Optional(Type.String({ description: "From the shipment callback, once SHIPPED." })),
        shippedAt: Type.Optional(Type.String({ format: "date-time" })),
    },
    { additionalProperties: false },
);

/** Where a refund stands, once one was asked for. */
export const RefundViewSchema = Type.Object(
    {
        requestedAt: Type.String({ format: "date-time", description: "When POST /orders/{orderId}/refund was accepted." }),
        refundedAt: Type.Optional(Type.String({ format: "date-time", description: "When the refund workflow marked the order REFUNDED." })),
    },
    { additionalProperties: false },
);

/** Why an order is FAILED: it can never be confirmed, and is not retried. */
export const FailureViewSchema = Type.Object(
    {
        reason: Type.String({ description: "What made the order unconfirmable, e.g. that its confirmation email cannot be sent." }),
        failedAt: Type.String({ format: "date-time" }),
    },
    { additionalProperties: false },
);

/** What became of the confirmation email, once SES published a delivery event for it. */
export const EmailDeliveryViewSchema = Type.Object(
    {
        outcome: Type.Enum([...EMAIL_DELIVERY_OUTCOMES], {
            type: "string",
            description:
                "DELIVERED: the recipient's server accepted it; BOUNCED: it was returned (see bounceType); REJECTED: SES refused to send it (it found a virus); COMPLAINED: the recipient marked it as spam.",
        }),
        at: Type.String({ format: "date-time", description: "When SES saw the event." }),
        bounceType: Type.Optional(Type.Enum([...BOUNCE_TYPES], { type: "string", description: "For BOUNCED: Permanent, Transient (a soft bounce) or Undetermined." })),
        bounceSubType: Type.Optional(Type.String({ description: "For BOUNCED: SES's bounce subtype, e.g. General, NoEmail, MailboxFull." })),
    },
    { additionalProperties: false },
);

/** The body of `GET /orders/{orderId}`: status, totals and the workflows' progress, no customer data. */
export const OrderViewSchema = Type.Object(
    {
        orderId: Type.String({ format: "uuid" }),
        status: Type.Enum([...ORDER_STATUSES], { type: "string" }),
        totals: OrderTotalsSchema,
        createdAt: Type.String({ format: "date-time" }),
        updatedAt: Type.String({ format: "date-time" }),
        shipment: Type.Optional(ShipmentViewSchema),
        refund: Type.Optional(RefundViewSchema),
        failure: Type.Optional(FailureViewSchema),
        email: Type.Optional(EmailDeliveryViewSchema),
    },
    { additionalProperties: false, title: "OrderView" },
);

/** What GetOrder answers. */
export type OrderView = Static<typeof OrderViewSchema>;

/** The stored fields an order view is built from. */
export interface OrderViewSource {
    readonly orderId: string;
    readonly status: OrderStatus;
    readonly totals: OrderTotals;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly shippingStartedAt?: string;
    readonly carrier?: string;
    readonly trackingNumber?: string;
    readonly shippedAt?: string;
    readonly refundRequestedAt?: string;
    readonly refundedAt?: string;
    readonly failureReason?: string;
    readonly failedAt?: string;
    readonly emailDelivery?: EmailDeliveryOutcome;
    readonly emailDeliveryAt?: string;
    readonly emailBounceType?: BounceType;
    readonly emailBounceSubType?: string;
}

/** Copies the members whose value is defined. */
function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Builds the API view of a stored order, field by field, so no other stored attribute can leak. */
export function toOrderView(item: OrderViewSource): OrderView {
    const { currency, subtotal, itemCount, lineCount } = item.totals;
    const shipment =
        item.shippingStartedAt === undefined
            ? undefined
            : { startedAt: item.shippingStartedAt, ...defined({ carrier: item.carrier, trackingNumber: item.trackingNumber, shippedAt: item.shippedAt }) };
    const failure = item.failureReason === undefined ? undefined : { reason: item.failureReason, failedAt: item.failedAt ?? item.updatedAt };
    const email =
        item.emailDelivery === undefined || item.emailDeliveryAt === undefined
            ? undefined
            : { outcome: item.emailDelivery, at: item.emailDeliveryAt, ...defined({ bounceType: item.emailBounceType, bounceSubType: item.emailBounceSubType }) };
    const refund = item.refundRequestedAt === undefined ? undefined : { requestedAt: item.refundRequestedAt, ...defined({ refundedAt: item.refundedAt }) };
    return {
        orderId: item.orderId,
        status: item.status,
        totals: { currency, subtotal, itemCount, lineCount },
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
        ...(shipment ? { shipment } : {}),
        ...(refund ? { refund } : {}),
        ...(failure ? { failure } : {}),
        ...(email ? { email } : {}),
    };
}
