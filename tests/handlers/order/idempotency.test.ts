import { expect } from "chai";
import fc from "fast-check";
import { IDEMPOTENCY_KEY_MAX_LENGTH, idempotencyScope, orderIdFor, parseIdempotencyKey } from "../../../handlers/order/idempotency";
import { parseOrderId, uuidFromDigest } from "../../../handlers/order/order-id";
import { emailArb } from "../support/arbitraries";

/** RFC 9562 UUID version 8 with the RFC variant. */
const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const keyArb = fc.stringMatching(/^[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]{1,64}$/);

describe("idempotency key", () => {
    describe("parseIdempotencyKey", () => {
        it("should treat a missing header as no key", () => {
            expect(parseIdempotencyKey(undefined)).to.deep.equal({ ok: true, key: undefined });
        });

        it("should accept a UUID, a ULID-like token and base64url text", () => {
            for (const key of ["8e03978e-40d5-43e8-bc93-6894a57f9324", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "a-b_c.d~e:f/g+h=i"]) {
                expect(parseIdempotencyKey(key)).to.deep.equal({ ok: true, key });
            }
        });

        it("should read a quoted key (IETF structured-field string) as the same key", () => {
            expect(parseIdempotencyKey('"k-1"')).to.deep.equal({ ok: true, key: "k-1" });
        });

        it(`should accept ${IDEMPOTENCY_KEY_MAX_LENGTH} characters and refuse one more`, () => {
            expect(parseIdempotencyKey("k".repeat(IDEMPOTENCY_KEY_MAX_LENGTH)).ok).to.equal(true);
            expect(parseIdempotencyKey("k".repeat(IDEMPOTENCY_KEY_MAX_LENGTH + 1))).to.deep.equal({ ok: false, detail: "Idempotency-Key must be at most 255 characters" });
        });

        for (const [name, value] of [
            ["empty", ""],
            ["empty quotes", '""'],
            ["a space", "a b"],
            ["a comma (two keys joined by the API)", "k1, k2"],
            ["a backslash", "a\\b"],
            ["a non-ASCII letter", "cl\u00e9"],
            ["a control character", "a\u0000b"],
        ] as const) {
            it(`should refuse a key with ${name}`, () => {
                expect(parseIdempotencyKey(value).ok).to.equal(false);
            });
        }

        it("should never throw, and accept exactly the keys of the documented charset and length (fuzz)", () => {
            fc.assert(
                fc.property(fc.string({ unit: "binary", maxLength: 300 }), (raw) => {
                    const result = parseIdempotencyKey(raw);
                    const bare = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
                    const expected = bare.length >= 1 && bare.length <= IDEMPOTENCY_KEY_MAX_LENGTH && /^[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+$/.test(bare);
                    return result.ok === expected;
                }),
                { numRuns: 500 },
            );
        });
    });

    describe("orderIdFor", () => {
        const ada = { email: "ada@example.com" };

        it("should map the same key from the same customer to the same UUID-shaped id", () => {
            expect(orderIdFor(ada, "k-1")).to.equal(orderIdFor(ada, "k-1")).and.match(UUID_V8);
        });

        it("should scope keys by customer: equal keys from two customers give two ids", () => {
            expect(orderIdFor(ada, "k-1")).not.to.equal(orderIdFor({ email: "bob@example.com" }, "k-1"));
        });

        it("should scope by customer id when given, so one customer's two addresses share their keys", () => {
            expect(orderIdFor({ id: "c-1", email: "ada@example.com" }, "k")).to.equal(orderIdFor({ id: "c-1", email: "ada@work.example" }, "k"));
            expect(orderIdFor({ id: "c-1", email: "ada@example.com" }, "k")).not.to.equal(orderIdFor({ id: "c-2", email: "ada@example.com" }, "k"));
        });

        it("should ignore the case of the email address", () => {
            expect(orderIdFor({ email: "Ada@Example.COM" }, "k")).to.equal(orderIdFor(ada, "k"));
        });

        it("should keep a customer id apart from an email address with the same text", () => {
            expect(idempotencyScope({ id: "ada@example.com", email: "x@example.com" })).not.to.equal(idempotencyScope(ada));
            expect(orderIdFor({ id: "ada@example.com", email: "x@example.com" }, "k")).not.to.equal(orderIdFor(ada, "k"));
        });

        it("should give a fresh random UUID for every request without a key", () => {
            const ids = new Set(Array.from({ length: 50 }, () => orderIdFor(ada, undefined)));
            expect(ids.size).to.equal(50);
            for (const id of ids) expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        });

        it("should be deterministic and collision-free over distinct (customer, key) pairs (fuzz)", () => {
            fc.assert(
                fc.property(fc.uniqueArray(fc.tuple(emailArb, keyArb), { minLength: 2, maxLength: 30, selector: ([e, k]) => `${e.toLowerCase()}|${k}` }), (pairs) => {
                    const ids = pairs.map(([email, key]) => orderIdFor({ email }, key));
                    return new Set(ids).size === pairs.length && pairs.every(([email, key], i) => orderIdFor({ email }, key) === ids[i] && UUID_V8.test(ids[i]));
                }),
                { numRuns: 100 },
            );
        });
    });

    describe("order ids", () => {
        it("should set the version and variant bits of a digest-derived UUID", () => {
            expect(uuidFromDigest(new Uint8Array(32).fill(0xff))).to.equal("ffffffff-ffff-8fff-bfff-ffffffffffff");
            expect(uuidFromDigest(new Uint8Array(16))).to.equal("00000000-0000-8000-8000-000000000000");
            expect(() => uuidFromDigest(new Uint8Array(15))).to.throw(RangeError);
        });

        it("should read UUID-shaped ids in any case and return them in lower case", () => {
            expect(parseOrderId("0B6B1B8E-6A4F-8C1D-9E2F-3A4B5C6D7E8F")).to.equal("0b6b1b8e-6a4f-8c1d-9e2f-3a4b5c6d7e8f");
        });

        it("should refuse anything else (fuzz)", () => {
            fc.assert(
                fc.property(fc.string({ maxLength: 40 }), (text) => {
                    const parsed = parseOrderId(text);
                    return parsed === undefined ? !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text) : parsed === text.toLowerCase();
                }),
                { numRuns: 500 },
            );
            fc.assert(fc.property(fc.uuid(), (uuid) => parseOrderId(uuid) === uuid.toLowerCase()), { numRuns: 100 });
        });
    });
});
