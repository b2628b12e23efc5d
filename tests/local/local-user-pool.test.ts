import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createJwtAuthorizer } from "../../local/api/jwt-authorizer";
import { LOCAL_CLIENT_ID, localSubOf, openLocalUserPool, signInToken } from "../../local/auth/local-user-pool";
import { parseTokenArgs } from "../../local/auth/token-args";

/** The claims of a compact JWS, unverified. */
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString("utf8"));

describe("local user pool and npm run token", () => {
    const dirs: string[] = [];
    const tempDir = () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-pipeline-auth-"));
        dirs.push(dir);
        return dir;
    };
    after(() => {
        for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("should sign ID and access tokens shaped like Cognito's that the API's JWT authorizer accepts", async () => {
        const pool = openLocalUserPool(tempDir());
        const authorizer = createJwtAuthorizer(pool.authorizerOptions());
        const id = signInToken(pool, { email: "Ada@Example.com" });
        const access = signInToken(pool, { email: "ada@example.com", kind: "access" });

        expect(headerOf(id)).to.deep.equal({ kid: headerOf(access).kid, alg: "RS256" });
        expect(pool.issuer).to.equal("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool");
        expect(claimsOf(id)).to.include({ iss: pool.issuer, aud: LOCAL_CLIENT_ID, token_use: "id", email: "Ada@Example.com", sub: localSubOf("ada@example.com") });
        expect(claimsOf(access)).to.include({ iss: pool.issuer, client_id: LOCAL_CLIENT_ID, token_use: "access", sub: localSubOf("ada@example.com") });
        expect(claimsOf(access)).not.to.have.property("aud");
        expect(claimsOf(id).exp - claimsOf(id).iat).to.equal(3600);
        for (const token of [id, access]) {
            const decision = await authorizer.authorize(`Bearer ${token}`);
            expect(decision.ok, JSON.stringify(decision)).to.equal(true);
        }
        expect(localSubOf("ada@example.com")).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(localSubOf("grace@example.com")).not.to.equal(localSubOf("ada@example.com"));
    });

    it("should keep one signing key per local folder, readable by its owner only, so a token outlives a restart", async () => {
        const dir = tempDir();
        const token = signInToken(openLocalUserPool(dir), { email: "ada@example.com", minutes: 5 });
        const restarted = openLocalUserPool(dir);
        expect((await createJwtAuthorizer(restarted.authorizerOptions()).authorize(token)).ok).to.equal(true);
        expect(fs.statSync(restarted.keyFile).mode & 0o777).to.equal(0o600);
        expect(claimsOf(token).exp - claimsOf(token).iat).to.equal(300);

        const other = openLocalUserPool(tempDir());
        const refused = await createJwtAuthorizer(other.authorizerOptions()).authorize(token);
        expect(refused).to.deep.equal({ ok: false, reason: "the token's kid matches no signing key" });
    });

    it("should refuse an expired local token as API Gateway would", async () => {
        const pool = openLocalUserPool(tempDir());
        const token = signInToken(pool, { email: "ada@example.com", minutes: 5 });
        const later = createJwtAuthorizer({ ...pool.authorizerOptions(), now: () => Date.now() + 6 * 60_000 });
        expect(await later.authorize(token)).to.deep.equal({ ok: false, reason: "the token has expired" });
    });

    it("should read npm run token's arguments and refuse bad ones by name", () => {
        expect(parseTokenArgs(["--email", "ada@example.com"], {})).to.include({ email: "ada@example.com", kind: "id", minutes: 60, help: false });
        expect(parseTokenArgs(["--email", "ada@example.com", "--access", "--minutes", "5", "--local-dir", "/tmp/x"], {})).to.include({ kind: "access", minutes: 5, localDir: "/tmp/x" });
        expect(() => parseTokenArgs([], {})).to.throw(/--email must be an email address/);
        expect(() => parseTokenArgs(["--email", "ada@example.com", "--minutes", "2"], {})).to.throw(/--minutes must be a whole number from 5 to 1440/);
        expect(() => parseTokenArgs(["--email", "ada@example.com", "--password", "x"], {})).to.throw(/password/);
    });
});
