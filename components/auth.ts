import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PRODUCTION_STACK_PATTERN } from "./defaults";

/** Cognito's MFA settings: `OPTIONAL` lets each user turn MFA on, `ON` requires it of everyone. */
export type MfaMode = "OFF" | "OPTIONAL" | "ON";

/** Every {@link MfaMode}, for validation. */
export const MFA_MODES: readonly MfaMode[] = ["OFF", "OPTIONAL", "ON"];

/** Defaults of a user pool the component creates. */
export const AUTH_DEFAULTS = {
    /** Characters; above Cognito's default of 8, in line with NIST SP 800-63B's advice for longer passwords. */
    passwordMinimumLength: 12,
    /** Users may enrol an authenticator app (TOTP). */
    mfa: "OPTIONAL" as MfaMode,
    /** Only an administrator creates users. */
    selfSignUp: false,
    /** Access and ID tokens live one hour (Cognito's default). */
    accessTokenValidityMinutes: 60,
    /** Refresh tokens live 30 days (Cognito's default). */
    refreshTokenValidityDays: 30,
} as const;

/**
 * Sign-in with an Amazon Cognito user pool. Give `userPoolId` and `userPoolClientIds` to use an
 * existing pool; otherwise the component creates a pool and an app client, and the other fields
 * shape them.
 */
export interface CognitoArgs {
    /** ID of an existing user pool, e.g. `eu-west-1_AbC123xyz`. Defaults to none: a pool is created. */
    readonly userPoolId?: pulumi.Input<string>;
    /** IDs of the existing pool's app clients whose tokens the API accepts. Required with `userPoolId`. */
    readonly userPoolClientIds?: readonly pulumi.Input<string>[];
    /** Shortest password accepted, 8 to 99 characters. Defaults to 12. */
    readonly passwordMinimumLength?: number;
    /** MFA: `OFF`, `OPTIONAL` or `ON`, with authenticator apps (TOTP). Defaults to `OPTIONAL`. */
    readonly mfa?: MfaMode;
    /** Let anyone sign up through the app client. Defaults to false: administrators create users. */
    readonly selfSignUp?: boolean;
    /** Lifetime of access and ID tokens in minutes, 5 to 1440. Defaults to 60. */
    readonly accessTokenValidityMinutes?: number;
    /** Lifetime of refresh tokens in days, 1 to 3650. Defaults to 30. */
    readonly refreshTokenValidityDays?: number;
    /** Refuse deletion of the user pool. Defaults to true for stacks whose name contains "prod", else false. */
    readonly deletionProtection?: boolean;
}

/** Sign-in for the API: a JWT authorizer on the order routes. */
export interface AuthArgs {
    /** The Cognito user pool that issues the tokens. Required. */
    readonly cognito: CognitoArgs;
}

/** Sign-in with a pool that already exists. */
export interface ExistingPoolSettings {
    readonly kind: "existing";
    readonly userPoolId: pulumi.Input<string>;
    readonly userPoolClientIds: readonly pulumi.Input<string>[];
}

/** Sign-in with a pool the component creates, every default applied. */
export interface NewPoolSettings {
    readonly kind: "create";
    readonly passwordMinimumLength: number;
    readonly mfa: MfaMode;
    readonly selfSignUp: boolean;
    readonly accessTokenValidityMinutes: number;
    readonly refreshTokenValidityDays: number;
    readonly deletionProtection: boolean;
}

/** {@link AuthArgs} resolved: what {@link createAuth} builds from. */
export type AuthSettings = ExistingPoolSettings | NewPoolSettings;

/** The arguments that only shape a created pool, so they make no sense next to `userPoolId`. */
const CREATE_ONLY_ARGS = [
    "passwordMinimumLength",
    "mfa",
    "selfSignUp",
    "accessTokenValidityMinutes",
    "refreshTokenValidityDays",
    "deletionProtection",
] as const satisfies readonly (keyof CognitoArgs)[];

/** Cognito's pattern for user pool IDs (`<region>_<id>`, at most 55 characters; CreateUserPool API). */
const USER_POOL_ID_PATTERN = /^[\w-]+_[0-9a-zA-Z]+$/;
/** Cognito's pattern for app client IDs (at most 128 characters; CreateUserPoolClient API). */
const CLIENT_ID_PATTERN = /^[\w+]{1,128}$/;

function integerProblem(arg: string, value: number, min: number, max: number, why = ""): string | undefined {
    return Number.isInteger(value) && value >= min && value <= max ? undefined : `${arg} must be an integer from ${min} to ${max}${why}, got ${value}`;
}

/**
 * Applies the defaults of {@link AuthArgs} and validates them. Returns every problem found, each
 * naming its argument (`auth.cognito.<field>`), instead of throwing; `settings` is undefined when
 * there are problems. `stackName` decides the default deletion protection.
 */
