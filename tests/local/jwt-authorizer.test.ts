import { expect } from "chai";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { createHmac, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startHttpApi, type HttpApi } from "../../local/api/http-api";
import {
    claimText,
    CLOCK_SKEW_SECONDS,
    createJwtAuthorizer,
    JWKS_REFETCH_SECONDS,
    tokenOf,
    type AuthorizerDecision,
    type Jwks,
} from "../../local/api/jwt-authorizer";
import { createJwtIssuer, encodePart, TEST_TOKEN_SECONDS } from "../../local/auth/token-issuer";

/** A fixed clock the tests move by hand. */
function manualClock(start = Date.UTC(2030, 0, 1)) {
    let ms = start;
    return { now: () => ms, advance: (seconds: number) => (ms += seconds * 1000) };
}

function refused(decision: AuthorizerDecision): string {
    if (decision.ok) throw new Error("expected the token to be refused");
    return decision.reason;
}

describe("local JWT authorizer (API Gateway HTTP API JWT authorizer)", () => {
    const clock = manualClock();
    const issuer = createJwtIssuer({ now: clock.now });
    const authorizer = createJwtAuthorizer(issuer.authorizerOptions({ now: clock.now }));
    const claimsNow = () => {
        const iat = Math.floor(clock.now() / 1000);
        return { sub: "user-1", iss: issuer.issuer, client_id: issuer.clientId, iat, exp: iat + TEST_TOKEN_SECONDS };
    };

    it("should accept a Cognito access token and pass its claims as strings, with its scopes", async () => {
        const decision = await authorizer.authorize(`Bearer ${issuer.accessToken("user-1", { "cognito:groups": ["admin", "staff"] })}`);
        expect(decision.ok).to.equal(true);
        if (!decision.ok) return;
        const { claims, scopes } = decision.context.jwt;
        expect(claims.sub).to.equal("user-1");
        expect(claims.client_id).to.equal(issuer.clientId);
        expect(claims.token_use).to.equal("access");
        expect(claims.exp).to.equal(String(Math.floor(clock.now() / 1000) + TEST_TOKEN_SECONDS));
        expect(claims["cognito:groups"]).to.equal("[admin staff]");
        expect(scopes).to.deep.equal(["aws.cognito.signin.user.admin"]);
        for (const value of Object.values(claims)) expect(value).to.be.a("string");
    });

    it("should accept an ID token by its aud, a bare token without Bearer, and any case of Bearer", async () => {
        const token = issuer.idToken("user-2");
        for (const header of [`Bearer ${token}`, token, `bearer  ${token}`, ` BEARER ${token} `]) {
            const decision = await authorizer.authorize(header);
            expect(decision.ok, header.slice(0, 12)).to.equal(true);
            if (decision.ok) {
                expect(decision.context.jwt.claims).to.deep.include({ sub: "user-2", email_verified: "true", token_use: "id" });
                expect(decision.context.jwt.scopes).to.equal(null);
            }
        }
        expect((await authorizer.authorize(`Bearer ${issuer.sign({ ...claimsNow(), aud: ["other", issuer.clientId] })}`)).ok).to.equal(true);
    });

    it("should refuse a missing, empty or Bearer-only Authorization header", async () => {
        for (const header of [undefined, "", "   ", "Bearer", "Bearer   "]) {
            expect(refused(await authorizer.authorize(header)), String(header)).to.equal("no token in the Authorization header");
        }
        expect(tokenOf("Bearer abc")).to.equal("abc");
        expect(tokenOf("Basic dXNlcjpwYXNz")).to.equal("Basic dXNlcjpwYXNz");
    });

    it("should refuse an expired token, and accept one within the clock skew", async () => {
        const iat = Math.floor(clock.now() / 1000);
        expect(refused(await authorizer.authorize(issuer.sign({ ...claimsNow(), iat: iat - 7200, exp: iat - 60 })))).to.equal("the token has expired");
        expect(refused(await authorizer.authorize(issuer.sign({ ...claimsNow(), exp: iat - CLOCK_SKEW_SECONDS })))).to.equal("the token has expired");
        expect((await authorizer.authorize(issuer.sign({ ...claimsNow(), exp: iat - CLOCK_SKEW_SECONDS + 1 }))).ok).to.equal(true);
        expect(refused(await authorizer.authorize(issuer.sign({ ...claimsNow(), exp: undefined })))).to.equal("the token has no exp");
        expect(refused(await authorizer.authorize(issuer.sign({ ...claimsNow(), exp: String(iat + 60) })))).to.equal("the token has no exp");
    });

    it("should refuse a token that is not valid yet (nbf or iat in the future)", async () => {
        const iat = Math.floor(clock.now() / 1000);
        expect(refused(await authorizer.authorize(issuer.sign({ ...claimsNow(), nbf: iat + 600 })))).to.equal("the token's nbf is in the future");
        expect(refused(await authorizer.authorize(issuer.sign({ ...claimsNow(), iat: iat + 600 })))).to.equal("the token's iat is in the future");
        expect(refused(await authorizer.authorize(issuer.sign({ ...claimsNow(), nbf: "soon" })))).to.equal("the token's nbf is not a number");
        expect((await authorizer.authorize(issuer.sign({ ...claimsNow(), nbf: iat + CLOCK_SKEW_SECONDS })))).to.have.property("ok", true);
    });

    it("should refuse a token from another issuer", async () => {
        for (const iss of ["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other", `${issuer.issuer}/`, undefined]) {
            expect(refused(await authorizer.authorize(issuer.sign({ ...claimsNow(), iss })))).to.equal("the token does not have a valid issuer");
        }
    });

    it("should refuse a token for another audience, judging aud before client_id", async () => {
        const cases = [
            { ...claimsNow(), client_id: "otherclient" },
            { ...claimsNow(), client_id: undefined },
            { ...claimsNow(), aud: "otherclient" },
            { ...claimsNow(), aud: [] },
            { ...claimsNow(), client_id: [issuer.clientId] },
        ];
        for (const claims of cases) {
            expect(refused(await authorizer.authorize(issuer.sign(claims))), JSON.stringify(claims)).to.equal("the token does not have a valid audience");
        }
    });

    it("should refuse a token whose kid is unknown or missing", async () => {
        expect(refused(await authorizer.authorize(issuer.sign(claimsNow(), { kid: "another-key" })))).to.equal("the token's kid matches no signing key");
        expect(refused(await authorizer.authorize(issuer.sign(claimsNow(), { kid: undefined })))).to.equal("the token has no kid");
        // A token from another issuer that reuses our kid is caught by its signature.
        const impostor = createJwtIssuer({ issuer: issuer.issuer, clientId: issuer.clientId, kid: issuer.kid, now: clock.now });
        expect(refused(await authorizer.authorize(impostor.accessToken("user-1")))).to.equal("the token's signature does not verify");
    });

    it("should refuse a token whose payload was changed after signing", async () => {
        const [header, , signature] = issuer.accessToken("user-1").split(".");
        const forged = `${header}.${encodePart({ ...claimsNow(), sub: "someone-else" })}.${signature}`;
        expect(refused(await authorizer.authorize(`Bearer ${forged}`))).to.equal("the token's signature does not verify");
        const [h, p] = issuer.accessToken("user-1").split(".");
        expect(refused(await authorizer.authorize(`${h}.${p}.${Buffer.from("not a signature").toString("base64url")}`))).to.equal(
            "the token's signature does not verify",
        );
    });

    it("should refuse alg none and HS256, even when signed with the public key as the HMAC secret", async () => {
        const header = (alg: string) => encodePart({ alg, kid: issuer.kid, typ: "JWT" });
        const payload = encodePart(claimsNow());
        expect(refused(await authorizer.authorize(`${header("none")}.${payload}.`))).to.match(/not a signed JWT/);
        expect(refused(await authorizer.authorize(`${header("none")}.${payload}.AAAA`))).to.equal('the token\'s alg "none" is not RS256');
        const secret = JSON.stringify(issuer.jwks.keys[0]);
        const hmac = createHmac("sha256", secret).update(`${header("HS256")}.${payload}`).digest("base64url");
        expect(refused(await authorizer.authorize(`${header("HS256")}.${payload}.${hmac}`))).to.equal('the token\'s alg "HS256" is not RS256');
        expect(refused(await authorizer.authorize(issuer.sign(claimsNow(), { alg: "RS512" })))).to.equal('the token\'s alg "RS512" is not RS256');
    });

    it("should refuse malformed tokens", async () => {
        const valid = issuer.accessToken("user-1");
        const [h, p, s] = valid.split(".");
        const cases: Array<[string, RegExp]> = [
            ["abc", /not a signed JWT/],
            [`${h}.${p}`, /not a signed JWT/],
            [`${h}.${p}.${s}.extra`, /not a signed JWT/],
            [`${h}.${p}.${s}%`, /not a signed JWT/],
            [`${Buffer.from("not json").toString("base64url")}.${p}.${s}`, /header is not JSON/],
            [`${encodePart([1, 2])}.${p}.${s}`, /header is not a JSON object/],
            // A repeated header arrives joined by a comma: ambiguous, so refused.
            [`Bearer ${valid},Bearer ${valid}`, /not a signed JWT/],
        ];
        for (const [token, reason] of cases) expect(refused(await authorizer.authorize(token)), token.slice(0, 20)).to.match(reason);
        // A payload that is not JSON cannot be signed by anyone but the issuer; it is still refused, not thrown.
        expect(refused(await authorizer.authorize(issuerSignedRaw("not json")))).to.equal("the token's payload is not JSON");
    });

    function issuerSignedRaw(payloadText: string): string {
        const header = encodePart({ alg: "RS256", kid: issuer.kid });
        const payload = Buffer.from(payloadText).toString("base64url");
        return `${header}.${payload}.${sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), issuer.privateKey).toString("base64url")}`;
    }

    it("should render claims the way API Gateway passes them", () => {
        expect(claimText(12)).to.equal("12");
        expect(claimText(false)).to.equal("false");
        expect(claimText(["a", 1])).to.equal("[a 1]");
        expect(claimText({ k: "v" })).to.equal('{"k":"v"}');
    });
});

