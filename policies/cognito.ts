/** Cognito user pool rules: a strong password policy (cdk-nag COG1) and a second factor (COG2). */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { quote, readProperty, validateTypes } from "./support/validation";

/** The shortest password the rule accepts (NIST SP 800-63B's minimum for user-chosen passwords; cdk-nag COG1's). */
export const MIN_PASSWORD_LENGTH = 8;

/** Passwords are long and mix character classes. */
export const cognitoUserPoolPasswordPolicy: ResourceValidationPolicy = {
    name: "cognito-user-pool-password-policy",
    description: `Checks that Cognito user pools require passwords of at least ${MIN_PASSWORD_LENGTH} characters with upper and lower case letters, numbers and symbols.`,
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["cognito", "authentication"],
    validateResource: validateTypes([AwsType.cognitoUserPool], (args, report, undecided) => {
        const policy = readProperty(args.props, "passwordPolicy");
        if (isUnknown(policy)) return undecided.note(policy);
        const value = (key: string): unknown => (policy !== null && typeof policy === "object" ? (policy as Record<string, unknown>)[key] : undefined);
        const problems: string[] = [];
        const length = value("minimumLength");
        if (isUnknown(length)) undecided.note(length);
        // Cognito's default minimum is 8 when no policy is set.
        else if (typeof length === "number" && length < MIN_PASSWORD_LENGTH) problems.push(`minimumLength to at least ${MIN_PASSWORD_LENGTH}`);
        for (const key of ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"]) {
            const required = value(key);
            if (isUnknown(required)) undecided.note(required);
            else if (required !== true) problems.push(`${key} to true`);
        }
        if (problems.length > 0) report(`Strengthen the password policy of Cognito user pool ${quote(args.name)}: set passwordPolicy.${problems.join(", passwordPolicy.")}.`);
    }),
};

/** Users can add a second factor; advisory, and MFA "OPTIONAL" passes: requiring it of every shopper is the owner's call. */
export const cognitoUserPoolMfa: ResourceValidationPolicy = {
    name: "cognito-user-pool-mfa",
    description: 'Checks that Cognito user pools offer multi-factor authentication (mfaConfiguration "ON", or "OPTIONAL" unless requireMfa is set).',
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["cognito", "authentication"],
    configSchema: {
        properties: {
            requireMfa: { type: "boolean", default: false, description: 'Accept only mfaConfiguration "ON" (cdk-nag COG2), not "OPTIONAL".' },
        },
    },
    validateResource: validateTypes([AwsType.cognitoUserPool], (args, report, undecided) => {
        const mode = readProperty(args.props, "mfaConfiguration");
        if (isUnknown(mode)) return undecided.note(mode);
        const requireMfa = args.getConfig<{ requireMfa?: boolean }>().requireMfa === true;
        const accepted = requireMfa ? ["ON"] : ["ON", "OPTIONAL"];
        if (!accepted.includes(String(mode ?? "OFF"))) {
            report(`Turn on multi-factor authentication for Cognito user pool ${quote(args.name)}: set mfaConfiguration to ${accepted.map((m) => `"${m}"`).join(" or ")} with a second factor (softwareTokenMfaConfiguration).`);
        }
    }),
};

/** The Cognito rules. */
export const cognitoPolicies: readonly ResourceValidationPolicy[] = [cognitoUserPoolPasswordPolicy, cognitoUserPoolMfa];
