import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import type { AuthSettings } from "../contract/options/auth";

/** What the JWT authorizer checks a token against. */
export interface JwtAuthorizerConfig {
    /** The token's `iss`: `https://cognito-idp.<region>.amazonaws.com/<user pool id>`. */
    readonly issuer: pulumi.Input<string>;
    /** The accepted `aud` (ID tokens) or `client_id` (access tokens): the app client IDs. */
    readonly audience: pulumi.Input<pulumi.Input<string>[]>;
}

/** Sign-in as created: the authorizer configuration, and the pool and client when the component made them. */
export interface Auth extends JwtAuthorizerConfig {
    readonly issuer: pulumi.Output<string>;
    readonly audience: pulumi.Output<string[]>;
    /** The user pool's ID. */
    readonly userPoolId: pulumi.Output<string>;
    /** The user pool, when the component created it. */
    readonly userPool: aws.cognito.UserPool | undefined;
    /** The app client, when the component created it. */
    readonly userPoolClient: aws.cognito.UserPoolClient | undefined;
}

/** The issuer URL of a Cognito user pool's tokens (the `iss` claim). */
export function cognitoIssuer(region: pulumi.Input<string>, userPoolId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * The region of a user pool: the part of its ID before `_`. A pool may live in another region
 * than the API, and the issuer must name the pool's own region.
 */
export function regionOfUserPoolId(userPoolId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(userPoolId).apply((id) => id.split("_")[0]);
}

/**
 * Creates sign-in (`${name}-users`, `${name}-users-client`) or, for an existing pool, only works
 * out the issuer and audience. A created pool signs users in by email (case-insensitive), sends
 * verification and recovery codes to the verified email only, keeps the old address until a new one
 * is verified, applies the password policy, MFA with authenticator apps, and deletion protection as
 * resolved; self sign-up is off unless asked for. Its app client has no secret (a browser or mobile
 * app cannot keep one), allows only SRP sign-in and refresh (the password never leaves the client),
 * hides whether a user exists, and revokes tokens on sign-out.
 */
export function createAuth(
    name: string,
    settings: AuthSettings<pulumi.Input<string>>,
    parent: pulumi.Resource,
    tags: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
): Auth {
    if (settings.kind === "existing") {
        const userPoolId = pulumi.output(settings.userPoolId);
        return {
            issuer: cognitoIssuer(regionOfUserPoolId(userPoolId), userPoolId),
            audience: pulumi.output([...settings.userPoolClientIds]),
            userPoolId,
            userPool: undefined,
            userPoolClient: undefined,
        };
    }

    const userPool = new aws.cognito.UserPool(
        `${name}-users`,
        {
            usernameAttributes: ["email"],
            usernameConfiguration: { caseSensitive: false },
            autoVerifiedAttributes: ["email"],
            accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
            // An unverified new address must not take over sign-in or recovery.
            userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
            passwordPolicy: {
                minimumLength: settings.passwordMinimumLength,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: true,
                temporaryPasswordValidityDays: 7,
            },
            mfaConfiguration: settings.mfa,
            // Cognito requires a second factor to be configured whenever MFA is not OFF.
            softwareTokenMfaConfiguration: settings.mfa === "OFF" ? undefined : { enabled: true },
            adminCreateUserConfig: { allowAdminCreateUserOnly: !settings.selfSignUp },
            deletionProtection: settings.deletionProtection ? "ACTIVE" : "INACTIVE",
            tags,
        },
        { parent },
    );
    const userPoolClient = new aws.cognito.UserPoolClient(
        `${name}-users-client`,
        {
            userPoolId: userPool.id,
            generateSecret: false,
            explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            preventUserExistenceErrors: "ENABLED",
            enableTokenRevocation: true,
            accessTokenValidity: settings.accessTokenValidityMinutes,
            idTokenValidity: settings.accessTokenValidityMinutes,
            refreshTokenValidity: settings.refreshTokenValidityDays,
            tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
        },
        { parent },
    );
    const region = aws.getRegionOutput({}, { parent }).region;
    return {
        issuer: cognitoIssuer(region, userPool.id),
        audience: pulumi.output([userPoolClient.id]),
        userPoolId: userPool.id,
        userPool,
        userPoolClient,
    };
}
