import { expect } from "chai";
import fc from "fast-check";
import { BEARER_CHALLENGE, callerOf, forbiddenResponse, MAX_SUB_LENGTH, requireCaller, unauthorizedResponse } from "../../../handlers/http/caller";
import { PROBLEM_CONTENT_TYPE, PROBLEMS, problemType } from "../../../handlers/http/problem";
import { authorizerContextOf } from "../../../local/api/jwt-authorizer";
import { createJwtIssuer } from "../../../local/auth/token-issuer";

/** An event as API Gateway sends it behind a JWT authorizer that accepted these claims. */
const withClaims = (claims: Record<string, unknown>) => ({ requestContext: { requestId: "r-1", authorizer: { jwt: { claims, scopes: null } } } });

describe("the caller of a request (JWT authorizer claims, payload format 2.0)", () => {
    it("should read sub from requestContext.authorizer.jwt.claims", () => {
        expect(callerOf(withClaims({ sub: "0b7e5a44-5c5f-4c55-9d3a-1f0e6f1c2d3e", token_use: "access" }))).to.deep.equal({
            sub: "0b7e5a44-5c5f-4c55-9d3a-1f0e6f1c2d3e",
        });
    });

    it("should read the claims the local authorizer builds from a signed token", async () => {
        const issuer = createJwtIssuer();
        const payload = JSON.parse(Buffer.from(issuer.accessToken("user-9").split(".")[1], "base64url").toString());
        const event = { requestContext: { authorizer: authorizerContextOf(payload) } };
        expect(callerOf(event)).to.deep.equal({ sub: "user-9" });
    });

    it("should find no caller without an authorizer, claims or sub", () => {
        const events: unknown[] = [
            {},
            { requestContext: undefined },
            { requestContext: null },
            { requestContext: { requestId: "r" } },
            { requestContext: { authorizer: null } },
            { requestContext: { authorizer: { jwt: null } } },
            { requestContext: { authorizer: { jwt: { claims: [] } } } },
            { requestContext: { authorizer: { lambda: { sub: "x" } } } },
            { requestContext: { authorizer: { jwt: { claims: { "cognito:username": "x" } } } } },
        ];
        for (const event of events) expect(callerOf(event as { requestContext?: unknown }), JSON.stringify(event)).to.equal(undefined);
    });

    it("should find no caller when sub is not a usable identifier", () => {
        for (const sub of ["", 42, true, ["a"], { id: "a" }, null, "x".repeat(MAX_SUB_LENGTH + 1), "a\nb", "a\u0000", "tab\there"]) {
            expect(callerOf(withClaims({ sub })), JSON.stringify(sub)).to.equal(undefined);
        }
        expect(callerOf(withClaims({ sub: "x".repeat(MAX_SUB_LENGTH) }))?.sub).to.have.length(MAX_SUB_LENGTH);
    });

    it("should never throw, whatever the request context holds", () => {
        fc.assert(
            fc.property(fc.anything(), (requestContext) => {
                const caller = callerOf({ requestContext });
                expect(caller === undefined || (typeof caller.sub === "string" && caller.sub.length > 0)).to.equal(true);
            }),
        );
    });

    it("should answer 401 problem+json with a Bearer challenge when sign-in is required and there is no caller", () => {
        const check = requireCaller({ requestContext: {} }, true, "corr-1");
        expect(check.ok).to.equal(false);
        if (check.ok) return;
        expect(check.response.statusCode).to.equal(401);
        expect(check.response.headers).to.deep.include({
            "content-type": PROBLEM_CONTENT_TYPE,
            "www-authenticate": BEARER_CHALLENGE,
            "x-correlation-id": "corr-1",
            "cache-control": "no-store",
        });
        expect(JSON.parse(check.response.body)).to.deep.equal({
            type: problemType(PROBLEMS.unauthorized),
            title: PROBLEMS.unauthorized.title,
            status: 401,
            detail: "sign in and send the access token as Authorization: Bearer <token>",
        });
    });

    it("should pass the caller through when present, and allow no caller when sign-in is off", () => {
        expect(requireCaller(withClaims({ sub: "u-1" }), true, "c")).to.deep.equal({ ok: true, caller: { sub: "u-1" } });
        expect(requireCaller({ requestContext: {} }, false, "c")).to.deep.equal({ ok: true, caller: undefined });
    });

    it("should build 401 and 403 problems with the given detail", () => {
        const unauthorized = unauthorizedResponse("c", "sign in to read orders");
        expect(JSON.parse(unauthorized.body)).to.include({ status: 401, detail: "sign in to read orders" });
        const forbidden = forbiddenResponse("c", "the order belongs to another customer");
        expect(forbidden.statusCode).to.equal(403);
        expect(JSON.parse(forbidden.body)).to.deep.equal({
            type: "urn:order-pipeline:problem:forbidden",
            title: PROBLEMS.forbidden.title,
            status: 403,
            detail: "the order belongs to another customer",
        });
        expect(forbidden.headers).to.not.have.property("www-authenticate");
    });
});
