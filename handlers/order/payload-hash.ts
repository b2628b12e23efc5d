import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted (by UTF-16 code units, as Array.prototype.sort does) at every level and no whitespace, so that two
 * documents with equal content serialize to equal text whatever order their keys came in.
 * Arrays keep their order (item order is part of an order). Accepts JSON values only.
 */
export function canonicalJson(value: unknown): string {
    if (value === null || typeof value !== "object") {
        const text = JSON.stringify(value);
        if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} is not a JSON value`);
        return text;
    }
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    const entries = Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
}

/** SHA-256 (hex) of the canonical JSON of a payload: equal content, equal hash. */
export function payloadHash(value: unknown): string {
    return createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
}
