import { PROBLEMS } from "./problem";
import { problemResponse, type HttpResponse } from "./response";

/** The signed-in caller of a request, as the API's JWT authorizer vouched for it. */
export interface Caller {
    /** The token's `sub` claim: the user's stable id in the user pool (a UUID for Cognito). */
    readonly sub: string;
}

/** The part of an HTTP API (payload format 2.0) event the caller is read from. */
export interface EventWithRequestContext {
    readonly requestContext?: unknown;
}

/** OpenID Connect Core 1.0, section 2: `sub` "MUST NOT exceed 255 ASCII characters in length". */
export const MAX_SUB_LENGTH = 255;

/** C0 controls and DEL: never part of an identifier, and a way to forge log lines. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** The challenge a 401 carries (RFC 6750 section 3: a 401 for a protected resource names its scheme). */
export const BEARER_CHALLENGE = 'Bearer realm="orders"';

/** The default detail of a 401: what the client has to do. */
export const SIGN_IN_DETAIL = "sign in and send the access token as Authorization: Bearer <token>";

/** Reads `value[key]` when `value` is a plain object, without trusting its shape. */
function member(value: unknown, key: string): unknown {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The caller of a request: `requestContext.authorizer.jwt.claims.sub`, where API Gateway puts the
 * claims of a token its JWT authorizer accepted (payload format 2.0). Undefined when the route has
 * no authorizer or the claim is missing, not a string, empty, longer than OpenID Connect allows,
 * or holds control characters: such a value cannot name a customer, so it names none.
 */
export function callerOf(event: EventWithRequestContext): Caller | undefined {
    const claims = member(member(member(event.requestContext, "authorizer"), "jwt"), "claims");
    const sub = member(claims, "sub");
    if (typeof sub !== "string" || sub.length === 0 || sub.length > MAX_SUB_LENGTH) return undefined;
    if (CONTROL_CHARACTERS.test(sub)) return undefined;
    return { sub };
}

/** A 401 problem with the Bearer challenge (RFC 6750 section 3). */
export function unauthorizedResponse(correlationId: string, detail: string = SIGN_IN_DETAIL): HttpResponse {
    return problemResponse(PROBLEMS.unauthorized, detail, correlationId, { headers: { "www-authenticate": BEARER_CHALLENGE } });
}

/** A 403 problem: the caller is signed in but the resource is not theirs. */
export function forbiddenResponse(correlationId: string, detail: string): HttpResponse {
    return problemResponse(PROBLEMS.forbidden, detail, correlationId);
}

/** The outcome of {@link requireCaller}: the caller (undefined when sign-in is off), or the 401 to answer. */
export type CallerCheck =
    | { readonly ok: true; readonly caller: Caller | undefined }
    | { readonly ok: false; readonly response: HttpResponse };

/**
 * Defence in depth behind the JWT authorizer: when sign-in is required and the event carries no
 * caller (a route deployed without the authorizer, or an invocation that bypassed API Gateway), the
 * request is answered 401 rather than served as nobody's. When sign-in is off, the caller is
 * whatever the event carries (normally none).
 */
export function requireCaller(
    event: EventWithRequestContext,
    signInRequired: boolean,
    correlationId: string,
    detail: string = SIGN_IN_DETAIL,
): CallerCheck {
    const caller = callerOf(event);
    if (signInRequired && caller === undefined) return { ok: false, response: unauthorizedResponse(correlationId, detail) };
    return { ok: true, caller };
}
