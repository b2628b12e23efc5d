import { expect } from "chai";
import fc from "fast-check";
import { isJsonContentType, MAX_BODY_BYTES, readJsonBody, type RawBody } from "../../../handlers/http/body";
import { findDuplicateKey } from "../../../handlers/http/duplicate-keys";

const json = (body: string | undefined, more: Partial<RawBody> = {}): RawBody => ({
    body,
    isBase64Encoded: false,
    contentType: "application/json",
    contentEncoding: undefined,
    ...more,
});
const base64 = (bytes: Buffer | string, more: Partial<RawBody> = {}) => json(Buffer.from(bytes).toString("base64"), { isBase64Encoded: true, ...more });

describe("reading a JSON request body", () => {
    describe("Content-Type", () => {
        for (const value of ["application/json", "APPLICATION/JSON", "application/json; charset=utf-8", "application/json;charset=UTF-8", 'application/json; charset="utf-8"']) {
            it(`should accept ${value}`, () => expect(isJsonContentType(value)).to.equal(true));
        }
        for (const value of [undefined, "", "text/plain", "application/json-patch+json", "application/jsonx", "application/json; charset=utf-16", "application/json; boundary=x", "application/json, text/plain", "multipart/form-data"]) {
            it(`should refuse ${JSON.stringify(value)}`, () => expect(isJsonContentType(value)).to.equal(false));
        }
    });

    it("should parse a plain body", () => {
        expect(readJsonBody(json('{"a":[1,2]}'))).to.deep.equal({ ok: true, value: { a: [1, 2] } });
    });

    it("should decode a base64 body, dropping a UTF-8 byte order mark", () => {
        expect(readJsonBody(base64(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"Zo\u00eb"}')])))).to.deep.equal({ ok: true, value: { name: "Zo\u00eb" } });
    });

    it("should accept a body of exactly the limit, plain and base64", () => {
        const body = `"${"x".repeat(MAX_BODY_BYTES - 2)}"`;
        expect(readJsonBody(json(body)).ok).to.equal(true);
        expect(readJsonBody(base64(body)).ok).to.equal(true);
    });

    for (const [name, raw, status, detail] of [
        ["a body one byte over the limit", json(`"${"x".repeat(MAX_BODY_BYTES - 1)}"`), 413, /exceeds 65536 bytes/],
        ["multi-byte characters over the limit in bytes though not in characters", json(`"${"\u00e9".repeat(MAX_BODY_BYTES / 2)}"`), 413, /exceeds/],
        ["base64 text too long to decode within the limit", json("A".repeat(4 * Math.ceil(MAX_BODY_BYTES / 3) + 4), { isBase64Encoded: true }), 413, /exceeds/],
        ["base64 that decodes to one byte over the limit", base64(Buffer.alloc(MAX_BODY_BYTES + 1, 0x20)), 413, /exceeds/],
        ["a missing body", json(undefined), 400, /empty/],
        ["base64 with characters outside the alphabet", json("eyJhIjoxfQ==!", { isBase64Encoded: true }), 400, /base64/],
        ["base64 with bad padding", json("eyJhIjoxfQ=", { isBase64Encoded: true }), 400, /base64/],
        ["bytes that are not UTF-8", base64(Buffer.from([0x22, 0xff, 0x22])), 400, /UTF-8/],
        ["an overlong UTF-8 encoding", base64(Buffer.from([0x22, 0xc0, 0xaf, 0x22])), 400, /UTF-8/],
        ["an unpaired surrogate", json('"\ud800"'), 400, /UTF-8/],
        ["truncated JSON", json('{"a":'), 400, /not valid JSON/],
        ["JSON with a trailing comma", json('{"a":1,}'), 400, /not valid JSON/],
        ["a Content-Type of text/plain", json("{}", { contentType: "text/plain" }), 415, /application\/json/],
        ["a Content-Encoding of gzip", json("{}", { contentEncoding: "gzip" }), 415, /Content-Encoding/],
    ] as const) {
        it(`should answer ${status} for ${name}`, () => {
            const result = readJsonBody(raw);
            expect(result.ok).to.equal(false);
            if (result.ok) return;
            expect(result.problem.status).to.equal(status);
            expect(result.detail).to.match(detail);
        });
    }

    it("should accept Content-Encoding identity", () => {
        expect(readJsonBody(json("{}", { contentEncoding: "identity" })).ok).to.equal(true);
    });

    it("should parse deeply nested JSON without failing", () => {
        const depth = 10_000;
        expect(readJsonBody(json(`${"[".repeat(depth)}${"]".repeat(depth)}`)).ok).to.equal(true);
    });

    describe("fuzz", () => {
        const outcome = (raw: RawBody) => {
            const result = readJsonBody(raw);
            return result.ok || [400, 413, 415].includes(result.problem.status);
        };

        it("should never throw and answer only 400, 413 or 415 for any plain body and content type", () => {
            fc.assert(
                fc.property(fc.string({ unit: "binary", maxLength: 2000 }), fc.option(fc.string({ maxLength: 60 })), (body, contentType) =>
                    outcome(json(body, { contentType: contentType ?? undefined })),
                ),
                { numRuns: 500 },
            );
        });

        it("should never throw for any bytes sent as base64, and read every JSON text it is given", () => {
            fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => outcome(base64(Buffer.from(bytes)))), { numRuns: 500 });
            fc.assert(
                fc.property(fc.jsonValue(), (value) => {
                    const result = readJsonBody(base64(JSON.stringify(value)));
                    return result.ok && JSON.stringify(result.value) === JSON.stringify(value);
                }),
                { numRuns: 300 },
            );
        });
    });

    describe("duplicate keys", () => {
        const cases: Array<[string, string, string]> = [
            ["at the top", '{"currency":"EUR","items":[],"currency":"USD"}', "/currency"],
            ["in a nested object", '{"customer":{"name":"Ada","email":"a@b.co","name":"Eve"}}', "/customer/name"],
            ["inside an array element", '{"items":[{"sku":"A"},{"sku":"B","quantity":1,"sku":"C"}]}', "/items/1/sku"],
            ["written once with an escape", '{"a":1,"\\u0061":2}', "/a"],
            ["with / and ~ in the key", '{"x":{"a/b~c":1,"a/b~c":2}}', "/x/a~1b~0c"],
        ];
        for (const [name, text, pointer] of cases) {
            it(`should refuse a key written twice ${name}, naming the key and its pointer`, () => {
                const result = readJsonBody(json(text));
                expect(result.ok).to.equal(false);
                if (result.ok) return;
                expect(result.problem.status).to.equal(400);
                expect(result.detail).to.include(`twice in one object (at ${pointer})`);
                expect(findDuplicateKey(text)?.pointer).to.equal(pointer);
            });
        }

        it("should accept the same key in different objects, and keys that only look alike in strings", () => {
            for (const text of ['{"a":{"a":1},"b":{"a":2}}', '[{"a":1},{"a":1}]', '{"a":"\\"a\\":1,","b":"{\\"a\\":2}"}', '{"a\\"":1,"a":2}']) {
                expect(readJsonBody(json(text)).ok, text).to.equal(true);
            }
        });

        it("should find no duplicate in any JSON value's own text, and find one planted in it", () => {
            fc.assert(
                fc.property(fc.jsonValue({ maxDepth: 5 }), fc.string({ maxLength: 5 }), (value, key) => {
                    const text = JSON.stringify(value);
                    expect(findDuplicateKey(text)).to.equal(undefined);
                    const planted = `{${JSON.stringify(key)}:${text},"x":[${text}],${JSON.stringify(key)}:null}`;
                    expect(findDuplicateKey(planted)?.key).to.equal(key === "x" ? "x" : key);
                }),
                { numRuns: 300, seed: 16 },
            );
        });

        it("should scan deep nesting without recursion", () => {
            const depth = 30_000;
            expect(findDuplicateKey(`${'{"a":'.repeat(depth)}{"k":1,"k":2}${"}".repeat(depth)}`)?.pointer).to.equal(`${"/a".repeat(depth)}/k`);
        });
    });
});
