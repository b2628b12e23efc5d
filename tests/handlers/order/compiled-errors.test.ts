import { expect } from "chai";
import fc from "fast-check";
import { Compile } from "typebox/compile";
import { compileErrorWalk } from "../../../handlers/order/compiled-errors";
import { OrderSchema } from "../../../handlers/order/schema";
import { typeboxViolations } from "../../../handlers/order/validation";
import { jsonValueArb, orderArb } from "../support/arbitraries";

const compiled = Compile(OrderSchema);
const walk = compileErrorWalk(OrderSchema);

/** Violations as sorted "pointer: detail" lines, so two walks can be compared as multisets. */
function lines(violations: readonly { pointer: string; detail: string }[]): string[] {
    return violations.map((v) => `${v.pointer}: ${v.detail}`).sort();
}

/** Paths into an order where a fault can be planted. */
const FIELDS = [
    ["customer"], ["customer", "email"], ["customer", "name"], ["customer", "id"], ["customer", "extra"],
    ["items"], ["items", 0], ["items", 0, "sku"], ["items", 0, "quantity"], ["items", 0, "unitPrice"], ["items", 0, "x"],
    ["currency"], ["shippingAddress"], ["shippingAddress", "line1"], ["shippingAddress", "line2"], ["shippingAddress", "city"],
    ["shippingAddress", "postalCode"], ["shippingAddress", "country"], ["shippingAddress", "region"], ["total"],
] as const;

/** A value for a fault: wrong types, boundary numbers, hostile strings, or nothing at all. */
const faultArb: fc.Arbitrary<unknown> = fc.oneof(
    jsonValueArb,
    fc.constantFrom<unknown>(undefined, null, 0, -1, 1.5, 1001, 100_000_001, 2 ** 53, "", " ", "\u0000", "\u2028", "a\ud800", "\ude00\ud83d", "a\u0085", "\u200b\u200b", "\u0301", "XX", "a".repeat(300), [], {}),
    fc.string({ unit: "binary", maxLength: 40 }),
);

/** An order with one to four faults planted (a planted `undefined` removes the field), as parsed JSON. */
const faultyOrderArb = fc.tuple(orderArb, fc.array(fc.tuple(fc.constantFrom(...FIELDS), faultArb), { minLength: 1, maxLength: 4 })).map(([order, faults]) => {
    const value = structuredClone(order) as any;
    for (const [field, fault] of faults) {
        let parent = value;
        for (const key of field.slice(0, -1)) parent = parent?.[key];
        if (parent === null || typeof parent !== "object") continue;
        const last = field[field.length - 1];
        if (fault === undefined) delete parent[last];
        else parent[last] = structuredClone(fault);
    }
    // What a handler validates is JSON.parse's output: no holes, no undefined.
    return JSON.parse(JSON.stringify(value)) as unknown;
});

describe("compiled error walk", () => {
    it("should find exactly the violations typebox's own walk finds, on orders with planted faults", () => {
        fc.assert(
            fc.property(faultyOrderArb, (value) => {
                if (compiled.Check(value)) return;
                const reference = typeboxViolations(compiled, value);
                if (reference.stoppedEarly) return;
                expect(lines(walk(value))).to.deep.equal(lines(reference.violations));
            }),
            { numRuns: 400, seed: 20261203 },
        );
    });

    it("should find the same violations on arbitrary JSON values", () => {
        fc.assert(
            fc.property(jsonValueArb, (value) => {
                if (compiled.Check(value)) return;
                expect(lines(walk(value))).to.deep.equal(lines(typeboxViolations(compiled, value).violations));
            }),
            { numRuns: 200, seed: 7 },
        );
    });

    it("should find nothing to say about a valid order", () => {
        fc.assert(fc.property(orderArb, (order) => {
            expect(walk(order)).to.deep.equal([]);
        }), { numRuns: 50, seed: 3 });
    });
});
