import type { ProblemKind } from "../../handlers/http/problem";
import { problemResponse } from "../../handlers/http/response";
/** An HTTP response ready to be written. */
export interface GatewayResponse {
    readonly statusCode: number;
    readonly headers: Record<string, string>;
    /** One `set-cookie` header each. */
    readonly cookies: readonly string[];
    readonly body: Buffer;
}

/** API Gateway's own JSON error answer, e.g. `{"message":"Not Found"}`. */
export function gatewayError(statusCode: number, message: string): GatewayResponse {
    return {
        statusCode,
        headers: { "content-type": "application/json" },
        cookies: [],
        body: Buffer.from(JSON.stringify({ message })),
    };
}

/**
 * A refusal of the local API itself as the API's other refusals are written: an RFC 9457 problem
 * body (`application/problem+json`) with the API's problem type, and the request id as correlation id.
 */
export function gatewayProblem(kind: ProblemKind, detail: string, requestId: string): GatewayResponse {
    return fromLambdaResult(problemResponse(kind, detail, requestId));
}

/**
 * What API Gateway answers when a route's JWT authorizer refuses the request: 401
 * `{"message":"Unauthorized"}` with a `www-authenticate` header that says why (as in API
 * Gateway's JWT troubleshooting guide).
 */
export function gatewayUnauthorized(reason: string): GatewayResponse {
    const error = gatewayError(401, "Unauthorized");
    const description = reason.replace(/["\\]/g, "'");
    return { ...error, headers: { ...error.headers, "www-authenticate": `Bearer scope="" error="invalid_token" error_description="${description}"` } };
}

/** What API Gateway answers when the integration fails or returns something it cannot use. */
export const INTERNAL_SERVER_ERROR = () => gatewayError(500, "Internal Server Error");

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHeaderValue(value: unknown): value is string | number | boolean {
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/**
 * Maps a Lambda result to an HTTP response the way an HTTP API does for payload format 2.0:
 * - an object with `statusCode` is a structured response: `headers`, `cookies` (one `set-cookie`
 *   each), `body`, and `isBase64Encoded` (the body is decoded before it is sent);
 * - anything else that is valid JSON (an object without `statusCode`, a string, a number) is
 *   sent as a 200 with `content-type: application/json`; a string is sent as it is, other values
 *   as their JSON text;
 * - a structured response with an invalid field (status outside 100..599, a header value that
 *   is not a string, number or boolean, a body that is not a string) is an integration failure:
 *   500 `{"message":"Internal Server Error"}`.
 */
export function fromLambdaResult(result: unknown): GatewayResponse {
    if (result === undefined) return INTERNAL_SERVER_ERROR();
    if (!isPlainObject(result) || !("statusCode" in result)) {
        const text = typeof result === "string" ? result : JSON.stringify(result);
        if (text === undefined) return INTERNAL_SERVER_ERROR();
        return { statusCode: 200, headers: { "content-type": "application/json" }, cookies: [], body: Buffer.from(text) };
    }

    const { statusCode, headers = {}, cookies = [], body, isBase64Encoded = false } = result;
    if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return INTERNAL_SERVER_ERROR();
    if (!isPlainObject(headers) || !Object.values(headers).every(isHeaderValue)) return INTERNAL_SERVER_ERROR();
    if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === "string")) return INTERNAL_SERVER_ERROR();
    if (body !== undefined && body !== null && typeof body !== "string") return INTERNAL_SERVER_ERROR();
    if (typeof isBase64Encoded !== "boolean") return INTERNAL_SERVER_ERROR();

    const text = typeof body === "string" ? body : "";
    return {
        statusCode,
        headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)])),
        cookies,
        body: isBase64Encoded ? Buffer.from(text, "base64") : Buffer.from(text, "utf8"),
    };
}
