import { createHash } from "node:crypto";
import { randomOrderId, uuidFromDigest } from "./order-id";
import type { Customer } from "./schema";

/** Longest accepted `Idempotency-Key`, in characters. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/**
 * Visible ASCII without '"', ',' and '\'. A comma is excluded because an HTTP API joins repeated
 * headers with commas: two different keys on one request must be an error, not a third key.
 */
const IDEMPOTENCY_KEY_PATTERN = /^[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]+$/;

/** The outcome of reading the `Idempotency-Key` header. */
export type IdempotencyKeyResult =
    | { readonly ok: true; readonly key: string | undefined }
    | { readonly ok: false; readonly detail: string };

/**
 * Reads the optional `Idempotency-Key` header: 1 to 255 visible ASCII characters, except '"',
 * ',' and '\'. A value in double quotes (the structured-field string form of the IETF
 * Idempotency-Key draft) is read without its quotes, so `"k1"` and `k1` are the same key.
 */
export function parseIdempotencyKey(raw: string | undefined): IdempotencyKeyResult {
    if (raw === undefined) return { ok: true, key: undefined };
    const key = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
    if (key.length === 0) return { ok: false, detail: "Idempotency-Key must not be empty" };
    if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
        return { ok: false, detail: `Idempotency-Key must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters` };
    }
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
        return { ok: false, detail: "Idempotency-Key may contain only visible ASCII characters other than '\"', ',' and '\\'" };
    }
    return { ok: true, key };
}

/**
 * Whose keys an Idempotency-Key belongs to: the signed-in caller (`signedInAs`, the Cognito `sub`)
 * when sign-in is on; else the customer id when the order names one, otherwise the customer's email
 * address in lower case. The kind is part of the scope, so a customer id that happens to equal
 * someone's email address is still another scope.
 */
export function idempotencyScope(customer: Pick<Customer, "id" | "email">, signedInAs?: string): string {
    if (signedInAs !== undefined) return `sub:${signedInAs}`;
    return customer.id !== undefined ? `id:${customer.id}` : `email:${customer.email.toLowerCase()}`;
}

/**
 * The order id for a request. With an Idempotency-Key it is derived from SHA-256 over the scope
 * and the key, so a retried request gets the same id (and cannot create a second order) while
 * equal keys from two customers give two ids. Without a key it is a fresh random UUID.
 */
export function orderIdFor(customer: Pick<Customer, "id" | "email">, key: string | undefined, signedInAs?: string): string {
    if (key === undefined) return randomOrderId();
    // JSON array encoding keeps the parts apart: ("a:b", "c") and ("a", "b:c") hash differently.
    const input = JSON.stringify(["order-pipeline/idempotency-key/v1", idempotencyScope(customer, signedInAs), key]);
    return uuidFromDigest(createHash("sha256").update(input, "utf8").digest());
}
