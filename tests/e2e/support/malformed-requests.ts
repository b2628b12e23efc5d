import fc from "fast-check";

/** One HTTP request to the local API. */
export interface GeneratedRequest {
    readonly method: "POST" | "GET";
    /** Path and query, percent-encoded. */
    readonly path: string;
    readonly headers: Record<string, string>;
    readonly body?: Buffer;
    /** What is wrong with it, for the failure message. */
    readonly fault: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const lower = "abcdefghijklmnopqrstuvwxyz";
const word = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...lower.split("")), minLength: min, maxLength: max });

/** Valid orders, varied: every generated value passes the order schema. */
export const validOrder: fc.Arbitrary<JsonObject> = fc.record({
    customer: fc.record({
        email: fc.tuple(word(1, 12), word(1, 10)).map(([user, domain]) => `${user}@${domain}.example`),
        name: fc.tuple(word(1, 10), word(1, 12)).map(([first, last]) => `${first} ${last}`),
    }),
    items: fc.array(
        fc.record({
            sku: fc.tuple(fc.constantFrom("BOOK", "PEN", "MUG"), fc.integer({ min: 1, max: 999 })).map(([p, n]) => `${p}-${n}`),
            quantity: fc.integer({ min: 1, max: 1000 }),
            unitPrice: fc.integer({ min: 0, max: 100_000_000 }),
        }),
        { minLength: 1, maxLength: 5 },
    ),
    currency: fc.constantFrom("EUR", "USD", "GBP", "JPY", "CHF"),
    shippingAddress: fc.record({
        line1: word(1, 30).map((s) => `${s} 1`),
        city: word(1, 20),
        postalCode: fc.stringMatching(/^[A-Z0-9]{3,8}$/),
        country: fc.constantFrom("GB", "DE", "FR", "US", "JP"),
    }),
});

/** Paths to every required field of an order. */
const REQUIRED_PATHS: readonly string[][] = [
    ["customer"],
    ["items"],
    ["currency"],
    ["shippingAddress"],
    ["customer", "email"],
    ["customer", "name"],
    ["items", "0", "sku"],
    ["items", "0", "quantity"],
    ["items", "0", "unitPrice"],
    ["shippingAddress", "line1"],
    ["shippingAddress", "city"],
    ["shippingAddress", "postalCode"],
    ["shippingAddress", "country"],
];

/** Values no required field accepts, whatever its type (each field is a string, integer, list or object). */
const wrongType = (original: Json): fc.Arbitrary<Json> => {
    const candidates: fc.Arbitrary<Json>[] = [fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({ nested: true })];
    if (typeof original !== "number") candidates.push(fc.double({ noNaN: true, noDefaultInfinity: true }));
    if (typeof original !== "string") candidates.push(fc.string({ maxLength: 10 }));
    if (Array.isArray(original)) candidates.splice(2, 1);
    if (typeof original === "object" && original !== null && !Array.isArray(original)) candidates.splice(3, 1);
    return fc.oneof(...candidates);
};

function clone(value: JsonObject): JsonObject {
    return JSON.parse(JSON.stringify(value)) as JsonObject;
}

function parentOf(order: JsonObject, path: readonly string[]): { parent: any; key: string } {
    let parent: any = order;
    for (const key of path.slice(0, -1)) parent = parent[key];
    return { parent, key: path[path.length - 1] };
}

/** Out-of-range or badly formed values for fields that otherwise have the right type. */
const BAD_VALUES: ReadonlyArray<[string[], fc.Arbitrary<Json>]> = [
    [["items", "0", "quantity"], fc.oneof(fc.constantFrom(0, -1, 1001, 2.5), fc.integer({ min: 1001 }), fc.integer({ max: 0 }))],
    [["items", "0", "unitPrice"], fc.oneof(fc.constantFrom(-1, 12.5, 100_000_001), fc.integer({ max: -1 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }))],
    [["items", "0", "sku"], fc.constantFrom("", "-starts-with-dash", "has space", "x".repeat(65), "ümlaut")],
    [["items"], fc.constantFrom([], "too many")],
    [["currency"], fc.constantFrom("eur", "EURO", "XXX", "", "E", "BTC")],
    [["shippingAddress", "country"], fc.constantFrom("gb", "GBR", "ZZ", "", "UK")],
    [["customer", "email"], fc.constantFrom("", "no-at-sign", "a@b", "two@@example.com", "sp ace@example.com", `${"x".repeat(250)}@example.com`)],
    [["customer", "name"], fc.constantFrom("", "   ", "line\nbreak", "tab\there", "nul\u0000byte", "x".repeat(201), "bell\u0007", "sep\u2028arator")],
    [["shippingAddress", "postalCode"], fc.constantFrom("", "x".repeat(21), "ctrl\u001f")],
];

