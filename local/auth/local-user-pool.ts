/**
 * Local mode's user pool: one signing key kept in `<localDir>/auth/signing-key.pem`, a pool id and
 * an app client id shaped like Cognito's, and the issuer that signs its tokens. `npm start --
 * --auth` trusts it (the API's JWT authorizer gets its key set) and `npm run token` signs with it,
 * so a token made in one terminal is accepted by the pipeline running in another, across restarts.
 *
 * There is no password, SRP or hosted UI here: local mode only needs tokens shaped like the ones a
 * Cognito user pool issues, and accepted the way API Gateway accepts them.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { JwtAuthorizerOptions } from "../api/jwt-authorizer";
import { LOCAL_REGION } from "../lambda/lambda-environment";
import { createJwtIssuer, type JwtIssuer } from "./token-issuer";

/** The local pool's id, as Cognito shapes them: `<region>_<9 letters or digits>`. */
export const LOCAL_USER_POOL_ID = `${LOCAL_REGION}_LocalPool`;

/** The local app client's id, as Cognito shapes them: 26 lower-case letters and digits. */
export const LOCAL_CLIENT_ID = "localorderpipelineclient01";

/** Token lifetimes `npm run token` accepts, in minutes: Cognito's limits for access and ID tokens. */
export const TOKEN_MINUTES = { default: 60, min: 5, max: 1440 } as const;

/** The local user pool. */
export interface LocalUserPool {
    readonly poolId: string;
    readonly clientId: string;
    /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the `iss` of its tokens. */
    readonly issuer: string;
    /** Where the signing key is kept. */
    readonly keyFile: string;
    /** What the API's JWT authorizer is configured with: this issuer, this client, this key set. */
    authorizerOptions(): JwtAuthorizerOptions;
    /** An issuer of this pool's tokens, each valid for `minutes`. */
    tokens(minutes?: number): JwtIssuer;
}

/** The key file of the pool kept under `localDir`. */
export function signingKeyFile(localDir: string): string {
    return path.join(localDir, "auth", "signing-key.pem");
}

/** The `kid` of a public key: its RFC 7638 JWK thumbprint (SHA-256, base64url), stable for the key. */
export function keyId(publicKey: KeyObject): string {
    const { e, kty, n } = publicKey.export({ format: "jwk" });
    return createHash("sha256").update(JSON.stringify({ e, kty, n })).digest("base64url");
}

/** Reads the signing key, or makes one (readable by this user only) when there is none yet. */
function loadOrCreateKey(file: string): KeyObject {
    try {
        return createPrivateKey(fs.readFileSync(file, "utf8"));
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`the local signing key ${file} cannot be read: ${(err as Error).message}`);
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    try {
        // "wx": two processes starting at once keep whichever key was written first.
        fs.writeFileSync(file, privateKey.export({ format: "pem", type: "pkcs8" }), { flag: "wx", mode: 0o600 });
        return privateKey;
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        return createPrivateKey(fs.readFileSync(file, "utf8"));
    }
}

/** Opens the local user pool kept under `localDir`, making its signing key on first use. */
export function openLocalUserPool(localDir: string): LocalUserPool {
    const keyFile = signingKeyFile(localDir);
    const privateKey = loadOrCreateKey(keyFile);
    const kid = keyId(createPublicKey(privateKey));
    const issuer = `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${LOCAL_USER_POOL_ID}`;
    const tokens = (minutes: number = TOKEN_MINUTES.default) =>
        createJwtIssuer({ issuer, clientId: LOCAL_CLIENT_ID, kid, privateKey, tokenSeconds: minutes * 60 });
    const base = tokens();
    return {
        poolId: LOCAL_USER_POOL_ID,
        clientId: LOCAL_CLIENT_ID,
        issuer,
        keyFile,
        authorizerOptions: () => base.authorizerOptions(),
        tokens,
    };
}

/**
 * The local user's `sub` for an email address: a UUID derived from the address (lower-cased), so
 * the same person gets the same id, and owns the same orders, in every token.
 */
export function localSubOf(email: string): string {
    const hex = createHash("sha256").update(`order-pipeline local user:${email.trim().toLowerCase()}`).digest("hex");
    // Version 4 and variant bits set, as Cognito's subs are random UUIDs.
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What `npm run token` makes. */
export interface SignInTokenRequest {
    readonly email: string;
    /** An ID token (default: `aud`, `email`, `token_use: id`) or an access token (`client_id`, `token_use: access`). */
    readonly kind?: "id" | "access";
    readonly minutes?: number;
}

/** Signs a token of the local pool for a user named by email. */
export function signInToken(pool: LocalUserPool, request: SignInTokenRequest): string {
    const sub = localSubOf(request.email);
    const issuer = pool.tokens(request.minutes);
    return request.kind === "access"
        ? issuer.accessToken(sub, { username: request.email })
        : issuer.idToken(sub, { email: request.email, "cognito:username": request.email });
}
