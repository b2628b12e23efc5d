/**
 * The life of a stored order, in one table. A status may only move along an edge listed here;
 * the store and the workflows enforce it with conditional writes built from this table
 * (`handlers/store/transition-condition.ts`). A new state is one new key here and one new edge
 * from each status that may lead to it.
 */
export const STATUS_TRANSITIONS = {
    /** Written by ProcessOrder; the confirmation email is not out yet. */
    STORED: ["CONFIRMED", "FAILED"],
    /** The confirmation email went out (or email is switched off). */
    CONFIRMED: ["PREPARING", "REFUND_REQUESTED"],
    /** The shipping workflow reserved the order and waits for the shipment callback. */
    PREPARING: ["SHIPPED", "REFUND_REQUESTED"],
    /** The shipment callback came back; the shipping workflow marked the order shipped. */
    SHIPPED: ["REFUND_REQUESTED"],
    /** `POST /orders/{orderId}/refund` accepted a refund; the refund workflow runs. */
    REFUND_REQUESTED: ["REFUNDED"],
    /** The refund workflow marked the order refunded. */
    REFUNDED: [],
    /**
     * ProcessOrder found that the order can never be confirmed (its confirmation email can never be
     * sent): the reason is on the order, and the record is not retried. Final.
     */
    FAILED: [],
} as const satisfies Record<string, readonly string[]>;

/** A status a stored order can have. */
export type OrderStatus = keyof typeof STATUS_TRANSITIONS;

/** Every status, in the table's order. */
export const ORDER_STATUSES = Object.keys(STATUS_TRANSITIONS) as OrderStatus[];

/** The status an order is stored with. */
export const INITIAL_STATUS: OrderStatus = "STORED";

/** What `POST /orders` answers: the order is on the queue, not yet stored. */
export const ACCEPTED_STATUS = "ACCEPTED";

const edges: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = STATUS_TRANSITIONS;

/** True when an order may move from `from` to `to` in one step. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
    return edges[from].includes(to);
}

/** The statuses from which an order may move to `to` in one step (the condition of the update). */
export function predecessorsOf(to: OrderStatus): OrderStatus[] {
    return ORDER_STATUSES.filter((from) => canTransition(from, to));
}

/**
 * True when an order in `current` has already been through `target`: it is `target`, or a status
 * reachable from it. A repeated step (a redelivered message) is then a no-op, not an error.
 */
export function hasReached(current: OrderStatus, target: OrderStatus): boolean {
    const seen = new Set<OrderStatus>();
    const pending: OrderStatus[] = [target];
    while (pending.length > 0) {
        const status = pending.pop()!;
        if (status === current) return true;
        if (seen.has(status)) continue;
        seen.add(status);
        pending.push(...edges[status]);
    }
    return false;
}

/** True when the value is one of {@link ORDER_STATUSES}. */
export function isOrderStatus(value: unknown): value is OrderStatus {
    return typeof value === "string" && Object.hasOwn(STATUS_TRANSITIONS, value);
}
