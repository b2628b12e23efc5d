import { expect } from "chai";
import fc from "fast-check";
import { CURRENCY_MINOR_UNITS } from "../../../handlers/order/currencies";
import { formatMoney } from "../../../handlers/order/money";
import { ORDER_LIMITS } from "../../../handlers/order/schema";
import { computeTotals } from "../../../handlers/order/totals";
import { orderArb } from "../support/arbitraries";

describe("order totals", () => {
    it("should add quantity x unitPrice over every line in integer minor units", () => {
        const totals = computeTotals({
            currency: "EUR",
            items: [
                { sku: "A", quantity: 2, unitPrice: 1250 },
                { sku: "B", quantity: 3, unitPrice: 199 },
                { sku: "C", quantity: 1, unitPrice: 0 },
            ],
        });
        expect(totals).to.deep.equal({ currency: "EUR", subtotal: 3097, itemCount: 6, lineCount: 3 });
    });

    it("should stay exact for the largest order the schema allows", () => {
        const items = Array.from({ length: ORDER_LIMITS.maxItems }, (_, i) => ({ sku: `S${i}`, quantity: ORDER_LIMITS.maxQuantity, unitPrice: ORDER_LIMITS.maxUnitPrice }));
        const totals = computeTotals({ currency: "USD", items });
        expect(totals.subtotal).to.equal(ORDER_LIMITS.maxItems * ORDER_LIMITS.maxQuantity * ORDER_LIMITS.maxUnitPrice);
        expect(Number.isSafeInteger(totals.subtotal)).to.equal(true);
    });

    it("should refuse to round a total beyond the exact integer range", () => {
        expect(() => computeTotals({ currency: "USD", items: [{ sku: "A", quantity: 2 ** 30, unitPrice: 2 ** 30 }] })).to.throw(RangeError);
    });

    it("should give integer totals equal to the sum of the lines for every valid order (fuzz)", () => {
        fc.assert(
            fc.property(orderArb, (order) => {
                const totals = computeTotals(order);
                const expected = order.items.reduce((sum, item) => sum + BigInt(item.quantity) * BigInt(item.unitPrice), 0n);
                return Number.isSafeInteger(totals.subtotal) && BigInt(totals.subtotal) === expected && totals.lineCount === order.items.length;
            }),
            { numRuns: 200 },
        );
    });

    describe("formatMoney", () => {
        for (const [amount, currency, text] of [
            [3097, "EUR", "EUR 30.97"],
            [5, "EUR", "EUR 0.05"],
            [0, "EUR", "EUR 0.00"],
            [123456789, "USD", "USD 1,234,567.89"],
            [1500, "JPY", "JPY 1,500"],
            [1234, "KWD", "KWD 1.234"],
            [-250, "GBP", "GBP -2.50"],
        ] as const) {
            it(`should write ${amount} ${currency} as ${text}`, () => {
                expect(formatMoney(amount, currency)).to.equal(text);
            });
        }

        it("should use the minor units of every listed currency", () => {
            for (const [currency, digits] of Object.entries(CURRENCY_MINOR_UNITS)) {
                expect(formatMoney(10 ** digits, currency)).to.equal(`${currency} 1${digits > 0 ? `.${"0".repeat(digits)}` : ""}`);
            }
        });

        it("should refuse an unknown currency", () => {
            expect(() => formatMoney(1, "XYZ")).to.throw(/unknown currency XYZ/);
        });
    });
});