export function resolveAuthArgs(args: AuthArgs, stackName: string): { settings: AuthSettings | undefined; problems: string[] } {
    const problems: string[] = [];
    const cognito = args.cognito as CognitoArgs | undefined;
    if (cognito === undefined || cognito === null || typeof cognito !== "object") {
        return { settings: undefined, problems: ["auth.cognito is required: give userPoolId and userPoolClientIds, or {} to create a user pool"] };
    }

    if (cognito.userPoolId !== undefined || cognito.userPoolClientIds !== undefined) {
        if (cognito.userPoolId === undefined) problems.push("auth.cognito.userPoolClientIds needs auth.cognito.userPoolId: the pool the clients belong to");
        const clientIds = cognito.userPoolClientIds ?? [];
        if (cognito.userPoolId !== undefined && clientIds.length === 0) {
            problems.push("auth.cognito.userPoolClientIds must name at least one app client with auth.cognito.userPoolId (the token audiences the API accepts)");
        }
        const id = cognito.userPoolId;
        if (typeof id === "string" && (id.length > 55 || !USER_POOL_ID_PATTERN.test(id))) {
            problems.push(`auth.cognito.userPoolId must be a Cognito user pool ID such as "eu-west-1_AbC123xyz", got "${id}"`);
        }
        const literalIds = clientIds.filter((c): c is string => typeof c === "string");
        for (const clientId of literalIds) {
            if (!CLIENT_ID_PATTERN.test(clientId)) problems.push(`auth.cognito.userPoolClientIds must hold app client IDs (1 to 128 letters, digits, _ or +), got "${clientId}"`);
        }
        const duplicates = [...new Set(literalIds.filter((c, i) => literalIds.indexOf(c) !== i))];
        if (duplicates.length > 0) problems.push(`auth.cognito.userPoolClientIds names ${duplicates.map((d) => `"${d}"`).join(", ")} more than once`);
        for (const arg of CREATE_ONLY_ARGS) {
            if (cognito[arg] !== undefined) {
                problems.push(`auth.cognito.userPoolId and auth.cognito.${arg} are mutually exclusive: ${arg} shapes a user pool the component creates`);
            }
        }
        if (problems.length > 0 || id === undefined) return { settings: undefined, problems };
        return { settings: { kind: "existing", userPoolId: id, userPoolClientIds: [...clientIds] }, problems };
    }

    const settings: NewPoolSettings = {
        kind: "create",
        passwordMinimumLength: cognito.passwordMinimumLength ?? AUTH_DEFAULTS.passwordMinimumLength,
        mfa: cognito.mfa ?? AUTH_DEFAULTS.mfa,
        selfSignUp: cognito.selfSignUp ?? AUTH_DEFAULTS.selfSignUp,
        accessTokenValidityMinutes: cognito.accessTokenValidityMinutes ?? AUTH_DEFAULTS.accessTokenValidityMinutes,
        refreshTokenValidityDays: cognito.refreshTokenValidityDays ?? AUTH_DEFAULTS.refreshTokenValidityDays,
        deletionProtection: cognito.deletionProtection ?? PRODUCTION_STACK_PATTERN.test(stackName),
    };
    const checks = [
        // Cognito accepts 6 to 99; below 8 is below NIST SP 800-63B's minimum for user-chosen passwords.
        integerProblem("auth.cognito.passwordMinimumLength", settings.passwordMinimumLength, 8, 99),
        // Cognito's limits for access and ID tokens: 5 minutes to 1 day.
        integerProblem("auth.cognito.accessTokenValidityMinutes", settings.accessTokenValidityMinutes, 5, 1440, " (Cognito's limits)"),
        // Cognito's limits for refresh tokens: 60 minutes to 10 years; whole days here.
        integerProblem("auth.cognito.refreshTokenValidityDays", settings.refreshTokenValidityDays, 1, 3650, " (Cognito's limits)"),
        MFA_MODES.includes(settings.mfa) ? undefined : `auth.cognito.mfa must be one of ${MFA_MODES.join(", ")}, got "${String(settings.mfa)}"`,
        typeof settings.selfSignUp === "boolean" ? undefined : `auth.cognito.selfSignUp must be true or false, got ${String(settings.selfSignUp)}`,
        typeof settings.deletionProtection === "boolean" ? undefined : `auth.cognito.deletionProtection must be true or false, got ${String(settings.deletionProtection)}`,
    ];
    problems.push(...checks.filter((p): p is string => p !== undefined));
    if (settings.refreshTokenValidityDays * 24 * 60 <= settings.accessTokenValidityMinutes) {
        problems.push(
            `auth.cognito.refreshTokenValidityDays (${settings.refreshTokenValidityDays}) must outlast auth.cognito.accessTokenValidityMinutes ` +
                `(${settings.accessTokenValidityMinutes}): Cognito refuses a refresh token that expires before the tokens it renews`,
        );
    }
    return problems.length > 0 ? { settings: undefined, problems } : { settings, problems };
}

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
    settings: AuthSettings,
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
