import { findDuplicateKey } from "./duplicate-keys";
import { PROBLEMS, type ProblemKind } from "./problem";

/**
 * Largest accepted request body: 64 KiB, checked on the body as received and again after base64
 * decoding. A 100-line order is about 10 KiB; the limit keeps the queue message far below SQS's
 * 256 KiB and bounds the work a single request can cause.
 */
export const MAX_BODY_BYTES = 64 * 1024;

/** Base64 text whose decoded size is at most {@link MAX_BODY_BYTES}. */
const MAX_BASE64_CHARS = 4 * Math.ceil(MAX_BODY_BYTES / 3);

/** Strict base64 (RFC 4648 section 4): full quanta, padding only at the end. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** In a `u` regular expression a surrogate matches as a code point of its own only when unpaired. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** The outcome of reading a request body: a JSON value, or why not. */
export type BodyResult =
    | { readonly ok: true; readonly value: unknown }
    | { readonly ok: false; readonly problem: ProblemKind; readonly detail: string };

/** What {@link readJsonBody} needs from the request. */
export interface RawBody {
    readonly body: string | undefined;
    readonly isBase64Encoded: boolean;
    readonly contentType: string | undefined;
    readonly contentEncoding: string | undefined;
}

function fail(problem: ProblemKind, detail: string): BodyResult {
    return { ok: false, problem, detail };
}

/**
 * True for `application/json`, alone or with `charset=utf-8` (RFC 8259 section 8.1: JSON
 * exchanged between systems is UTF-8). Type, parameter name and charset are case-insensitive
 * (RFC 9110 section 8.3.1); the charset may be quoted. Any other parameter is refused.
 */
export function isJsonContentType(value: string | undefined): boolean {
    if (value === undefined) return false;
    const [type, ...parameters] = value.split(";");
    if (type.trim().toLowerCase() !== "application/json") return false;
    return parameters.every((parameter) => {
        const match = /^\s*charset\s*=\s*("?)utf-8\1\s*$/i.exec(parameter);
        return match !== null;
    });
}

/**
 * Reads a JSON request body the way SubmitOrder accepts it: `Content-Type: application/json`
 * (else 415), no content coding (else 415), at most {@link MAX_BODY_BYTES} (else 413), base64
 * when the event says so, well-formed UTF-8 and JSON with no key twice in one object (else 400).
 * Never throws.
 */
export function readJsonBody(request: RawBody): BodyResult {
    if (!isJsonContentType(request.contentType)) {
        return fail(
            PROBLEMS.unsupportedMediaType,
            request.contentType === undefined
                ? "Content-Type is missing; send application/json"
                : "Content-Type must be application/json (optionally with charset=utf-8)",
        );
    }
    const coding = request.contentEncoding?.trim().toLowerCase();
    if (coding !== undefined && coding !== "" && coding !== "identity") {
        return fail(PROBLEMS.unsupportedMediaType, "Content-Encoding is not supported; send the body uncompressed");
    }
    const body = request.body ?? "";
    if (body.length === 0) return fail(PROBLEMS.malformedBody, "the request body is empty");

    let bytes: Buffer;
    if (request.isBase64Encoded) {
        // Check the encoded size first, so an oversized body is refused before it is decoded.
        if (body.length > MAX_BASE64_CHARS) return tooLarge();
        if (!BASE64.test(body)) return fail(PROBLEMS.malformedBody, "the request body is not valid base64");
        bytes = Buffer.from(body, "base64");
    } else {
        if (body.length > MAX_BODY_BYTES) return tooLarge();
        // A string with an unpaired surrogate has no UTF-8 form: it did not come from valid UTF-8.
        if (LONE_SURROGATE.test(body)) return fail(PROBLEMS.malformedBody, "the request body is not valid UTF-8");
        bytes = Buffer.from(body, "utf8");
    }
    if (bytes.length > MAX_BODY_BYTES) return tooLarge();

    let text: string;
    try {
        // fatal: invalid UTF-8 is an error, not U+FFFD; a leading byte order mark is dropped.
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        return fail(PROBLEMS.malformedBody, "the request body is not valid UTF-8");
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (err) {
        return fail(PROBLEMS.malformedBody, `the request body is not valid JSON: ${(err as Error).message}`);
    }
    const duplicate = findDuplicateKey(text);
    if (duplicate) return fail(PROBLEMS.malformedBody, `the request body has the key ${JSON.stringify(duplicate.key)} twice in one object (at ${duplicate.pointer})`);
    return { ok: true, value };
}

function tooLarge(): BodyResult {
    return fail(PROBLEMS.contentTooLarge, `the request body exceeds ${MAX_BODY_BYTES} bytes`);
}
