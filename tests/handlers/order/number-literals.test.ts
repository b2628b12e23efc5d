import { expect } from "chai";
import { readJsonBody } from "../../../handlers/http/body";
import { payloadHash } from "../../../handlers/order/payload-hash";
import { validateOrder } from "../../../handlers/order/validate-order";
import { sampleOrder } from "../support/fixtures";

/** The sample order as the text a client sends, with `items[0].<field>` written as a raw literal. */
function bodyWith(field: "quantity" | "unitPrice", literal: string): string {
    const order = structuredClone(sampleOrder()) as any;
    order.items[0][field] = "__N__";
    return JSON.stringify(order).replace('"__N__"', literal);
}

function read(body: string) {
    const parsed = readJsonBody({ body, isBase64Encoded: false, contentType: "application/json", contentEncoding: undefined });
    if (!parsed.ok) throw new Error(parsed.detail);
    return validateOrder(parsed.value);
}

// JSON numbers are compared by value, as JSON Schema's "integer" is defined (a number with a zero
// fractional part): docs/http-api.md promises it, and this is what it means for each literal.
describe("integer fields and how a JSON number is written", () => {
    for (const [literal, value] of [["2", 2], ["2.0", 2], ["2.0e0", 2], ["0.2e1", 2], ["2E0", 2]] as const) {
        it(`should take quantity ${literal} as the integer ${value}, the same order as ${value}`, () => {
            const result = read(bodyWith("quantity", literal));
            expect(result.ok).to.equal(true);
            if (!result.ok) return;
            expect(result.value.items[0].quantity).to.equal(value);
            const plain = read(bodyWith("quantity", String(value)));
            expect(plain.ok && payloadHash(result.value) === payloadHash(plain.value)).to.equal(true);
        });
    }

    it("should take unitPrice -0 as 0, and write it as 0 on the queue", () => {
        const result = read(bodyWith("unitPrice", "-0"));
        expect(result.ok).to.equal(true);
        if (!result.ok) return;
        expect(JSON.stringify(result.value.items[0].unitPrice)).to.equal("0");
    });

    it("should take 1e-400 as 0 (it underflows): refused as a quantity, a free item as a unit price", () => {
        const quantity = read(bodyWith("quantity", "1e-400"));
        expect(quantity.ok).to.equal(false);
        if (!quantity.ok) expect(quantity.violations).to.deep.equal([{ pointer: "/items/0/quantity", detail: "must be >= 1" }]);
        const price = read(bodyWith("unitPrice", "1e-400"));
        expect(price.ok && price.value.items[0].unitPrice).to.equal(0);
    });

    for (const literal of ["2.5", "1e400", "9007199254740993", "1.0000000000000002"]) {
        it(`should refuse quantity ${literal}, at its pointer`, () => {
            const result = read(bodyWith("quantity", literal));
            expect(result.ok).to.equal(false);
            if (!result.ok) expect(result.violations.map((v) => v.pointer)).to.deep.equal(["/items/0/quantity"]);
        });
    }
});
