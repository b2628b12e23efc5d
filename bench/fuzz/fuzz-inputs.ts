import fc from "fast-check";
import { COUNTRY_CODES } from "../../handlers/order/countries";
import { CURRENCY_CODES } from "../../handlers/order/currencies";
import { ORDER_LIMITS } from "../../handlers/order/schema";

/** The kinds of request body the fuzzer sends; each run draws one. */
export const INPUT_CLASSES = [
    /** A valid order whose free text mixes scripts, astral characters, zero-width and bidi marks around visible text. */
    "valid-unicode",
    /** A valid order with one free-text field replaced by hostile text (lone surrogates, controls, nothing visible). */
    "hostile-text",
    /** A valid order with a number at or past a boundary, written as a raw JSON literal (1.0, -0, 1e-400, 2^53 ...). */
    "number-boundary",
    /** A valid order nested inside, or replaced by, deep arrays and objects. */
    "deep-nesting",
    /** A valid order with a key written twice. */
    "duplicate-key",
    /** Any JSON value. */
    "random-json",
    /** Any text, often not JSON at all. */
    "random-text",
] as const;

/** One of {@link INPUT_CLASSES}. */
export type InputClass = (typeof INPUT_CLASSES)[number];

/** One request the fuzzer sends: its class and the exact body text. */
export interface FuzzInput {
    readonly inputClass: InputClass;
    readonly body: string;
}

/** Text that renders and that the schema's free-text rule accepts. */
const visibleText = fc.oneof(
    fc.constantFrom("Ada Lovelace", "José Ñúñez", "Zoë O'Brien", "李小龍", "Мария", "עדה לאבלייס", "محمد", "𝔄𝔡𝔞 😀", "Ada\u200dLovelace", "\u202bעדה\u202c", "Zoe\u0308"),
    fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 30 }).map((s) => `A${s}`.replace(/[\u0000-\u001f\u007f]/g, "x")),
);

/** Text that no free-text field may hold. */
const hostileText = fc.oneof(
    fc.constantFrom(
        "Ada \ud800 L", "\udc00", "\ude00\ud83d", "Ada\u0085", "\u009b31m", "A\u0000B", "A\u007f", "Ada\nBcc: x@example.com", "A\u2028B",
        "\u200b\u200b", "\u200d\u2060", "\u202e \u2066", "\u3164", "\u0301\u0308", "\ufeff\u00a0", " ", "",
    ),
    fc.string({ unit: "binary", minLength: 0, maxLength: 12 }).filter((s) => /[\u0000-\u001f\u007f-\u009f]|\p{Surrogate}/u.test(s)),
);

const orderValue = fc.record({
    customer: fc.record({ email: fc.constantFrom("ada@example.com", "b.c+d@shop.example.org"), name: visibleText }),
    items: fc.array(
        fc.record({
            sku: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/),
            quantity: fc.integer({ min: 1, max: ORDER_LIMITS.maxQuantity }),
            unitPrice: fc.integer({ min: 0, max: ORDER_LIMITS.maxUnitPrice }),
        }),
        { minLength: 1, maxLength: 5 },
    ),
    currency: fc.constantFrom(...CURRENCY_CODES),
    shippingAddress: fc.record(
        { line1: visibleText, line2: visibleText, city: visibleText, region: visibleText, postalCode: fc.constantFrom("N1 1AA", "75001", "〒100-0001"), country: fc.constantFrom(...COUNTRY_CODES) },
        { requiredKeys: ["line1", "city", "postalCode", "country"] },
    ),
});

const TEXT_FIELDS = [["customer", "name"], ["shippingAddress", "line1"], ["shippingAddress", "city"], ["shippingAddress", "postalCode"], ["shippingAddress", "region"]] as const;

/** JSON number literals at and past the limits, as raw text (JSON.stringify could not write most of them). */
const numberLiteral = fc.constantFrom(
    "0", "1", "-1", "-0", "1.0", "2.0e0", "1e0", "1E2", "0.5", "1.5", "1e-400", "1e400", "-1e400",
    String(ORDER_LIMITS.maxQuantity), String(ORDER_LIMITS.maxQuantity + 1), String(ORDER_LIMITS.maxUnitPrice), String(ORDER_LIMITS.maxUnitPrice + 1),
    "9007199254740991", "9007199254740993", "1e308", "123456789012345678901234567890", "0.1e1", "00", "01", "+1", "NaN", "Infinity", ".5", "5.",
);

function stringifyValid(order: unknown): string {
    return JSON.stringify(order);
}

const validUnicode = orderValue.map((order): FuzzInput => ({ inputClass: "valid-unicode", body: stringifyValid(order) }));

const hostile = fc.tuple(orderValue, fc.constantFrom(...TEXT_FIELDS), hostileText).map(([order, [parent, key], text]): FuzzInput => {
    const copy = structuredClone(order) as unknown as Record<string, Record<string, unknown>>;
    copy[parent][key] = text;
    return { inputClass: "hostile-text", body: JSON.stringify(copy) };
});

const numbers = fc.tuple(orderValue, fc.constantFrom("quantity", "unitPrice"), numberLiteral).map(([order, field, literal]): FuzzInput => {
    // A placeholder swapped for the raw literal after stringifying.
    const copy = structuredClone(order) as { items: Array<Record<string, unknown>> };
    copy.items[0][field] = "__NUMBER__";
    return { inputClass: "number-boundary", body: JSON.stringify(copy).replace('"__NUMBER__"', literal) };
});

const nesting = fc.tuple(orderValue, fc.integer({ min: 1, max: 5000 }), fc.constantFrom("[", '{"a":'), fc.boolean()).map(([order, depth, open, wrap]): FuzzInput => {
    const close = open === "[" ? "]" : "}";
    const inner = wrap ? JSON.stringify(order) : "1";
    return { inputClass: "deep-nesting", body: `${open.repeat(depth)}${inner}${close.repeat(depth)}` };
});

const duplicateKey = fc.tuple(orderValue, fc.constantFrom("currency", "customer", "items")).map(([order, key]): FuzzInput => {
    const text = JSON.stringify(order);
    const value = JSON.stringify((order as Record<string, unknown>)[key]);
    // The key written first with another value, then the real one: JSON.parse keeps the last.
    const decoy = key === "currency" ? '"XXX"' : key === "items" ? "[]" : "{}";
    if (!text.includes(`"${key}":${value}`)) throw new Error(`the order has no ${key}`);
    return { inputClass: "duplicate-key", body: `{"${key}":${decoy},${text.slice(1)}` };
});

const randomJson = fc.jsonValue({ maxDepth: 5 }).map((value): FuzzInput => ({ inputClass: "random-json", body: JSON.stringify(value) ?? "null" }));

const randomText = fc.string({ unit: "binary", maxLength: 200 }).map((text): FuzzInput => ({ inputClass: "random-text", body: text }));

/** Every kind of input, each class about as likely as the others. */
export const fuzzInputArb: fc.Arbitrary<FuzzInput> = fc.oneof(validUnicode, hostile, numbers, nesting, duplicateKey, randomJson, randomText);
