import { orderConflictDetail, orderEventEntry, orderPlacedDetail } from "../events/order-events";
import type { EventPublisher } from "../events/event-publisher";
import type { OrderEventPublisher } from "./follow-ups";

/**
 * ProcessOrder's events on the order bus: OrderPlaced once an order is CONFIRMED (its time is the
 * order's creation, so a republish after a redelivery is the same event with the same id) and
 * OrderConflict when an order id comes again with another body (its time is when that request was
 * received, carried by the message: the same on every delivery).
 */
export function createOrderEventPublisher(publisher: EventPublisher): OrderEventPublisher {
    return {
        async orderPlaced(order) {
            const detail = orderPlacedDetail({ orderId: order.orderId, occurredAt: order.createdAt, totals: order.totals, customerId: order.customerId });
            await publisher.publish([orderEventEntry(publisher.busName, "OrderPlaced", detail)]);
        },
        async orderConflict(conflict) {
            const { orderId, storedPayloadHash, receivedPayloadHash, receivedAt } = conflict;
            const detail = orderConflictDetail({ orderId, storedPayloadHash, receivedPayloadHash, occurredAt: new Date(receivedAt).toISOString() });
            await publisher.publish([orderEventEntry(publisher.busName, "OrderConflict", detail)]);
        },
    };
}
