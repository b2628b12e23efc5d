import type { BounceType, EmailDeliveryOutcome } from "../email-events/delivery-outcome";
import type { Order } from "../order/schema";
import type { OrderStatus } from "../order/status";
import type { OrderTotals } from "../order/totals";

/**
 * Where the confirmation email of an order stands. PENDING -> CLAIMED (one worker holds a lease
 * to send it) -> SENT; a failed send returns CLAIMED to PENDING; a CLAIMED whose lease has run out
 * (its worker died) may be claimed again. FAILED: it can never be sent (the order is FAILED too).
 * DISABLED: the pipeline runs without email.
 */
export type EmailStatus = "PENDING" | "CLAIMED" | "SENT" | "FAILED" | "DISABLED";

/**
 * One order in the orders table. The item is also the idempotency record: it is created once
 * (conditional put on `orderId`) and carries the hash of the payload it was created from.
 */
export interface OrderItem {
    readonly orderId: string;
    readonly schemaVersion: number;
    readonly status: OrderStatus;
    /** SHA-256 of the canonical order JSON: tells a duplicate delivery from a conflicting one. */
    readonly payloadHash: string;
    readonly order: Order;
    /** Computed by the pipeline from the line items. */
    readonly totals: OrderTotals;
    /** When SubmitOrder accepted the order (ISO 8601). */
    readonly receivedAt: string;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly correlationId: string;
    readonly emailStatus: EmailStatus;
    /** The current claim on the email, while CLAIMED. */
    readonly emailClaimId?: string;
    /** Epoch milliseconds until which the claim holds (the claiming invocation's deadline). */
    readonly emailLeaseUntil?: number;
    readonly emailSentAt?: string;
    /** SES's id of the sent message. */
    readonly emailMessageId?: string;
    /**
     * Written by the email-events function from SES's delivery events: the outcome of highest rank
     * so far, when SES saw it, that rank, and for a bounce its type. Not the order's status.
     */
    readonly emailDelivery?: EmailDeliveryOutcome;
    readonly emailDeliveryAt?: string;
    readonly emailDeliveryRank?: number;
    readonly emailBounceType?: BounceType;
    readonly emailBounceSubType?: string;
    /** Why the order is FAILED (no customer data: GetOrder shows it), and when it became so. */
    readonly failureReason?: string;
    readonly failedAt?: string;
    /** The signed-in caller who placed the order (Cognito `sub`), when sign-in is on. */
    readonly customerId?: string;
    /** Written by the shipping workflow: when it reserved the order (PREPARING), and its execution name. */
    readonly shippingStartedAt?: string;
    readonly shippingExecution?: string;
    /** Written by the shipping workflow from the shipment callback, when it marks the order SHIPPED. */
    readonly carrier?: string;
    readonly trackingNumber?: string;
    readonly shippedAt?: string;
    /** Written by `POST /orders/{orderId}/refund` (REFUND_REQUESTED). */
    readonly refundRequestedAt?: string;
    readonly refundReason?: string;
    /** Written by the refund workflow when it marks the order REFUNDED. */
    readonly refundedAt?: string;
}
