import type { APIGatewayEventRequestContextJWTAuthorizer } from "aws-lambda";
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";

/** One key of a JSON Web Key Set (RFC 7517), as Cognito publishes at `<issuer>/.well-known/jwks.json`. */
export interface Jwk extends JsonWebKey {
    readonly kid?: string;
    readonly alg?: string;
    readonly use?: string;
}

/** A JSON Web Key Set. */
export interface Jwks {
    readonly keys: readonly Jwk[];
}

/** Settings of {@link createJwtAuthorizer}: what an API Gateway JWT authorizer is configured with. */
export interface JwtAuthorizerOptions {
    /** The exact `iss` a token must carry, e.g. `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
    readonly issuer: string;
    /** Accepted `aud` (ID tokens) or, when a token has no `aud`, `client_id` (Cognito access tokens). */
    readonly audience: readonly string[];
    /** The signing keys: a key set, or the URL of one on this machine (fetched on first use, then cached). */
    readonly jwks: Jwks | string;
    /** Leeway for `exp`, `nbf` and `iat` against clock drift. Defaults to {@link CLOCK_SKEW_SECONDS}. */
    readonly clockSkewSeconds?: number;
    /** How long a fetched key set is used before it is fetched again. Defaults to {@link JWKS_CACHE_SECONDS}. */
    readonly jwksCacheSeconds?: number;
    /** The clock, in epoch milliseconds. Defaults to `Date.now`. */
    readonly now?: () => number;
}

/** What API Gateway puts in `requestContext.authorizer` for a token its JWT authorizer accepted. */
export type JwtAuthorizerContext = APIGatewayEventRequestContextJWTAuthorizer & {
    readonly jwt: { readonly claims: Record<string, string>; readonly scopes: string[] | null };
};

/** The outcome of one authorization: the context to hand to the function, or why the token was refused. */
export type AuthorizerDecision =
    | { readonly ok: true; readonly context: JwtAuthorizerContext }
    | { readonly ok: false; readonly reason: string };

/** A JWT authorizer: decides on the value of a request's `Authorization` header. */
export interface JwtAuthorizer {
    authorize(authorizationHeader: string | undefined): Promise<AuthorizerDecision>;
}

/** Leeway for time claims. API Gateway publishes none; a few seconds absorbs drift between hosts. */
export const CLOCK_SKEW_SECONDS = 5;

/** API Gateway caches an issuer's public keys for up to two hours (JWT authorizer guide). */
export const JWKS_CACHE_SECONDS = 2 * 3600;

/** A token whose `kid` is unknown makes a fetched key set be fetched again at most this often (key rotation). */
export const JWKS_REFETCH_SECONDS = 60;

/** Fetching the key set gives up after this long: the request is refused, not left hanging. */
export const JWKS_FETCH_TIMEOUT_MS = 5_000;

/** The only algorithm accepted: Cognito signs with RS256, and API Gateway accepts only RSA signatures. */
export const ACCEPTED_ALGORITHM = "RS256";

/** Three base64url parts: header, payload, signature (RFC 7515 compact serialization). */
const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/** Hosts a key set URL may name: local mode talks to nothing beyond this machine. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

type Json = Record<string, unknown>;

class Refusal extends Error {}

function isObject(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Decodes one base64url part as a JSON object, or refuses the token. */
function decodeJsonPart(part: string, what: string): Json {
    let value: unknown;
    try {
        value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    } catch {
        throw new Refusal(`the token's ${what} is not JSON`);
    }
    if (!isObject(value)) throw new Refusal(`the token's ${what} is not a JSON object`);
    return value;
}

/** The token in an `Authorization` header: the whole value, or what follows `Bearer ` (as API Gateway accepts both). */
export function tokenOf(authorizationHeader: string | undefined): string | undefined {
    const value = authorizationHeader?.trim();
    if (!value) return undefined;
    const bearer = /^bearer(?:\s+(.*))?$/i.exec(value);
    const token = bearer ? (bearer[1] ?? "").trim() : value;
    return token === "" ? undefined : token;
}

/**
 * A claim's value as API Gateway passes it to the function (payload format 2.0): strings as they
 * are, numbers and booleans as their text, lists as `[a b c]`, objects as JSON.
 */
export function claimText(value: unknown): string {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) return `[${value.map(claimText).join(" ")}]`;
    if (isObject(value)) return JSON.stringify(value);
    return String(value);
}

/** The `requestContext.authorizer` API Gateway builds from an accepted token's claims. */
export function authorizerContextOf(claims: Record<string, unknown>): JwtAuthorizerContext {
    const scope = claims.scope ?? claims.scp;
    const scopes = typeof scope === "string" ? scope.split(" ").filter((s) => s !== "") : Array.isArray(scope) ? scope.map(claimText) : [];
    return {
        principalId: "",
        integrationLatency: 0,
        jwt: {
            claims: Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, claimText(value)])),
            scopes: scopes.length > 0 ? scopes : null,
        },
    };
}

/** Where the keys come from: a fixed set, or a URL fetched and cached. */
class KeySource {
    private keys = new Map<string, KeyObject>();
    private fetchedAt: number | undefined;
    private inFlight: Promise<void> | undefined;

    constructor(
        private readonly source: Jwks | string,
        private readonly cacheMs: number,
        private readonly now: () => number,
    ) {
        if (typeof source === "string") {
            const url = new URL(source);
            if (!LOOPBACK_HOSTS.has(url.hostname) || (url.protocol !== "http:" && url.protocol !== "https:")) {
                throw new Error(`jwks URL must be http(s) on this machine (127.0.0.1), got ${source}`);
            }
        } else {
            this.keys = KeySource.index(source);
        }
    }

