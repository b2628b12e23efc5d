import { expect } from "chai";
import fc from "fast-check";
import { canonicalJson, payloadHash } from "../../../handlers/order/payload-hash";
import { orderArb, shuffledKeys } from "../support/arbitraries";
import { sampleOrder } from "../support/fixtures";

describe("canonical payload hash", () => {
    it("should sort keys at every level and drop whitespace", () => {
        expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } })).to.equal('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    });

    it("should give the same hash whatever the key order and formatting of the body", () => {
        const order = sampleOrder();
        const reordered = JSON.parse(JSON.stringify({ shippingAddress: order.shippingAddress, currency: order.currency, items: order.items, customer: order.customer }, null, 4));
        expect(payloadHash(reordered)).to.equal(payloadHash(order)).and.match(/^[0-9a-f]{64}$/);
    });

    it("should give another hash when the line items change order or any value changes", () => {
        const order = sampleOrder();
        expect(payloadHash({ ...order, items: [...order.items].reverse() })).not.to.equal(payloadHash(order));
        expect(payloadHash({ ...order, currency: "USD" })).not.to.equal(payloadHash(order));
    });

    it("should refuse values that are not JSON", () => {
        expect(() => canonicalJson(() => 1)).to.throw(TypeError);
    });

    it("should be invariant under key shuffling and round-trip as JSON (fuzz)", () => {
        fc.assert(
            fc.property(orderArb.chain((order) => fc.tuple(fc.constant(order), shuffledKeys(order))), ([order, shuffled]) => {
                const text = canonicalJson(order);
                return payloadHash(shuffled) === payloadHash(order) && JSON.stringify(JSON.parse(text)) === text;
            }),
            { numRuns: 200 },
        );
    });
});
