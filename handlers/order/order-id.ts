import { randomUUID } from "node:crypto";

/** The shape of an order id: a UUID in canonical 8-4-4-4-12 hex form (RFC 9562). */
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A fresh random order id (UUID version 4). */
export function randomOrderId(): string {
    return randomUUID();
}

/**
 * Formats the first 16 bytes of a digest as a UUID version 8 (RFC 9562 section 5.8, "custom"):
 * the version and variant bits are set, the other 122 bits come from the digest.
 */
export function uuidFromDigest(digest: Uint8Array): string {
    if (digest.length < 16) throw new RangeError("a UUID needs at least 16 bytes of digest");
    const bytes = Buffer.from(digest.subarray(0, 16));
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10xx (RFC 9562)
    const hex = bytes.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Reads an order id from a URL: UUID-shaped, case-insensitive (RFC 9562 asks readers to accept
 * upper case), returned in the lower case the ids are stored in. Undefined when malformed.
 */
export function parseOrderId(value: string | undefined): string | undefined {
    if (value === undefined || value.length !== 36) return undefined;
    const lower = value.toLowerCase();
    return UUID_SHAPE.test(lower) ? lower : undefined;
}