    /** The RSA signing keys of a set, by `kid`; keys for other uses or algorithms are left out. */
    private static index(jwks: unknown): Map<string, KeyObject> {
        if (!isObject(jwks) || !Array.isArray(jwks.keys)) throw new Refusal("the key set has no keys list");
        const keys = new Map<string, KeyObject>();
        for (const jwk of jwks.keys as unknown[]) {
            if (!isObject(jwk) || typeof jwk.kid !== "string" || jwk.kty !== "RSA") continue;
            if (jwk.use !== undefined && jwk.use !== "sig") continue;
            if (jwk.alg !== undefined && jwk.alg !== ACCEPTED_ALGORITHM) continue;
            try {
                keys.set(jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }));
            } catch {
                // A malformed key cannot verify anything; tokens naming it are refused as unknown.
            }
        }
        return keys;
    }

    private async fetchKeys(url: string): Promise<void> {
        let response: Response;
        try {
            response = await fetch(url, { signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS) });
        } catch {
            throw new Refusal("the signing keys could not be fetched");
        }
        if (!response.ok) throw new Refusal(`the signing keys could not be fetched (HTTP ${response.status})`);
        let body: unknown;
        try {
            body = await response.json();
        } catch {
            throw new Refusal("the signing keys are not JSON");
        }
        this.keys = KeySource.index(body);
        this.fetchedAt = this.now();
    }

    /** Fetches the set once at a time; concurrent requests wait for the same fetch. */
    private refresh(url: string): Promise<void> {
        this.inFlight ??= this.fetchKeys(url).finally(() => (this.inFlight = undefined));
        return this.inFlight;
    }

    /** The key for a `kid`, fetching the set when it is stale, or again when the kid is new to it. */
    async keyFor(kid: string): Promise<KeyObject> {
        if (typeof this.source === "string") {
            const age = this.fetchedAt === undefined ? Infinity : this.now() - this.fetchedAt;
            if (age >= this.cacheMs) await this.refresh(this.source);
            else if (!this.keys.has(kid) && age >= JWKS_REFETCH_SECONDS * 1000) await this.refresh(this.source);
        }
        const key = this.keys.get(kid);
        if (!key) throw new Refusal("the token's kid matches no signing key");
        return key;
    }
}

/**
 * A JWT authorizer that decides as API Gateway's does for an HTTP API (JWT authorizer guide):
 * the token is the `Authorization` header's value, with or without `Bearer `; its header must say
 * `alg` RS256 and name a `kid` found in the key set; the RSA signature must verify; `iss` must
 * equal the issuer; `aud`, or `client_id` when there is no `aud`, must be one of the audience; `exp`
 * must be in the future and `nbf` and `iat`, when present, in the past (within the clock skew).
 * An accepted token's claims become `requestContext.authorizer.jwt.claims`, as strings.
 */
export function createJwtAuthorizer(options: JwtAuthorizerOptions): JwtAuthorizer {
    const now = options.now ?? Date.now;
    const skew = options.clockSkewSeconds ?? CLOCK_SKEW_SECONDS;
    const keys = new KeySource(options.jwks, (options.jwksCacheSeconds ?? JWKS_CACHE_SECONDS) * 1000, now);
    const audience = new Set(options.audience);

    const check = async (authorizationHeader: string | undefined): Promise<JwtAuthorizerContext> => {
        const token = tokenOf(authorizationHeader);
        if (token === undefined) throw new Refusal("no token in the Authorization header");
        const parts = COMPACT_JWS.exec(token);
        if (!parts) throw new Refusal("the token is not a signed JWT (header.payload.signature)");
        const [, encodedHeader, encodedPayload, encodedSignature] = parts;
        const header = decodeJsonPart(encodedHeader, "header");
        // Only RS256: "none" and HMAC would let anyone who knows the public key mint tokens.
        if (header.alg !== ACCEPTED_ALGORITHM) throw new Refusal(`the token's alg ${JSON.stringify(header.alg)} is not ${ACCEPTED_ALGORITHM}`);
        if (typeof header.kid !== "string") throw new Refusal("the token has no kid");
        const key = await keys.keyFor(header.kid);
        const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`, "ascii");
        let valid: boolean;
        try {
            valid = verify("RSA-SHA256", signed, key, Buffer.from(encodedSignature, "base64url"));
        } catch {
            valid = false;
        }
        if (!valid) throw new Refusal("the token's signature does not verify");
        // Only now are the claims trustworthy enough to read.
        const claims = decodeJsonPart(encodedPayload, "payload");
        if (claims.iss !== options.issuer) throw new Refusal("the token does not have a valid issuer");
        const aud = claims.aud !== undefined ? [claims.aud].flat() : [claims.client_id];
        if (!aud.some((a) => typeof a === "string" && audience.has(a))) throw new Refusal("the token does not have a valid audience");
        const seconds = now() / 1000;
        if (typeof claims.exp !== "number") throw new Refusal("the token has no exp");
        if (claims.exp + skew <= seconds) throw new Refusal("the token has expired");
        for (const name of ["nbf", "iat"] as const) {
            const value = claims[name];
            if (value === undefined) continue;
            if (typeof value !== "number") throw new Refusal(`the token's ${name} is not a number`);
            if (value - skew > seconds) throw new Refusal(`the token's ${name} is in the future`);
        }
        return authorizerContextOf(claims);
    };

    return {
        async authorize(authorizationHeader) {
            try {
                return { ok: true, context: await check(authorizationHeader) };
            } catch (err) {
                if (err instanceof Refusal) return { ok: false, reason: err.message };
                throw err;
            }
        },
    };
}
