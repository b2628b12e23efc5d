import { expect } from "chai";
import fc from "fast-check";
import { buildOrderMessage, parseOrderMessage, serializeOrderMessage } from "../../../handlers/order/message";
import { payloadHash } from "../../../handlers/order/payload-hash";
import { orderArb } from "../support/arbitraries";
import { sampleOrder } from "../support/fixtures";

const ORDER_ID = "0b6b1b8e-6a4f-8c1d-9e2f-3a4b5c6d7e8f";
const AT = new Date("2025-03-01T10:00:00.000Z");

describe("order queue message", () => {
    it("should carry the schema version, order id, time received, payload hash and the order", () => {
        expect(buildOrderMessage(ORDER_ID, AT, sampleOrder())).to.deep.equal({
            schemaVersion: 1,
            orderId: ORDER_ID,
            receivedAt: "2025-03-01T10:00:00.000Z",
            payloadHash: payloadHash(sampleOrder()),
            order: sampleOrder(),
        });
    });

    it("should write the body in printable ASCII, whatever characters the order holds", () => {
        const order = sampleOrder({ customer: { email: "zoe@example.com", name: "Zo\u00eb \u{1F600} \uFFFE \u4e2d" } });
        const text = serializeOrderMessage(buildOrderMessage(ORDER_ID, AT, order));
        expect(text).to.match(/^[\x20-\x7e]+$/);
        expect(text).to.include("Zo\\u00eb \\ud83d\\ude00 \\ufffe \\u4e2d");
        expect(JSON.parse(text).order).to.deep.equal(order);
    });

    it("should read back every message it writes, in ASCII (fuzz)", () => {
        fc.assert(
            fc.property(orderArb, fc.uuid(), (order, orderId) => {
                const message = buildOrderMessage(orderId, AT, order);
                const text = serializeOrderMessage(message);
                const parsed = parseOrderMessage(text);
                return /^[\x20-\x7e]*$/.test(text) && parsed.ok && JSON.stringify(parsed.message) === JSON.stringify(message);
            }),
            { numRuns: 200 },
        );
    });

    const message = () => buildOrderMessage(ORDER_ID, AT, sampleOrder()) as Record<string, unknown>;
    for (const [name, body, reason] of [
        ["a body that is not JSON", "order please", /not JSON/],
        ["an unknown schema version", JSON.stringify({ ...message(), schemaVersion: 2 }), /schema/],
        ["a missing order id", JSON.stringify({ ...message(), orderId: undefined }), /schema/],
        ["an order that breaks the order schema", JSON.stringify({ ...message(), order: { ...sampleOrder(), items: [] } }), /schema/],
        ["a payload hash of another order", JSON.stringify({ ...message(), payloadHash: payloadHash({ other: true }) }), /payloadHash does not match/],
        ["an unknown top-level property", JSON.stringify({ ...message(), retries: 1 }), /schema/],
    ] as const) {
        it(`should reject ${name}`, () => {
            const parsed = parseOrderMessage(body);
            expect(parsed.ok).to.equal(false);
            if (!parsed.ok) expect(parsed.reason).to.match(reason);
        });
    }

    it("should never throw on any string (fuzz)", () => {
        fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 500 }), (body) => parseOrderMessage(body).ok === false), { numRuns: 500 });
    });
});
