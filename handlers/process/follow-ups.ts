import type { OrderTotals } from "../order/totals";
import { shippingExecutionName, type WorkflowStarter } from "../workflows/execution-names";

/** What the follow-ups of a confirmed order see of it: the same on every delivery. */
export interface ConfirmedOrder {
    readonly orderId: string;
    readonly totals: OrderTotals;
    readonly customerId?: string;
    /** When the order was stored: the event's time, so a republished event is the same event. */
    readonly createdAt: string;
}

/** An order id that came again with another payload (the stored order stands). */
export interface OrderConflict {
    readonly orderId: string;
    readonly storedPayloadHash: string;
    readonly receivedPayloadHash: string;
    /**
     * When SubmitOrder received the conflicting request (the message's `receivedAt`): the event's
     * time, the same on every delivery of that message.
     */
    readonly receivedAt: string;
}

/**
 * What happens after ProcessOrder has stored an order. Each step runs again on every redelivery
 * and must be idempotent; a step that throws fails the record, so SQS retries it.
 */
export interface OrderFollowUps {
    /** The order is CONFIRMED. */
    confirmed(order: ConfirmedOrder): Promise<void>;
    /** The record carried another payload for a stored order id. */
    conflict(conflict: OrderConflict): Promise<void>;
}

/** Publishes an order's events; a redelivery publishes the same events with the same ids. */
export interface OrderEventPublisher {
    orderPlaced(order: ConfirmedOrder): Promise<void>;
    orderConflict(conflict: OrderConflict): Promise<void>;
}

/**
 * The follow-ups the options switch on: publish OrderPlaced (events) and start the shipping
 * workflow (workflows), in that order, so a subscriber hears of the order before it ships; and
 * publish OrderConflict. Undefined when neither option is on.
 */
export function createFollowUps(options: {
    readonly events?: OrderEventPublisher;
    readonly startShipping?: WorkflowStarter;
}): OrderFollowUps | undefined {
    const { events, startShipping } = options;
    if (events === undefined && startShipping === undefined) return undefined;
    return {
        async confirmed(order) {
            await events?.orderPlaced(order);
            await startShipping?.(shippingExecutionName(order.orderId), { orderId: order.orderId });
        },
        async conflict(conflict) {
            await events?.orderConflict(conflict);
        },
    };
}