/** Keys that must never reach an object's prototype, and other keys the schema does not know. */
const UNKNOWN_KEYS = ["__proto__", "constructor", "prototype", "total", "isAdmin", "status", "orderId", "toString", "hasOwnProperty"];

/** Sets an own enumerable property, even one named `__proto__` (which `obj[key] =` would not create). */
function defineOwn(target: any, key: string, value: Json): void {
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const jsonHeaders = { "content-type": "application/json" };

/** Schema violations: the JSON is well-formed, the order is not. */
const schemaViolation: fc.Arbitrary<GeneratedRequest> = fc.oneof(
    // A required field missing.
    fc.tuple(validOrder, fc.constantFrom(...REQUIRED_PATHS)).map(([order, path]) => {
        const broken = clone(order);
        const { parent, key } = parentOf(broken, path);
        delete parent[key];
        return { method: "POST" as const, path: "/orders", headers: jsonHeaders, body: json(broken), fault: `missing ${path.join(".")}` };
    }),
    // A required field of the wrong type.
    fc
        .tuple(validOrder, fc.constantFrom(...REQUIRED_PATHS))
        .chain(([order, path]) => wrongType(parentOf(order, path).parent[parentOf(order, path).key]).map((value) => ({ order, path, value })))
        .map(({ order, path, value }) => {
            const broken = clone(order);
            const { parent, key } = parentOf(broken, path);
            parent[key] = value;
            return { method: "POST" as const, path: "/orders", headers: jsonHeaders, body: json(broken), fault: `${path.join(".")} = ${JSON.stringify(value)}` };
        }),
    // A value out of range or badly formed.
    fc
        .tuple(validOrder, fc.constantFrom(...BAD_VALUES))
        .chain(([order, [path, values]]) => values.map((value) => ({ order, path, value })))
        .map(({ order, path, value }) => {
            const broken = clone(order);
            const { parent, key } = parentOf(broken, path);
            parent[key] = value === "too many" ? Array.from({ length: 101 }, () => (broken.items as Json[])[0]) : value;
            return { method: "POST" as const, path: "/orders", headers: jsonHeaders, body: json(broken), fault: `${path.join(".")} = ${JSON.stringify(value).slice(0, 60)}` };
        }),
    // An unknown property (prototype-pollution keys included) at the top or inside an object.
    fc
        .tuple(validOrder, fc.constantFrom(...UNKNOWN_KEYS), fc.constantFrom([], ["customer"], ["items", "0"], ["shippingAddress"]), fc.jsonValue({ maxDepth: 2 }))
        .map(([order, key, at, value]) => {
            const broken = clone(order);
            let target: any = broken;
            for (const step of at) target = target[step];
            defineOwn(target, key, key === "__proto__" ? { isAdmin: true, polluted: value as Json } : (value as Json));
            return { method: "POST" as const, path: "/orders", headers: jsonHeaders, body: json(broken), fault: `unknown property ${[...at, key].join(".")}` };
        }),
    // Not an order at all: another JSON value.
    fc
        .oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 20 }), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({}))
        .map((value) => ({ method: "POST" as const, path: "/orders", headers: jsonHeaders, body: json(value), fault: `body is ${JSON.stringify(value)}` })),
    // Deeply nested values where an order field should be.
    fc.tuple(validOrder, fc.integer({ min: 1_000, max: 20_000 }), fc.constantFrom("items", "customer", "extra")).map(([order, depth, field]) => {
        const head = JSON.stringify(order).slice(0, -1);
        const body = Buffer.from(`${head},"${field === "items" ? "items" : field}":${"[".repeat(depth)}${"]".repeat(depth)}}`);
        return { method: "POST" as const, path: "/orders", headers: jsonHeaders, body, fault: `${field} nested ${depth} deep` };
    }),
);

