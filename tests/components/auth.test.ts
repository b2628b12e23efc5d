// First: loading the mocks module installs the mocks before the components are loaded.
import { findResource, MOCK_REGION, MOCK_STACK, recordProgram, resourcesOfType, type RecordedResource } from "../support/pulumi-mocks";
import * as aws from "../../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { AUTHORIZATION_HEADER, createApi, JWT_IDENTITY_SOURCE, type RouteSpec } from "../../components/api";
import { createAuth, type Auth } from "../../components/auth";
import type { AuthArgs } from "../../components/args";
import { AUTH_DEFAULTS, resolveAuthArgs, type AuthSettings } from "../../contract/options/auth";
import { CORS_ALLOW_HEADERS } from "../../contract/defaults";
import { resolveSettings } from "../../components/settings";
import type { OrderPipelineArgs } from "../../components/args";

const T = {
    userPool: "aws:cognito/userPool:UserPool",
    userPoolClient: "aws:cognito/userPoolClient:UserPoolClient",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
    route: "aws:apigatewayv2/route:Route",
    api: "aws:apigatewayv2/api:Api",
} as const;

/** The value of an Output (always known under non-preview mocks). */
function valueOf<V>(output: pulumi.Output<V>): Promise<V> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** The settings of valid arguments (fails on problems). */
function settingsOf(args: AuthArgs, stack = MOCK_STACK): AuthSettings<pulumi.Input<string>> {
    const { settings, problems } = resolveAuthArgs(args, stack);
    expect(problems).to.deep.equal([]);
    return settings!;
}

/** The problems of invalid arguments (fails if they are accepted). */
function problemsOf(args: AuthArgs): string[] {
    const { settings, problems } = resolveAuthArgs(args, MOCK_STACK);
    expect(problems, "expected problems").to.not.be.empty;
    expect(settings).to.equal(undefined);
    return problems;
}

/** Records createAuth under a parent component; returns the resources and the Auth with its outputs resolved. */
async function recordAuth(args: AuthArgs) {
    let auth: Auth | undefined;
    const resources = await recordProgram(() => {
        const parent = new pulumi.ComponentResource("test:index:SignIn", "orders");
        auth = createAuth("orders", settingsOf(args), parent, { team: "orders" });
        return auth;
    });
    return { resources, auth: auth!, issuer: await valueOf(auth!.issuer), audience: await valueOf(auth!.audience) };
}

