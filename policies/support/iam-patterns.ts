/**
 * IAM matching rules: wildcards in actions and ARNs, what counts as "everything", and which AWS
 * managed policies grant broad rights.
 *
 * IAM User Guide: "IAM JSON policy elements: Action" (action names are case-insensitive, `*` and
 * `?` are wildcards) and "IAM JSON policy elements: Resource" (ARNs are case-sensitive).
 */
import type { ValueList } from "./policy-document";

/** Whether the IAM pattern (`*` = any run of characters, `?` = one character) matches `value`. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
    const source = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

/** Whether the `Action`/`NotAction` list grants `action` (e.g. `iam:PassRole`); ignores unknown parts. */
export function grantsAction(actions: ValueList, action: string): boolean {
    const listed = actions.values.some((pattern) => wildcardMatch(pattern, action, true));
    return actions.negated ? !listed : listed;
}

/** Whether the `Resource`/`NotResource` list covers `arn`; ignores unknown parts. */
export function coversResource(resources: ValueList, arn: string): boolean {
    const listed = resources.values.some((pattern) => wildcardMatch(pattern, arn, false));
    return resources.negated ? !listed : listed;
}

/**
 * Whether an action pattern grants a whole service or more: `*`, `sqs:*`, `*:*`, `s*:...`.
 * Partial wildcards within one service (`s3:Get*`) are not counted.
 */
export function isBroadAction(action: string): boolean {
    const colon = action.indexOf(":");
    if (colon < 0) return action.includes("*");
    return action.slice(0, colon).includes("*") || action.slice(colon + 1) === "*";
}

/** The parts of an ARN (`arn:partition:service:region:account:resource`), or undefined if it is not one. */
export function arnParts(arn: string): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return undefined;
    return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(":") };
}

/**
 * Whether a resource pattern covers every resource of a service or more: `*`, an ARN whose service
 * or whole resource part is a wildcard (`arn:aws:sqs:*:*:*`, `arn:aws:s3:::*`), or a truncated ARN
 * ending in `*` (`arn:aws:*`). Patterns scoped below the resource type (`log-group:/aws/lambda/x:*`)
 * are not counted.
 */
export function isBroadResource(resource: string): boolean {
    if (resource === "*") return true;
    const parts = arnParts(resource);
    if (!parts) return resource.startsWith("arn:") && resource.endsWith("*");
    return parts.service.includes("*") || parts.resource === "*";
}

/** Whether an ARN pattern covers every IAM role of an account: `arn:aws:iam::<account>:role/*`. */
export function isAllRolesPattern(resource: string): boolean {
    const parts = arnParts(resource);
    return parts !== undefined && parts.service === "iam" && /^role\/\*$/.test(parts.resource);
}

/**
 * Whether an ARN names one SES identity (an address or a domain) with no wildcard:
 * `arn:<partition>:ses:<region>:<account>:identity/<identity>` (SES Developer Guide, "Amazon SES
 * resource types for IAM").
 */
export function isSesIdentityArn(resource: string): boolean {
    const parts = arnParts(resource);
    return (
        parts !== undefined &&
        parts.service === "ses" &&
        /^identity\/[^*?]+$/.test(parts.resource) &&
        /^\d{12}$/.test(parts.account) &&
        !parts.region.includes("*")
    );
}

/**
 * Whether an ARN names one SES configuration set with no wildcard:
 * `arn:<partition>:ses:<region>:<account>:configuration-set/<name>`. SES v2 authorizes SendEmail
 * against the configuration set an email names as well as against its identity.
 */
export function isSesConfigurationSetArn(resource: string): boolean {
    const parts = arnParts(resource);
    return (
        parts !== undefined &&
        parts.service === "ses" &&
        /^configuration-set\/[^*?]+$/.test(parts.resource) &&
        /^\d{12}$/.test(parts.account) &&
        !parts.region.includes("*")
    );
}

/**
 * Whether a managed policy ARN names an AWS managed policy with broad rights: AdministratorAccess
 * (and its variants), PowerUserAccess, or any `*FullAccess*` policy (AWS managed policies live
 * under account `aws`: `arn:aws:iam::aws:policy/<path/>name`).
 */
export function isBroadManagedPolicy(arn: string): boolean {
    const match = /^arn:[\w-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!match) return false;
    const name = match[1];
    return name.startsWith("AdministratorAccess") || name === "PowerUserAccess" || name.includes("FullAccess");
}
