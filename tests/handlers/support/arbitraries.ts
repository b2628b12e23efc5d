import fc from "fast-check";
import { COUNTRY_CODES } from "../../../handlers/order/countries";
import { CURRENCY_CODES } from "../../../handlers/order/currencies";
import { ORDER_LIMITS, TEXT_PATTERN, type Order } from "../../../handlers/order/schema";

const TEXT = new RegExp(TEXT_PATTERN, "u");

/** Free text the schema accepts: well-formed, a visible character, no control characters. */
export function textArb(maxLength: number): fc.Arbitrary<string> {
    return fc
        .string({ unit: "grapheme", minLength: 1, maxLength: Math.min(maxLength, 40) })
        .filter((s) => s.length <= maxLength && TEXT.test(s));
}

const localPart = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/);
const domain = fc.stringMatching(/^[a-z0-9]{1,12}\.[a-z]{2,6}$/);

/** A deliverable email address. */
export const emailArb = fc.tuple(localPart, domain).map(([local, host]) => `${local}@${host}`).filter((e) => !/\.\.|\.@/.test(e));

/** Any order the schema accepts. */
export const orderArb: fc.Arbitrary<Order> = fc.record({
    customer: fc.record(
        { email: emailArb, name: textArb(200), id: fc.stringMatching(/^[\x21-\x7E]{1,32}$/) },
        { requiredKeys: ["email", "name"] },
    ),
    items: fc.array(
        fc.record({
            sku: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/),
            quantity: fc.integer({ min: 1, max: ORDER_LIMITS.maxQuantity }),
            unitPrice: fc.integer({ min: 0, max: ORDER_LIMITS.maxUnitPrice }),
        }),
        { minLength: 1, maxLength: 12 },
    ),
    currency: fc.constantFrom(...CURRENCY_CODES),
    shippingAddress: fc.record(
        {
            line1: textArb(200),
            line2: textArb(200),
            city: textArb(100),
            region: textArb(100),
            postalCode: textArb(20),
            country: fc.constantFrom(...COUNTRY_CODES),
        },
        { requiredKeys: ["line1", "city", "postalCode", "country"] },
    ),
});

/** Any JSON value, including deep nesting and keys such as `__proto__` and `constructor`. */
export const jsonValueArb: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 6 }).chain((value) => {
    const text = JSON.stringify(value);
    // Built as text: in an object literal `__proto__` would set the prototype, not a key.
    return fc
        .constantFrom(text, `{"__proto__":${text}}`, `{"constructor":{"prototype":${text}}}`, `[${text}]`)
        .map((json) => JSON.parse(json) as unknown);
});

/** The same JSON value with its object keys in a random order at every level. */
export function shuffledKeys(value: unknown): fc.Arbitrary<unknown> {
    if (Array.isArray(value)) return fc.tuple(...value.map(shuffledKeys)).map((items) => items);
    if (value === null || typeof value !== "object") return fc.constant(value);
    const entries = Object.entries(value);
    if (entries.length === 0) return fc.constant({});
    return fc
        .tuple(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), ...entries.map(([, v]) => shuffledKeys(v)))
        .map(([order, ...values]) => {
            const byKey = new Map(entries.map(([k], i) => [k, values[i]]));
            return Object.fromEntries((order as [string, unknown][]).map(([k]) => [k, byKey.get(k)]));
        });
}