/** Records createApi with three routes, two of them requiring sign-in, with or without an authorizer. */
async function recordApi(pipelineArgs: OrderPipelineArgs, withAuthorizer: boolean, protect = true): Promise<RecordedResource[]> {
    return recordProgram(() => {
        const parent = new pulumi.ComponentResource("test:index:Api", "orders");
        const fn = (role: string) =>
            new aws.lambda.Function(
                `orders-${role}`,
                { role: "arn:aws:iam::123456789012:role/r", runtime: "nodejs24.x", handler: "index.handler", code: new pulumi.asset.AssetArchive({}) },
                { parent },
            );
        const routes: RouteSpec[] = [
            { role: "submit", method: "POST", path: "/orders", function: fn("submit"), requireSignIn: protect },
            { role: "get", method: "GET", path: "/orders/{orderId}", function: fn("get"), requireSignIn: protect },
            { role: "status", method: "GET", path: "/status", function: fn("status") },
        ];
        const authorizer = withAuthorizer ? { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1", audience: ["client1", "client2"] } : undefined;
        return createApi(resolveSettings("orders", pipelineArgs), routes, parent, authorizer);
    });
}

describe("sign-in: a created Cognito user pool", () => {
    it("creates a pool that signs in by verified email, with the password policy, optional TOTP MFA and admin-only sign-up", async () => {
        const { resources } = await recordAuth({ cognito: {} });
        expect(resourcesOfType(resources, T.userPool)).to.have.length(1);
        const pool = findResource(resources, T.userPool, "orders-users").inputs;
        expect(pool.usernameAttributes).to.deep.equal(["email"]);
        expect(pool.usernameConfiguration).to.deep.equal({ caseSensitive: false });
        expect(pool.autoVerifiedAttributes).to.deep.equal(["email"]);
        expect(pool.accountRecoverySetting).to.deep.equal({ recoveryMechanisms: [{ name: "verified_email", priority: 1 }] });
        expect(pool.userAttributeUpdateSettings).to.deep.equal({ attributesRequireVerificationBeforeUpdates: ["email"] });
        expect(pool.passwordPolicy).to.deep.include({
            minimumLength: AUTH_DEFAULTS.passwordMinimumLength,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSymbols: true,
        });
        expect(pool.mfaConfiguration).to.equal("OPTIONAL");
        expect(pool.softwareTokenMfaConfiguration).to.deep.equal({ enabled: true });
        expect(pool.adminCreateUserConfig).to.deep.equal({ allowAdminCreateUserOnly: true });
        expect(pool.deletionProtection).to.equal("INACTIVE");
        expect(pool.tags).to.deep.equal({ team: "orders" });
    });

    it("creates an app client without a secret, SRP and refresh only, hiding whether users exist", async () => {
        const { resources } = await recordAuth({ cognito: {} });
        const pool = findResource(resources, T.userPool, "orders-users");
        const client = findResource(resources, T.userPoolClient, "orders-users-client").inputs;
        expect(client.userPoolId).to.equal(pool.id);
        expect(client.generateSecret).to.equal(false);
        expect(client.explicitAuthFlows).to.deep.equal(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
        expect(client.preventUserExistenceErrors).to.equal("ENABLED");
        expect(client.enableTokenRevocation).to.equal(true);
        expect(client).to.deep.include({ accessTokenValidity: 60, idTokenValidity: 60, refreshTokenValidity: 30 });
        expect(client.tokenValidityUnits).to.deep.equal({ accessToken: "minutes", idToken: "minutes", refreshToken: "days" });
        expect(client).to.not.have.property("allowedOauthFlows");
    });

    it("answers the issuer of the pool in the provider's region and the client as the audience", async () => {
        const { resources, issuer, audience, auth } = await recordAuth({ cognito: {} });
        const pool = findResource(resources, T.userPool, "orders-users");
        const client = findResource(resources, T.userPoolClient, "orders-users-client");
        expect(issuer).to.equal(`https://cognito-idp.${MOCK_REGION}.amazonaws.com/${pool.id}`);
        expect(audience).to.deep.equal([client.id]);
        expect(await valueOf(auth.userPoolId)).to.equal(pool.id);
    });

    it("applies the options given", async () => {
        const { resources } = await recordAuth({
            cognito: { passwordMinimumLength: 16, mfa: "ON", selfSignUp: true, accessTokenValidityMinutes: 15, refreshTokenValidityDays: 7, deletionProtection: true },
        });
        const pool = findResource(resources, T.userPool, "orders-users").inputs;
        expect(pool.passwordPolicy.minimumLength).to.equal(16);
        expect(pool.mfaConfiguration).to.equal("ON");
        expect(pool.adminCreateUserConfig).to.deep.equal({ allowAdminCreateUserOnly: false });
        expect(pool.deletionProtection).to.equal("ACTIVE");
        const client = findResource(resources, T.userPoolClient, "orders-users-client").inputs;
        expect(client).to.deep.include({ accessTokenValidity: 15, idTokenValidity: 15, refreshTokenValidity: 7 });
    });

    it("configures no second factor when MFA is off", async () => {
        const { resources } = await recordAuth({ cognito: { mfa: "OFF" } });
        const pool = findResource(resources, T.userPool, "orders-users").inputs;
        expect(pool.mfaConfiguration).to.equal("OFF");
        expect(pool).to.not.have.property("softwareTokenMfaConfiguration");
    });

    it("protects the pool from deletion by default on production-named stacks only", () => {
        expect(settingsOf({ cognito: {} }, "prod")).to.include({ deletionProtection: true });
        expect(settingsOf({ cognito: {} }, "eu-production")).to.include({ deletionProtection: true });
        expect(settingsOf({ cognito: {} }, "dev")).to.include({ deletionProtection: false });
        expect(settingsOf({ cognito: { deletionProtection: false } }, "prod")).to.include({ deletionProtection: false });
    });
});

describe("sign-in: an existing Cognito user pool", () => {
    it("creates no pool or client, and trusts the given pool (in its own region) and clients", async () => {
        const { resources, issuer, audience } = await recordAuth({ cognito: { userPoolId: "eu-west-1_AbC123xyz", userPoolClientIds: ["client1", "client2"] } });
        expect(resourcesOfType(resources, T.userPool)).to.have.length(0);
        expect(resourcesOfType(resources, T.userPoolClient)).to.have.length(0);
        expect(issuer).to.equal("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz");
        expect(audience).to.deep.equal(["client1", "client2"]);
    });

    it("takes the pool and clients as Outputs", async () => {
        const { issuer, audience } = await recordAuth({
            cognito: { userPoolId: pulumi.output("us-west-2_Zz9"), userPoolClientIds: [pulumi.output("c1")] },
        });
        expect(issuer).to.equal("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Zz9");
        expect(audience).to.deep.equal(["c1"]);
    });
});

describe("sign-in: argument problems", () => {
    it("requires cognito", () => {
        expect(problemsOf({} as AuthArgs)).to.deep.equal(["auth.cognito is required: give userPoolId and userPoolClientIds, or {} to create a user pool"]);
    });

    it("rejects out-of-range and unknown values, naming each argument", () => {
        const problems = problemsOf({
            cognito: { passwordMinimumLength: 6, mfa: "SMS" as never, accessTokenValidityMinutes: 2, refreshTokenValidityDays: 0.5, selfSignUp: "yes" as never },
        });
        expect(problems.map((p) => p.split(" ")[0])).to.deep.equal([
            "auth.cognito.passwordMinimumLength",
            "auth.cognito.accessTokenValidityMinutes",
            "auth.cognito.refreshTokenValidityDays",
            "auth.cognito.mfa",
            "auth.cognito.selfSignUp",
        ]);
        expect(problems[0]).to.equal("auth.cognito.passwordMinimumLength must be an integer from 8 to 99, got 6");
        expect(problems[3]).to.equal('auth.cognito.mfa must be one of OFF, OPTIONAL, ON, got "SMS"');
    });

    it("rejects a refresh token that expires before the access token it renews", () => {
        expect(problemsOf({ cognito: { accessTokenValidityMinutes: 1440, refreshTokenValidityDays: 1 } })).to.deep.equal([
            "auth.cognito.refreshTokenValidityDays (1) must outlast auth.cognito.accessTokenValidityMinutes (1440): " +
                "Cognito refuses a refresh token that expires before the tokens it renews",
        ]);
    });

    it("rejects creation options next to an existing pool, naming both", () => {
        expect(problemsOf({ cognito: { userPoolId: "eu-west-1_Abc", userPoolClientIds: ["c1"], mfa: "ON", passwordMinimumLength: 20 } })).to.deep.equal([
            "auth.cognito.userPoolId and auth.cognito.passwordMinimumLength are mutually exclusive: passwordMinimumLength shapes a user pool the component creates",
            "auth.cognito.userPoolId and auth.cognito.mfa are mutually exclusive: mfa shapes a user pool the component creates",
        ]);
    });

    it("requires a pool with the clients and at least one client with the pool", () => {
        expect(problemsOf({ cognito: { userPoolClientIds: ["c1"] } })).to.deep.equal([
            "auth.cognito.userPoolClientIds needs auth.cognito.userPoolId: the pool the clients belong to",
        ]);
        expect(problemsOf({ cognito: { userPoolId: "eu-west-1_Abc" } })[0]).to.match(/^auth\.cognito\.userPoolClientIds must name at least one app client/);
        expect(problemsOf({ cognito: { userPoolId: "eu-west-1_Abc", userPoolClientIds: [] } })).to.have.length(1);
    });

    it("rejects malformed pool and client IDs and duplicate clients", () => {
        expect(problemsOf({ cognito: { userPoolId: "arn:aws:cognito-idp:eu-west-1:1:userpool/x", userPoolClientIds: ["ok1"] } })[0]).to.match(
            /^auth\.cognito\.userPoolId must be a Cognito user pool ID/,
        );
        expect(problemsOf({ cognito: { userPoolId: "eu-west-1_Abc", userPoolClientIds: ["bad id"] } })[0]).to.match(/^auth\.cognito\.userPoolClientIds must hold app client IDs/);
        expect(problemsOf({ cognito: { userPoolId: "eu-west-1_Abc", userPoolClientIds: ["c1", "c2", "c1"] } })).to.deep.equal([
            'auth.cognito.userPoolClientIds names "c1" more than once',
        ]);
    });
});

describe("sign-in: the JWT authorizer on the HTTP API", () => {
    it("creates a JWT authorizer on the Authorization header with the issuer and audience", async () => {
        const resources = await recordApi({}, true);
        const api = findResource(resources, T.api, "orders-api");
        const authorizer = findResource(resources, T.authorizer, "orders-authorizer");
        expect(authorizer.inputs).to.deep.equal({
            apiId: api.id,
            name: "orders-jwt",
            authorizerType: "JWT",
            identitySources: [JWT_IDENTITY_SOURCE],
            jwtConfiguration: { issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1", audiences: ["client1", "client2"] },
        });
        expect(JWT_IDENTITY_SOURCE).to.equal("$request.header.Authorization");
    });

    it("puts the authorizer on the routes that require sign-in, and only on those", async () => {
        const resources = await recordApi({}, true);
        const authorizer = findResource(resources, T.authorizer, "orders-authorizer");
        for (const role of ["submit", "get"]) {
            expect(findResource(resources, T.route, `orders-${role}-route`).inputs, role).to.deep.include({ authorizationType: "JWT", authorizerId: authorizer.id });
        }
        const open = findResource(resources, T.route, "orders-status-route").inputs;
        expect(open).to.not.have.property("authorizerId");
        expect(open.authorizationType ?? "NONE").to.equal("NONE");
    });

    it("lets browsers send the Authorization header when CORS is on, once", async () => {
        const withAuth = await recordApi({ api: { cors: { allowOrigins: ["https://shop.example.com"] } } }, true);
        expect(findResource(withAuth, T.api, "orders-api").inputs.corsConfiguration.allowHeaders).to.deep.equal([...CORS_ALLOW_HEADERS, AUTHORIZATION_HEADER]);
        const given = await recordApi({ api: { cors: { allowOrigins: ["*"], allowHeaders: ["Authorization", "content-type"] } } }, true);
        expect(findResource(given, T.api, "orders-api").inputs.corsConfiguration.allowHeaders).to.deep.equal(["Authorization", "content-type"]);
    });

    it("changes nothing without an authorizer", async () => {
        const resources = await recordApi({ api: { cors: { allowOrigins: ["https://shop.example.com"] } } }, false, false);
        expect(resourcesOfType(resources, T.authorizer)).to.have.length(0);
        for (const route of resourcesOfType(resources, T.route)) {
            expect(route.inputs, route.name).to.not.have.property("authorizerId");
            expect(route.inputs, route.name).to.not.have.property("authorizationType");
        }
        expect(findResource(resources, T.api, "orders-api").inputs.corsConfiguration.allowHeaders).to.deep.equal([...CORS_ALLOW_HEADERS]);
    });

    it("refuses to publish a route that requires sign-in without an authorizer", async () => {
        let error: unknown;
        await recordApi({}, false, true).catch((e: unknown) => (error = e));
        expect(String(error)).to.include("POST /orders, GET /orders/{orderId} require sign-in but no JWT authorizer was given");
    });
});
