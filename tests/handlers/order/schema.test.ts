import { expect } from "chai";
import fc from "fast-check";
import { MAX_REPORTED_VIOLATIONS } from "../../../handlers/order/validation";
import { validateOrder } from "../../../handlers/order/validate-order";
import { ORDER_LIMITS, TEXT_PATTERN_DETAIL } from "../../../handlers/order/schema";
import { jsonValueArb, orderArb } from "../support/arbitraries";
import { sampleOrder } from "../support/fixtures";

/** The pointers of the violations of a value, sorted; [] when it is valid. */
function pointers(value: unknown): string[] {
    const result = validateOrder(value);
    return result.ok ? [] : result.violations.map((v) => v.pointer).sort();
}

/** A deep copy of the sample order with one change applied. */
function changed(change: (order: any) => void): unknown {
    const order = structuredClone(sampleOrder()) as any;
    change(order);
    return order;
}

describe("order schema", () => {
    it("should accept the design document's example order", () => {
        const result = validateOrder({
            customer: { email: "ada@example.com", name: "Ada Lovelace" },
            items: [{ sku: "BOOK-1", quantity: 2, unitPrice: 1250 }],
            currency: "EUR",
            shippingAddress: { line1: "1 Main St", city: "London", postalCode: "N1 1AA", country: "GB" },
        });
        expect(result.ok).to.equal(true);
    });

    it("should accept the optional customer.id, shippingAddress.line2 and shippingAddress.region", () => {
        expect(pointers(changed((o) => {
            o.customer.id = "cust-42";
            o.shippingAddress.line2 = "Flat 3";
            o.shippingAddress.region = "Greater London";
        }))).to.deep.equal([]);
    });

    const faults: Array<[string, (order: any) => void, string]> = [
        ["a missing customer", (o) => delete o.customer, "/customer"],
        ["a missing email", (o) => delete o.customer.email, "/customer/email"],
        ["an email without a domain dot", (o) => (o.customer.email = "ada@localhost"), "/customer/email"],
        ["an email with a quoted local part", (o) => (o.customer.email = '"ada lovelace"@example.com'), "/customer/email"],
        ["an email over 254 characters", (o) => (o.customer.email = `${"a".repeat(250)}@example.com`), "/customer/email"],
        ["a blank name", (o) => (o.customer.name = "   "), "/customer/name"],
        ["a name with a line break", (o) => (o.customer.name = "Ada\nBcc: x@example.com"), "/customer/name"],
        ["a name over 200 characters", (o) => (o.customer.name = "A".repeat(201)), "/customer/name"],
        ["a customer id with a space", (o) => (o.customer.id = "cust 42"), "/customer/id"],
        ["no items", (o) => (o.items = []), "/items"],
        ["more than 100 items", (o) => (o.items = Array.from({ length: ORDER_LIMITS.maxItems + 1 }, () => o.items[0])), "/items"],
        ["a quantity of 0", (o) => (o.items[0].quantity = 0), "/items/0/quantity"],
        ["a quantity over 1000", (o) => (o.items[1].quantity = 1001), "/items/1/quantity"],
        ["a fractional quantity", (o) => (o.items[0].quantity = 1.5), "/items/0/quantity"],
        ["a quantity as a string", (o) => (o.items[0].quantity = "2"), "/items/0/quantity"],
        ["a fractional unit price", (o) => (o.items[0].unitPrice = 12.5), "/items/0/unitPrice"],
        ["a negative unit price", (o) => (o.items[0].unitPrice = -1), "/items/0/unitPrice"],
        ["a unit price over the limit", (o) => (o.items[0].unitPrice = ORDER_LIMITS.maxUnitPrice + 1), "/items/0/unitPrice"],
        ["a sku with a slash", (o) => (o.items[0].sku = "BOOK/1"), "/items/0/sku"],
        ["a currency in lower case", (o) => (o.currency = "eur"), "/currency"],
        ["a currency that does not exist", (o) => (o.currency = "XYZ"), "/currency"],
        ["a fund code instead of a currency", (o) => (o.currency = "CHE"), "/currency"],
        ["a country that does not exist", (o) => (o.shippingAddress.country = "UK"), "/shippingAddress/country"],
        ["a postal code over 20 characters", (o) => (o.shippingAddress.postalCode = "1".repeat(21)), "/shippingAddress/postalCode"],
        ["a client-supplied total", (o) => (o.total = 1), "/total"],
        ["an unknown line item property", (o) => (o.items[0].discount = 5), "/items/0/discount"],
        ["a __proto__ key", (o) => Object.defineProperty(o.customer, "__proto__", { value: { admin: true }, enumerable: true }), "/customer/__proto__"],
        ["a key with / and ~", (o) => (o.shippingAddress["a/b~c"] = 1), "/shippingAddress/a~1b~0c"],
    ];
    // Hostile free text, in every free-text field: each is refused with the field's pointer.
    const hostileTexts: Array<[string, string]> = [
        ["a lone high surrogate", "Ada \ud800 L"],
        ["a lone low surrogate", "Ada \udc00"],
        ["a reversed surrogate pair", "\ude00\ud83d"],
        ["a C1 control (NEL)", "Ada\u0085Lovelace"],
        ["a C1 control (CSI)", "Ada \u009b31m"],
        ["DEL", "Ada\u007f"],
        ["only zero-width spaces", "\u200b\u200b"],
        ["only a zero-width joiner and a word joiner", "\u200d\u2060"],
        ["only bidi controls and spaces", "\u202e \u2066"],
        ["only Hangul fillers", "\u3164\u115f"],
        ["only combining marks", "\u0301\u0308"],
        ["only a byte order mark and no-break spaces", "\ufeff\u00a0\u3000"],
    ];
    const textFields: Array<[string, (o: any, value: string) => void]> = [
        ["/customer/name", (o, v) => (o.customer.name = v)],
        ["/shippingAddress/line1", (o, v) => (o.shippingAddress.line1 = v)],
        ["/shippingAddress/line2", (o, v) => (o.shippingAddress.line2 = v)],
        ["/shippingAddress/city", (o, v) => (o.shippingAddress.city = v)],
        ["/shippingAddress/region", (o, v) => (o.shippingAddress.region = v)],
        ["/shippingAddress/postalCode", (o, v) => (o.shippingAddress.postalCode = v)],
    ];
    for (const [name, text] of hostileTexts) {
        it(`should reject ${name} in every free-text field, naming the field`, () => {
            for (const [pointer, set] of textFields) {
                const result = validateOrder(changed((o) => set(o, text)));
                expect(result.ok, pointer).to.equal(false);
                if (result.ok) continue;
                expect(result.violations, pointer).to.deep.equal([{ pointer, detail: TEXT_PATTERN_DETAIL }]);
            }
        });
    }

    it("should accept names with visible text around zero-width, bidi and combining characters, and astral characters", () => {
        for (const name of ["Ada\u200dLovelace", "\u202bעדה\u202c", "Zoe\u0308", "Ada 😀", "𝔄𝔡𝔞", "José"]) {
            expect(pointers(changed((o) => (o.customer.name = name))), JSON.stringify(name)).to.deep.equal([]);
        }
    });

    for (const [name, change, pointer] of faults) {
        it(`should reject ${name} at ${pointer}`, () => {
            expect(pointers(changed(change))).to.include(pointer);
        });
    }

    it("should list every violation at once, each with its JSON Pointer", () => {
        // Prepare
        const order = changed((o) => {
            delete o.customer.name;
            o.items[0].quantity = 0;
            o.items[1].unitPrice = "free";
            o.currency = "EURO";
            o.shippingAddress.country = "Britain";
            o.coupon = "X";
        });

        // Act
        const result = validateOrder(order);

        // Assess
        expect(result.ok).to.equal(false);
        if (result.ok) return;
        expect(result.truncated).to.equal(false);
        expect(result.violations.map((v) => v.pointer).sort()).to.deep.equal(
            ["/coupon", "/currency", "/customer/name", "/items/0/quantity", "/items/1/unitPrice", "/shippingAddress/country"].sort(),
        );
        expect(result.violations.find((v) => v.pointer === "/customer/name")?.detail).to.equal("is required");
        expect(result.violations.find((v) => v.pointer === "/coupon")?.detail).to.equal("is not an allowed property");
    });

    it(`should report at most ${MAX_REPORTED_VIOLATIONS} violations and say that more were left out`, () => {
        const order = changed((o) => {
            for (let i = 0; i < 500; i++) o[`extra${i}`] = i;
        });
        const result = validateOrder(order);
        expect(result.ok).to.equal(false);
        if (result.ok) return;
        expect(result.violations).to.have.length(MAX_REPORTED_VIOLATIONS);
        expect(result.truncated).to.equal(true);
    });

    it("should leave Object.prototype untouched when validating a body with __proto__ keys", () => {
        validateOrder(JSON.parse('{"__proto__": {"polluted": true}, "customer": {"__proto__": {"polluted": true}}}'));
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });

    describe("fuzz", () => {
        it("should accept every order the generator makes", () => {
            fc.assert(fc.property(orderArb, (order) => validateOrder(order).ok), { numRuns: 300 });
        });

        it("should never throw on any JSON value and give JSON Pointers for whatever it rejects", () => {
            fc.assert(
                fc.property(jsonValueArb, (value) => {
                    const result = validateOrder(value);
                    if (result.ok) return true;
                    return result.violations.length > 0 && result.violations.every((v) => v.pointer === "" || v.pointer.startsWith("/"));
                }),
                { numRuns: 500 },
            );
        });

        it("should reject an order after any one field is replaced by a value of the wrong type, at that field's pointer", () => {
            const fields = ["/customer/email", "/customer/name", "/items/0/sku", "/items/0/quantity", "/items/0/unitPrice", "/currency", "/shippingAddress/city", "/shippingAddress/country"];
            fc.assert(
                fc.property(orderArb, fc.constantFrom(...fields), fc.constantFrom<unknown>(null, true, [], {}, 1.5), (order, pointer, wrong) => {
                    const copy = structuredClone(order) as any;
                    const path = pointer.slice(1).split("/");
                    const parent = path.slice(0, -1).reduce((node, key) => node[key], copy);
                    parent[path[path.length - 1]] = wrong;
                    return pointers(copy).includes(pointer);
                }),
                { numRuns: 300 },
            );
        });
    });
});
