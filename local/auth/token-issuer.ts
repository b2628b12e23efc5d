/**
 * A token issuer shaped like a Cognito user pool: an RSA key pair, its JSON Web Key Set, and
 * signed access and ID tokens (RS256, `kid` in the header; `iss`
 * `https://cognito-idp.<region>.amazonaws.com/<pool id>`; the ID token's `aud` is the app client id
 * and its `token_use` is `id`; the access token carries `client_id` and `token_use: access`), made
 * with node:crypto only. Local mode signs its sign-in tokens with it (`npm run token`); tests use it
 * to make good and bad tokens.
 *
 * ```ts
 * const issuer = createJwtIssuer();
 * const authorizer = createJwtAuthorizer(issuer.authorizerOptions());
 * const header = `Bearer ${issuer.accessToken("user-1")}`;
 * ```
 */
import { createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import type { Jwk, Jwks, JwtAuthorizerOptions } from "../api/jwt-authorizer";

/** Settings of {@link createJwtIssuer}. */
export interface JwtIssuerOptions {
    /** The `iss` of every token. Defaults to a Cognito-style URL for pool `us-east-1_TestPool1`. */
    readonly issuer?: string;
    /** The app client id: `client_id` of access tokens, `aud` of ID tokens. Defaults to `testclient123`. */
    readonly clientId?: string;
    /** The key id in the key set and in token headers. Defaults to a fresh UUID. */
    readonly kid?: string;
    /** The RSA private key to sign with. Defaults to a fresh 2048-bit key. */
    readonly privateKey?: KeyObject;
    /** Lifetime of the tokens in seconds. Defaults to {@link TEST_TOKEN_SECONDS} (one hour, Cognito's default). */
    readonly tokenSeconds?: number;
    /** The clock, in epoch milliseconds. Defaults to `Date.now`. */
    readonly now?: () => number;
}

/** Header fields a test may override or add, e.g. `{ alg: "none" }` or `{ kid: "other" }`. */
export type TokenHeader = Record<string, unknown>;

/** A token issuer. */
export interface JwtIssuer {
    readonly issuer: string;
    readonly clientId: string;
    readonly kid: string;
    /** The public key set, as Cognito serves it at `<issuer>/.well-known/jwks.json`. */
    readonly jwks: Jwks;
    /** The private key, to sign by hand. */
    readonly privateKey: KeyObject;
    /** Signs any claims with the issuer's key (RS256), with header overrides. */
    sign(claims: Record<string, unknown>, header?: TokenHeader): string;
    /** A Cognito-style access token for `sub`: `client_id`, `token_use: access`, `scope`, one hour. */
    accessToken(sub: string, claims?: Record<string, unknown>): string;
    /** A Cognito-style ID token for `sub`: `aud`, `token_use: id`, `email`, one hour. */
    idToken(sub: string, claims?: Record<string, unknown>): string;
    /** Options for `createJwtAuthorizer` that trust this issuer. */
    authorizerOptions(overrides?: Partial<JwtAuthorizerOptions>): JwtAuthorizerOptions;
}

/** The lifetime of the tokens made, as a Cognito app client's default. */
export const TEST_TOKEN_SECONDS = 3600;

/** Encodes a JSON value as one base64url part of a compact JWS. */
export function encodePart(value: unknown): string {
    return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Makes an issuer with the given private key, or its own new 2048-bit RSA key pair. */
export function createJwtIssuer(options: JwtIssuerOptions = {}): JwtIssuer {
    const issuer = options.issuer ?? "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1";
    const clientId = options.clientId ?? "testclient123";
    const kid = options.kid ?? randomUUID();
    const now = options.now ?? Date.now;
    const { privateKey, publicKey } = options.privateKey
        ? { privateKey: options.privateKey, publicKey: createPublicKey(options.privateKey) }
        : generateKeyPairSync("rsa", { modulusLength: 2048 });
    const lifetime = options.tokenSeconds ?? TEST_TOKEN_SECONDS;
    const jwk: Jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };

    const signClaims = (claims: Record<string, unknown>, header: TokenHeader = {}): string => {
        const encodedHeader = encodePart({ kid, alg: "RS256", ...header });
        const encodedPayload = encodePart(claims);
        const signature = sign("RSA-SHA256", Buffer.from(`${encodedHeader}.${encodedPayload}`), privateKey);
        return `${encodedHeader}.${encodedPayload}.${signature.toString("base64url")}`;
    };
    const times = () => {
        const iat = Math.floor(now() / 1000);
        return { iat, auth_time: iat, exp: iat + lifetime };
    };

    return {
        issuer,
        clientId,
        kid,
        jwks: { keys: [jwk] },
        privateKey,
        sign: signClaims,
        accessToken: (sub, claims = {}) =>
            signClaims({
                sub,
                iss: issuer,
                client_id: clientId,
                origin_jti: randomUUID(),
                event_id: randomUUID(),
                token_use: "access",
                scope: "aws.cognito.signin.user.admin",
                jti: randomUUID(),
                username: sub,
                ...times(),
                ...claims,
            }),
        idToken: (sub, claims = {}) =>
            signClaims({
                sub,
                iss: issuer,
                aud: clientId,
                email_verified: true,
                "cognito:username": sub,
                token_use: "id",
                email: `${sub}@example.com`,
                jti: randomUUID(),
                ...times(),
                ...claims,
            }),
        authorizerOptions: (overrides = {}) => ({ issuer, audience: [clientId], jwks: { keys: [jwk] }, ...overrides }),
    };
}
