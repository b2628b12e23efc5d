import { expect } from "chai";
import {
    InvalidOrderEventError,
    ORDER_EVENT_SOURCE,
    orderConflictDetail,
    orderEventEntry,
    orderEventId,
    orderPlacedDetail,
    orderRefundedDetail,
    orderShippedDetail,
    validateOrderEventDetail,
    type OrderEventType,
} from "../../../handlers/events/order-events";
import { payloadHash } from "../../../handlers/order/payload-hash";

const ORDER_ID = "0b6b1b8e-6a4f-8c1d-9e2f-3a4b5c6d7e8f";
const AT = "2025-01-01T12:00:00.000Z";
const STORED_HASH = payloadHash({ a: 1 });
const RECEIVED_HASH = payloadHash({ a: 2 });
const TOTALS = { currency: "EUR", subtotal: 2500, itemCount: 2, lineCount: 1 };

/** One valid detail per type, built by the module's own builders. */
const GOOD: Record<OrderEventType, Record<string, unknown>> = {
    OrderPlaced: orderPlacedDetail({ orderId: ORDER_ID, occurredAt: AT, totals: TOTALS }),
    OrderShipped: orderShippedDetail({ orderId: ORDER_ID, carrier: "DHL", trackingNumber: "JJD000390007", shippedAt: AT }),
    OrderRefunded: orderRefundedDetail({ orderId: ORDER_ID, refundedAt: AT }),
    OrderConflict: orderConflictDetail({ orderId: ORDER_ID, occurredAt: AT, storedPayloadHash: STORED_HASH, receivedPayloadHash: RECEIVED_HASH }),
};
const TYPES = Object.keys(GOOD) as OrderEventType[];

function violations(type: OrderEventType, value: unknown) {
    const result = validateOrderEventDetail[type](value);
    return result.ok ? [] : result.violations;
}

describe("order events", () => {
    it("should derive deterministic event ids from the type, the order and (for conflicts) the received body", () => {
        expect(orderEventId("OrderPlaced", ORDER_ID)).to.equal(`OrderPlaced:${ORDER_ID}`);
        expect(orderEventId("OrderConflict", ORDER_ID, RECEIVED_HASH)).to.equal(`OrderConflict:${ORDER_ID}:${RECEIVED_HASH}`);
        expect(GOOD.OrderShipped.eventId).to.equal(`OrderShipped:${ORDER_ID}`);
        expect(GOOD.OrderConflict.eventId).to.equal(`OrderConflict:${ORDER_ID}:${RECEIVED_HASH}`);
        expect(() => (orderEventId as (t: string, o: string) => string)("OrderConflict", ORDER_ID)).to.throw(/received payload hash/);
    });

    for (const type of TYPES) {
        describe(type, () => {
            it("should accept the detail its builder makes, version 1", () => {
                expect(violations(type, GOOD[type])).to.deep.equal([]);
                expect(GOOD[type].version).to.equal(1);
            });

            it("should reject a detail without a required member, pointing at it", () => {
                for (const member of ["eventId", "version", "orderId", "occurredAt"]) {
                    const { [member]: _removed, ...rest } = GOOD[type];
                    expect(violations(type, rest), member).to.deep.include({ pointer: `/${member}`, detail: "is required" });
                }
            });

            it("should reject an unknown member (no field may leak into an event)", () => {
                expect(violations(type, { ...GOOD[type], email: "ada@example.com" })).to.deep.include({ pointer: "/email", detail: "is not an allowed property" });
            });

            it("should reject another version, an upper-case order id and a time that is not ISO 8601", () => {
                expect(violations(type, { ...GOOD[type], version: 2 }).map((v) => v.pointer)).to.include("/version");
                expect(violations(type, { ...GOOD[type], orderId: ORDER_ID.toUpperCase() }).map((v) => v.pointer)).to.include("/orderId");
                expect(violations(type, { ...GOOD[type], occurredAt: "yesterday" }).map((v) => v.pointer)).to.include("/occurredAt");
            });

            it("should reject an event id of another type", () => {
                const other = TYPES.find((t) => t !== type)!;
                expect(violations(type, { ...GOOD[type], eventId: `${other}:${ORDER_ID}` }).map((v) => v.pointer)).to.include("/eventId");
            });
        });
    }

    it("OrderPlaced: should carry the four totals only, and a customer id when given", () => {
        const detail = orderPlacedDetail({ orderId: ORDER_ID, occurredAt: AT, totals: { ...TOTALS, secret: "x" } as typeof TOTALS, customerId: "sub-123" });
        expect(detail.totals).to.deep.equal(TOTALS);
        expect(detail.customerId).to.equal("sub-123");
        expect(violations("OrderPlaced", detail)).to.deep.equal([]);
        expect(violations("OrderPlaced", { ...detail, totals: { ...TOTALS, currency: "XXX1" } }).map((v) => v.pointer)).to.include("/totals/currency");
        expect(violations("OrderPlaced", { ...detail, customer: { email: "ada@example.com" } }).map((v) => v.pointer)).to.include("/customer");
    });

    it("OrderConflict: should reject a hash that is not SHA-256 hex", () => {
        expect(violations("OrderConflict", { ...GOOD.OrderConflict, storedPayloadHash: "abc" }).map((v) => v.pointer)).to.include("/storedPayloadHash");
    });

    it("should build a PutEvents entry with the source, the detail-type, the detail as JSON, the bus and the time it happened", () => {
        const entry = orderEventEntry("orders-bus", "OrderPlaced", GOOD.OrderPlaced as never);
        expect(entry).to.deep.equal({
            Source: ORDER_EVENT_SOURCE,
            DetailType: "OrderPlaced",
            Detail: JSON.stringify(GOOD.OrderPlaced),
            EventBusName: "orders-bus",
            Time: new Date(AT),
        });
        expect(ORDER_EVENT_SOURCE).to.equal("order-pipeline");
    });

    it("should refuse to build an entry for a detail that breaks its schema, naming the fault", () => {
        const bad = { ...GOOD.OrderRefunded, refundedAt: "soon" };
        expect(() => orderEventEntry("orders-bus", "OrderRefunded", bad as never))
            .to.throw(InvalidOrderEventError)
            .with.property("message")
            .that.contains("/refundedAt");
    });
});
