/**
 * The `auth` option's arguments: their types, defaults and resolution. Pure: the user pool and the
 * authorizer are made by `components/auth.ts`.
 */
import { isProductionStack, type NumberSetting } from "../defaults";
import { isKnownString, type Deferred } from "../deferred";
import type { Array as List } from "../list";
import { integerRange, Problems } from "../problems";

/**
 * Cognito's MFA settings: `OPTIONAL` lets each user turn MFA on, `ON` requires it of everyone.
 * (An object `as const` beside the type of its values: Pulumi's schema inference turns this pattern
 * into an enum for the other languages.)
 */
export const MfaMode = {
    /** No second factor. */
    OFF: "OFF",
    /** Each user may enrol an authenticator app (TOTP). */
    OPTIONAL: "OPTIONAL",
    /** Every user must enrol an authenticator app (TOTP). */
    ON: "ON",
} as const;

/** One of {@link MfaMode}'s values: `"OFF"`, `"OPTIONAL"` or `"ON"`. */
export type MfaMode = (typeof MfaMode)[keyof typeof MfaMode];

/** Every {@link MfaMode}, for validation. */
export const MFA_MODES: readonly MfaMode[] = Object.values(MfaMode);

/** The number settings of a user pool the component creates, with their defaults and ranges. */
export const AUTH_SETTINGS = {
    /**
     * Characters; above Cognito's default of 8, in line with NIST SP 800-63B's advice for longer
     * passwords. Cognito accepts 6 to 99; below 8 is below NIST's minimum for user-chosen passwords.
     */
    passwordMinimumLength: { default: 12, ...integerRange(8, 99) },
    /** Access and ID tokens live one hour (Cognito's default); Cognito's limits are 5 minutes to 1 day. */
    accessTokenValidityMinutes: { default: 60, ...integerRange(5, 1440, " (Cognito's limits)") },
    /** Refresh tokens live 30 days (Cognito's default); Cognito's limits are 60 minutes to 10 years, whole days here. */
    refreshTokenValidityDays: { default: 30, ...integerRange(1, 3650, " (Cognito's limits)") },
} as const satisfies Record<string, NumberSetting>;

/** Defaults of a user pool the component creates. */
export const AUTH_DEFAULTS = {
    passwordMinimumLength: AUTH_SETTINGS.passwordMinimumLength.default,
    /** Users may enrol an authenticator app (TOTP). */
    mfa: "OPTIONAL" as MfaMode,
    /** Only an administrator creates users. */
    selfSignUp: false,
    accessTokenValidityMinutes: AUTH_SETTINGS.accessTokenValidityMinutes.default,
    refreshTokenValidityDays: AUTH_SETTINGS.refreshTokenValidityDays.default,
} as const;

/**
 * Sign-in with an Amazon Cognito user pool. Give `userPoolId` and `userPoolClientIds` to use an
 * existing pool; otherwise the component creates a pool and an app client, and the other fields
 * shape them.
 */
export interface CognitoArgs<S = Deferred<string>> {
    /** ID of an existing user pool, e.g. `eu-west-1_AbC123xyz`. Defaults to none: a pool is created. */
    readonly userPoolId?: S;
    /** IDs of the existing pool's app clients whose tokens the API accepts. Required with `userPoolId`. */
    readonly userPoolClientIds?: List<S>;
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

/** Sign-in for the API: a JWT authorizer on the order routes. `Cognito` lets a caller name its own type for it. */
export interface AuthArgs<S = Deferred<string>, Cognito = CognitoArgs<S>> {
    /** The Cognito user pool that issues the tokens. Required. */
    readonly cognito: Cognito;
}

/** Sign-in with a pool that already exists. */
export interface ExistingPoolSettings<S = Deferred<string>> {
    readonly kind: "existing";
    readonly userPoolId: S;
    readonly userPoolClientIds: readonly S[];
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
export type AuthSettings<S = Deferred<string>> = ExistingPoolSettings<S> | NewPoolSettings;

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

/**
 * Applies the defaults of {@link AuthArgs} and validates them. Returns every problem found, each
 * naming its argument (`auth.cognito.<field>`), instead of throwing; `settings` is undefined when
 * there are problems. `stackName` decides the default deletion protection.
 */
export function resolveAuthArgs<S>(args: AuthArgs<S>, stackName: string): { settings: AuthSettings<S> | undefined; problems: string[] } {
    const problems: string[] = [];
    const cognito = args.cognito as CognitoArgs<S> | undefined;
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
        const literalIds = (clientIds as readonly unknown[]).filter(isKnownString);
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
        deletionProtection: cognito.deletionProtection ?? isProductionStack(stackName),
    };
    const checks = new Problems();
    for (const arg of ["passwordMinimumLength", "accessTokenValidityMinutes", "refreshTokenValidityDays"] as const) {
        checks.range(`auth.cognito.${arg}`, settings[arg], AUTH_SETTINGS[arg]);
    }
    checks.oneOf("auth.cognito.mfa", settings.mfa, MFA_MODES);
    checks.boolean("auth.cognito.selfSignUp", settings.selfSignUp);
    checks.boolean("auth.cognito.deletionProtection", settings.deletionProtection);
    problems.push(...checks.list);
    if (settings.refreshTokenValidityDays * 24 * 60 <= settings.accessTokenValidityMinutes) {
        problems.push(
            `auth.cognito.refreshTokenValidityDays (${settings.refreshTokenValidityDays}) must outlast auth.cognito.accessTokenValidityMinutes ` +
                `(${settings.accessTokenValidityMinutes}): Cognito refuses a refresh token that expires before the tokens it renews`,
        );
    }
    return problems.length > 0 ? { settings: undefined, problems } : { settings, problems };
}