/** Bodies that are not well-formed JSON, or not UTF-8. */
const malformedBody: fc.Arbitrary<GeneratedRequest> = fc.oneof(
    fc
        .tuple(validOrder, fc.integer({ min: 1, max: 60 }))
        .map(([order, cut]) => ({ method: "POST" as const, path: "/orders", headers: jsonHeaders, body: Buffer.from(JSON.stringify(order).slice(0, -cut)), fault: `truncated by ${cut}` })),
    fc
        .constantFrom("", " ", "{", "}", "{'customer': 1}", "{\"a\":1,}", "NaN", "undefined", "{\"a\": 1} trailing", "// comment\n{}", "\u0000", "[1,2")
        .map((text) => ({ method: "POST" as const, path: "/orders", headers: jsonHeaders, body: Buffer.from(text), fault: `body ${JSON.stringify(text)}` })),
    // Invalid UTF-8 inside an otherwise valid order.
    fc.tuple(validOrder, fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf])).map(([order, bad]) => {
        const text = JSON.stringify(order);
        const at = text.indexOf('"name":"') + 8;
        const body = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bad), Buffer.from(text.slice(at))]);
        return { method: "POST" as const, path: "/orders", headers: jsonHeaders, body, fault: `invalid UTF-8 ${bad.map((b) => b.toString(16)).join(" ")}` };
    }),
    // The order in another encoding than UTF-8.
    validOrder.map((order) => ({
        method: "POST" as const,
        path: "/orders",
        headers: jsonHeaders,
        body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(order), "utf16le")]),
        fault: "UTF-16LE body",
    })),
);

/** Bodies above the documented 64 KiB limit (and below API Gateway's 10 MB). */
const hugeBody: fc.Arbitrary<GeneratedRequest> = fc.tuple(validOrder, fc.integer({ min: 65 * 1024, max: 2 * 1024 * 1024 }), fc.boolean()).map(([order, size, valid]) => {
    // The padding is written into the buffer, not built as a string and serialised: megabytes a
    // request, a twelfth of the requests. "<" is in no generated value, so the marker is the name's.
    const padding = Buffer.alloc(size, "x");
    const [head, tail] = JSON.stringify({ ...order, customer: { ...(order.customer as JsonObject), name: "<padding>" } }).split("<padding>");
    const body = valid ? Buffer.concat([Buffer.from(head), padding, Buffer.from(tail)]) : padding;
    return { method: "POST" as const, path: "/orders", headers: jsonHeaders, body, fault: `${body.length} byte body` };
});

/** Wrong or malformed headers around a valid order. */
const badHeaders: fc.Arbitrary<GeneratedRequest> = fc.oneof(
    fc
        .tuple(
            validOrder,
            fc.constantFrom(
                undefined,
                "text/plain",
                "application/xml",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/octet-stream",
                "application/json; charset=latin1",
                "application/json; charset=utf-16",
                "application/json; version=2",
                "application/jsonx",
                "json",
            ),
        )
        .map(([order, contentType]) => ({
            method: "POST" as const,
            path: "/orders",
            headers: contentType === undefined ? ({} as Record<string, string>) : { "content-type": contentType },
            body: json(order),
            fault: `content-type ${contentType}`,
        })),
    fc
        .tuple(validOrder, fc.constantFrom("gzip", "br", "deflate", "compress"))
        .map(([order, coding]) => ({ method: "POST" as const, path: "/orders", headers: { ...jsonHeaders, "content-encoding": coding }, body: json(order), fault: `content-encoding ${coding}` })),
    fc
        .tuple(
            validOrder,
            fc.oneof(
                fc.constantFrom("", '""', "has space", "comma,separated", 'quote"inside', "back\\slash", "tab\there"),
                fc.integer({ min: 256, max: 2_000 }).map((n) => "k".repeat(n)),
                fc.string({ unit: fc.constantFrom(..."é¿ÿ ,\""), minLength: 1, maxLength: 20 }),
            ),
        )
        .map(([order, key]) => ({ method: "POST" as const, path: "/orders", headers: { ...jsonHeaders, "idempotency-key": key }, body: json(order), fault: `Idempotency-Key ${JSON.stringify(key).slice(0, 40)}` })),
);

/** `GET /orders/{orderId}` with an id that is not a UUID. */
const badOrderId: fc.Arbitrary<GeneratedRequest> = fc
    .oneof(
        // "." and ".." would be resolved away by the URL, leaving another path (a 404 of the gateway).
        fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s !== "." && s !== ".." && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)),
        fc.constantFrom("../etc/passwd", "%00", "00000000-0000-4000-8000-00000000000", "00000000-0000-4000-8000-0000000000000", "' OR 1=1 --", "a/b"),
    )
    .map((id) => ({ method: "GET" as const, path: `/orders/${encodeURIComponent(id)}`, headers: {}, fault: `order id ${JSON.stringify(id)}` }));

/** Every kind of malformed request, weighted towards the order body. */
export const malformedRequest: fc.Arbitrary<GeneratedRequest> = fc.oneof(
    { arbitrary: schemaViolation, weight: 6 },
    { arbitrary: malformedBody, weight: 2 },
    { arbitrary: hugeBody, weight: 1 },
    { arbitrary: badHeaders, weight: 2 },
    { arbitrary: badOrderId, weight: 1 },
);
