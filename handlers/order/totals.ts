import type { Order } from "./schema";

/** What an order adds up to, computed by the pipeline from its line items (never sent by a client). */
export interface OrderTotals {
    /** ISO 4217 code of every amount. */
    readonly currency: string;
    /** Sum of quantity x unitPrice over every line, in minor units. */
    readonly subtotal: number;
    /** Units ordered: the sum of the quantities. */
    readonly itemCount: number;
    /** Number of line items. */
    readonly lineCount: number;
}

/**
 * Adds up an order in integer minor units. The schema's limits keep every sum below 2^53; the
 * check below turns a future change of those limits into an error instead of a rounded total.
 */
export function computeTotals(order: Pick<Order, "currency" | "items">): OrderTotals {
    let subtotal = 0;
    let itemCount = 0;
    for (const item of order.items) {
        subtotal += item.quantity * item.unitPrice;
        itemCount += item.quantity;
    }
    if (!Number.isSafeInteger(subtotal)) throw new RangeError("order subtotal exceeds the exact integer range");
    return { currency: order.currency, subtotal, itemCount, lineCount: order.items.length };
}