describe("local JWT authorizer with a key set served on 127.0.0.1", () => {
    const clock = manualClock();
    const first = createJwtIssuer({ now: clock.now });
    const rotated = createJwtIssuer({ issuer: first.issuer, clientId: first.clientId, now: clock.now });
    let served: Jwks = first.jwks;
    let status = 200;
    let fetches = 0;
    let server: Server;
    let url: string;

    before(async () => {
        server = createServer((_req, res) => {
            fetches++;
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(served));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
        served = first.jwks;
        status = 200;
        fetches = 0;
    });

    it("should fetch the key set once and reuse it", async () => {
        const authorizer = createJwtAuthorizer(first.authorizerOptions({ jwks: url, now: clock.now }));
        const decisions = await Promise.all([1, 2, 3].map((n) => authorizer.authorize(`Bearer ${first.accessToken(`user-${n}`)}`)));
        expect(decisions.map((d) => d.ok)).to.deep.equal([true, true, true]);
        expect(fetches).to.equal(1);
    });

    it("should fetch again for a new kid once the refetch interval has passed (key rotation)", async () => {
        const authorizer = createJwtAuthorizer(first.authorizerOptions({ jwks: url, now: clock.now }));
        expect((await authorizer.authorize(first.accessToken("u"))).ok).to.equal(true);
        served = { keys: [...first.jwks.keys, ...rotated.jwks.keys] };
        expect(refused(await authorizer.authorize(rotated.accessToken("u")))).to.equal("the token's kid matches no signing key");
        expect(fetches).to.equal(1);
        clock.advance(JWKS_REFETCH_SECONDS);
        expect((await authorizer.authorize(rotated.accessToken("u"))).ok).to.equal(true);
        expect(fetches).to.equal(2);
    });

    it("should refuse tokens while the key set cannot be fetched, and recover when it can", async () => {
        status = 500;
        const authorizer = createJwtAuthorizer(first.authorizerOptions({ jwks: url, now: clock.now }));
        expect(refused(await authorizer.authorize(first.accessToken("u")))).to.equal("the signing keys could not be fetched (HTTP 500)");
        status = 200;
        expect((await authorizer.authorize(first.accessToken("u"))).ok).to.equal(true);
    });

    it("should refuse a key set URL that is not on this machine", () => {
        expect(() => createJwtAuthorizer(first.authorizerOptions({ jwks: "https://cognito-idp.us-east-1.amazonaws.com/x/.well-known/jwks.json" }))).to.throw(
            /on this machine/,
        );
    });
});

describe("local HTTP API with a JWT authorizer", () => {
    const issuer = createJwtIssuer();
    let api: HttpApi;
    const invoked: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];

    before(async () => {
        const record = async (event: unknown) => {
            invoked.push(event as APIGatewayProxyEventV2WithJWTAuthorizer);
            return { statusCode: 200, body: "ok" };
        };
        api = await startHttpApi({
            authorizer: createJwtAuthorizer(issuer.authorizerOptions()),
            routes: [
                { method: "GET", path: "/orders/{orderId}", invoke: record, requireSignIn: true },
                { method: "GET", path: "/health", invoke: record },
            ],
        });
    });
    after(() => api.close());
    beforeEach(() => (invoked.length = 0));

    it("should answer 401 {message: Unauthorized} with a reason, without invoking, when the token is missing or bad", async () => {
        for (const headers of [{}, { authorization: "Bearer nonsense" }, { authorization: `Bearer ${createJwtIssuer().accessToken("u")}` }] as Record<string, string>[]) {
            const res = await fetch(`${api.url}/orders/o-1`, { headers });
            expect(res.status).to.equal(401);
            expect(await res.json()).to.deep.equal({ message: "Unauthorized" });
            expect(res.headers.get("www-authenticate")).to.match(/^Bearer scope="" error="invalid_token" error_description="[^"]+"$/);
        }
        expect(invoked).to.have.length(0);
    });

    it("should pass the token's claims to the function in requestContext.authorizer.jwt", async () => {
        const res = await fetch(`${api.url}/orders/o-1`, { headers: { authorization: `Bearer ${issuer.accessToken("user-7")}` } });
        expect(res.status).to.equal(200);
        expect(invoked).to.have.length(1);
        expect(invoked[0].requestContext.authorizer.jwt.claims.sub).to.equal("user-7");
        expect(invoked[0].requestContext.authorizer.jwt.scopes).to.deep.equal(["aws.cognito.signin.user.admin"]);
        expect(invoked[0].pathParameters).to.deep.equal({ orderId: "o-1" });
    });

    it("should serve routes that do not require sign-in without a token, and without claims", async () => {
        const res = await fetch(`${api.url}/health`);
        expect(res.status).to.equal(200);
        expect(invoked[0].requestContext).to.not.have.property("authorizer");
    });

    it("should refuse to start when a route requires sign-in and there is no authorizer", async () => {
        let error: unknown;
        await startHttpApi({ routes: [{ method: "GET", path: "/x", invoke: async () => ({}), requireSignIn: true }] }).catch((e: unknown) => (error = e));
        expect(String(error)).to.match(/GET \/x require sign-in but no authorizer was given/);
    });
});
