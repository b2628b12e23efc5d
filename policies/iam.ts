/**
 * Least-privilege rules on IAM: the actions and resources identity policies grant, the managed
 * policies attached, who may assume a Lambda execution role, how email sending and role passing
 * are scoped. Every rule here is mandatory by default.
 */
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import {
    grantsAction,
    isAllRolesPattern,
    isBroadAction,
    isBroadManagedPolicy,
    isBroadResource,
    isSesConfigurationSetArn,
    isSesIdentityArn,
} from "./support/iam-patterns";
import { LOG_DELIVERY_ACTIONS } from "../components/workflows/workflow-defaults";
import MULTIVALUED_CONDITION_KEYS from "./support/multivalued-condition-keys.json";
import { parsePolicyDocument, type PolicyDocument, type Statement } from "./support/policy-document";
import { isUnknown, type Undecided } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { quote, quoteAll, readProperty, stringListConfig, stringListSchema, validateTypes } from "./support/validation";

/**
 * Actions AWS authorizes only against `"*"`: they have no resource type in the Service
 * Authorization Reference, so a statement granting them cannot name an ARN. X-Ray's write and
 * sampling actions (what active tracing needs), CloudWatch's PutMetricData, and the CloudWatch Logs
 * delivery actions a Step Functions role needs to log to a log group (the Step Functions developer
 * guide, "IAM policies for logging to CloudWatch Logs", grants them on "*").
 */
export const DEFAULT_WILDCARD_RESOURCE_ACTIONS: readonly string[] = [
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    "cloudwatch:PutMetricData",
    ...LOG_DELIVERY_ACTIONS,
];

/** The service principals a Lambda execution role may trust by default. */
export const DEFAULT_LAMBDA_TRUSTED_SERVICES: readonly string[] = ["lambda.amazonaws.com"];

/** A policy document and how messages name where it lives. */
interface LocatedDocument {
    /** E.g. `role policy "orders-submit-policy"`, `inline policy "logs" of IAM role "orders-role"`. */
    readonly where: string;
    readonly document: PolicyDocument;
}

/** Resource types whose `policy` property is an identity policy document, with their message noun. */
const POLICY_HOLDERS = [
    [AwsType.iamPolicy, "IAM policy"],
    [AwsType.iamRolePolicy, "role policy"],
    [AwsType.iamUserPolicy, "user policy"],
    [AwsType.iamGroupPolicy, "group policy"],
] as const;

/** Every resource type that carries an identity policy document. */
const IDENTITY_POLICY_TYPES = [...POLICY_HOLDERS.map(([type]) => type), AwsType.iamRole];

/** The identity policy documents of a resource: its `policy`, or a role's inline policies. */
function identityDocuments(args: ResourceValidationArgs, undecided: Undecided): LocatedDocument[] {
    const holder = POLICY_HOLDERS.find(([type]) => type === args.type);
    if (holder) return [{ where: `${holder[1]} ${quote(args.name)}`, document: parsePolicyDocument(readProperty(args.props, "policy")) }];
    const inline = readProperty(args.props, "inlinePolicies");
    if (isUnknown(inline)) {
        undecided.note(inline);
        return [];
    }
    if (!Array.isArray(inline)) return [];
    const documents: LocatedDocument[] = [];
    for (const [index, entry] of inline.entries()) {
        if (isUnknown(entry)) {
            undecided.note(entry);
            continue;
        }
        const name = typeof entry?.name === "string" ? quote(entry.name) : `#${index + 1}`;
        // An inline policy entry with no document is how a role declares "no inline policies".
        if (entry?.policy === undefined || entry.policy === "") continue;
        documents.push({ where: `inline policy ${name} of IAM role ${quote(args.name)}`, document: parsePolicyDocument(entry.policy) });
    }
    return documents;
}

/**
 * Calls `visit` for every statement that allows (or, its Effect being unknown, may allow)
 * something. `flag` reports a violation for a statement that certainly allows, and leaves the
 * verdict open for one whose Effect is unknown. Invalid documents are reported; unknown parts of a
 * document are noted.
 */
function forEachAllow(
    documents: readonly LocatedDocument[],
    report: ReportViolation,
    undecided: Undecided,
    visit: (statement: Statement, where: string, flag: (message: string) => void) => void,
): void {
    for (const { where, document } of documents) {
        if (document.problem) report(`Fix the policy document of ${where}: ${document.problem}.`);
        for (const statement of document.statements) {
            const effect = statement.effect;
            if (effect === "Deny") continue;
            visit(statement, where, (message) => (isUnknown(effect) ? undecided.note(effect) : report(message)));
        }
        if (document.unknown) undecided.note(document.unknown);
    }
}

const IAM_TAGS = ["iam", "least-privilege"];

/** No `*` or `service:*` action, and no `NotAction`, in an Allow statement. */
export const iamNoWildcardActions: ResourceValidationPolicy = {
    name: "iam-no-wildcard-actions",
    description: 'Checks that IAM policies allow named actions only: no "*" or "service:*" action and no NotAction.',
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: IAM_TAGS,
    validateResource: validateTypes(IDENTITY_POLICY_TYPES, (args, report, undecided) => {
        forEachAllow(identityDocuments(args, undecided), report, undecided, (statement, where, flag) => {
            const { actions } = statement;
            if (actions.negated) {
                flag(`Replace NotAction in ${statement.label} of ${where} with an Action list of the exact actions it needs: an Allow with NotAction grants every other action.`);
                return;
            }
            const broad = actions.values.filter(isBroadAction);
            if (broad.length > 0) {
                flag(`Replace the wildcard action ${quoteAll(broad)} in ${statement.label} of ${where} with the exact actions it needs.`);
            } else if (actions.unknown) {
                undecided.note(actions.unknown);
            }
        });
    }),
};

/** No `*` resource (or `NotResource`), except for actions AWS accepts only on `*`. */
export const iamNoWildcardResources: ResourceValidationPolicy = {
    name: "iam-no-wildcard-resources",
    description:
        'Checks that IAM policies allow actions on named resources only: no "*" resource and no NotResource, except for actions AWS accepts only on "*" (a configurable allow-list).',
    enforcementLevel: "mandatory",
    severity: "high",
    tags: IAM_TAGS,
    configSchema: stringListSchema(
        "allowedWildcardResourceActions",
        'Actions that may be granted on "*" because AWS authorizes them on no other resource.',
        DEFAULT_WILDCARD_RESOURCE_ACTIONS,
    ),
    validateResource: validateTypes(IDENTITY_POLICY_TYPES, (args, report, undecided) => {
        const allowList = stringListConfig(
            args,
            "iam-no-wildcard-resources",
            "allowedWildcardResourceActions",
            DEFAULT_WILDCARD_RESOURCE_ACTIONS,
        ).map((action) => action.toLowerCase());
        forEachAllow(identityDocuments(args, undecided), report, undecided, (statement, where, flag) => {
            const { actions, resources } = statement;
            if (!resources) return;
            if (resources.negated) {
                flag(`Replace NotResource in ${statement.label} of ${where} with a Resource list of the exact ARNs it needs: an Allow with NotResource applies to every other resource.`);
                return;
            }
            const broad = resources.values.filter(isBroadResource);
            if (broad.length === 0) {
                if (resources.unknown) undecided.note(resources.unknown);
                return;
            }
            const scope = `Scope ${statement.label} of ${where} to the exact resource ARNs it needs instead of ${quoteAll(broad)}`;
            if (actions.negated) {
                flag(`${scope}: with NotAction it grants actions that accept resource-level permissions.`);
                return;
            }
            const notAllowed = actions.values.filter((action) => !allowList.includes(action.toLowerCase()));
            if (notAllowed.length > 0) {
                flag(
                    `${scope}: ${notAllowed.join(", ")} accept${notAllowed.length === 1 ? "s" : ""} resource-level permissions ` +
                        `(only actions on the allow-list, which AWS authorizes solely on "*", may use it).`,
                );
            } else if (actions.unknown) {
                undecided.note(actions.unknown);
            }
        });
    }),
};

/** Where a resource lists managed policy ARNs, by type: the property and the message noun. */
const MANAGED_POLICY_HOLDERS = [
    [AwsType.iamRole, "managedPolicyArns", "IAM role"],
    [AwsType.iamPolicyAttachment, "policyArn", "policy attachment"],
    [AwsType.iamRolePolicyAttachment, "policyArn", "role policy attachment"],
    [AwsType.iamUserPolicyAttachment, "policyArn", "user policy attachment"],
    [AwsType.iamGroupPolicyAttachment, "policyArn", "group policy attachment"],
    [AwsType.iamRolePolicyAttachmentsExclusive, "policyArns", "role policy attachments"],
    [AwsType.iamUserPolicyAttachmentsExclusive, "policyArns", "user policy attachments"],
    [AwsType.iamGroupPolicyAttachmentsExclusive, "policyArns", "group policy attachments"],
] as const;

/**
 * Validates every AWS managed policy ARN a role, user, group or attachment names: `message` says
 * what to do about an ARN `matches` refuses, given the ARN, the holder's noun and its name.
 */
function validateManagedPolicyArns(matches: (arn: string) => boolean, message: (arn: string, noun: string, name: string) => string): ResourceValidationPolicy["validateResource"] {
    return validateTypes(
        MANAGED_POLICY_HOLDERS.map(([type]) => type),
        (args, report, undecided) => {
            const [, property, noun] = MANAGED_POLICY_HOLDERS.find(([type]) => type === args.type)!;
            const value = readProperty(args.props, property);
            for (const arn of Array.isArray(value) ? value : [value]) {
                if (isUnknown(arn)) undecided.note(arn);
                else if (typeof arn === "string" && matches(arn)) report(message(arn, noun, args.name));
            }
        },
    );
}

/** No AdministratorAccess, PowerUserAccess or `*FullAccess` AWS managed policy. */
export const iamNoBroadManagedPolicies: ResourceValidationPolicy = {
    name: "iam-no-broad-managed-policies",
    description: "Checks that no AWS managed policy with broad rights (AdministratorAccess, PowerUserAccess, any *FullAccess) is attached.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: IAM_TAGS,
    validateResource: validateManagedPolicyArns(
        isBroadManagedPolicy,
        (arn, noun, name) =>
            `Detach the AWS managed policy ${quote(arn)} from ${noun} ${quote(name)}; grant the exact actions on the exact resources in an inline or customer managed policy instead.`,
    ),
};

/** Whether a principal set names the service (service principals are case-insensitive). */
function namesService(services: readonly string[], service: string): boolean {
    return services.some((s) => s.toLowerCase() === service);
}

/** A role that Lambda can assume must be assumable by nothing else. */
export const iamLambdaTrustsOnlyLambda: ResourceValidationPolicy = {
    name: "iam-lambda-trusts-only-lambda",
    description: "Checks that an IAM role Lambda can assume trusts only the Lambda service (lambda.amazonaws.com), no other principal.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: IAM_TAGS,
    configSchema: stringListSchema(
        "allowedServicePrincipals",
        "Service principals a Lambda execution role may trust (add edgelambda.amazonaws.com for Lambda@Edge).",
        DEFAULT_LAMBDA_TRUSTED_SERVICES,
    ),
    validateResource: validateTypes([AwsType.iamRole], (args, report, undecided) => {
        const allowed = stringListConfig(
            args,
            "iam-lambda-trusts-only-lambda",
            "allowedServicePrincipals",
            DEFAULT_LAMBDA_TRUSTED_SERVICES,
        ).map((s) => s.toLowerCase());
        const document = parsePolicyDocument(readProperty(args.props, "assumeRolePolicy"));
        const where = `the trust policy of IAM role ${quote(args.name)}`;
        const isLambdaRole = document.statements.some(
            (s) => s.effect !== "Deny" && s.principals && !s.principals.negated && namesService(s.principals.byKind.Service ?? [], "lambda.amazonaws.com"),
        );
        if (!isLambdaRole) {
            // Unknown parts might name Lambda; a role that certainly does not is not this rule's concern.
            if (document.unknown) undecided.note(document.unknown);
            for (const s of document.statements) if (s.principals?.unknown) undecided.note(s.principals.unknown);
            return;
        }
        const documents = [{ where, document }];
        forEachAllow(documents, report, undecided, (statement, _where, flag) => {
            const principals = statement.principals;
            if (!principals) return;
            if (principals.negated) {
                flag(`Replace NotPrincipal in ${statement.label} of ${where} with Principal { "Service": "lambda.amazonaws.com" }: NotPrincipal trusts every other principal.`);
                return;
            }
            if (principals.anyone) {
                flag(`Remove the principal "*" from ${statement.label} of ${where}: only lambda.amazonaws.com may assume a Lambda execution role.`);
                return;
            }
            const others = Object.entries(principals.byKind).flatMap(([kind, values]) =>
                kind === "Service" ? values.filter((v) => !allowed.includes(v.toLowerCase())) : values.map((v) => `${kind} ${v}`),
            );
            if (others.length > 0) {
                flag(`Remove the principal${others.length === 1 ? "" : "s"} ${quoteAll(others)} from ${statement.label} of ${where}: only lambda.amazonaws.com may assume a Lambda execution role.`);
            } else if (principals.unknown) {
                undecided.note(principals.unknown);
            }
        });
    }),
};

/** The SES actions that send email as an identity. */
const SES_SEND_ACTIONS = ["ses:SendEmail", "ses:SendRawEmail"];

/** Condition operators that restrict a key to listed values (IAM "Condition operators"). */
const RESTRICTING_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike"]);

/** Whether a statement's conditions pin `ses:FromAddress` to named addresses. */
function pinsFromAddress(statement: Statement): boolean {
    return statement.conditions.entries.some((entry) => {
        const operator = entry.operator
            .replace(/^(ForAllValues|ForAnyValue):/i, "")
            .replace(/IfExists$/i, "")
            .toLowerCase();
        return (
            entry.key.toLowerCase() === "ses:fromaddress" &&
            RESTRICTING_OPERATORS.has(operator) &&
            entry.values.length > 0 &&
            !entry.values.includes("*")
        );
    });
}

/** `ses:SendEmail` only on identity ARNs and only with an `ses:FromAddress` condition. */
export const iamSesSendScoped: ResourceValidationPolicy = {
    name: "iam-ses-send-scoped",
    description: "Checks that ses:SendEmail and ses:SendRawEmail are allowed only on SES identity (or configuration set) ARNs and only with an ses:FromAddress condition.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: [...IAM_TAGS, "ses"],
    validateResource: validateTypes(IDENTITY_POLICY_TYPES, (args, report, undecided) => {
        forEachAllow(identityDocuments(args, undecided), report, undecided, (statement, where, flag) => {
            const { actions, resources } = statement;
            const sends = SES_SEND_ACTIONS.filter((action) => grantsAction(actions, action));
            if (sends.length === 0) {
                if (actions.unknown) undecided.note(actions.unknown);
                return;
            }
            const granted = sends.join(" and ");
            if (resources?.negated) {
                flag(`Replace NotResource in ${statement.label} of ${where} with the ARN of the SES identity that ${granted} may use.`);
            } else if (resources) {
                const others = resources.values.filter((r) => !isSesIdentityArn(r) && !isSesConfigurationSetArn(r));
                if (others.length > 0) {
                    flag(`Scope ${granted} in ${statement.label} of ${where} to SES identity ARNs (arn:aws:ses:<region>:<account>:identity/<address or domain>) instead of ${quoteAll(others)}.`);
                } else if (resources.unknown) {
                    undecided.note(resources.unknown);
                }
            }
            if (!pinsFromAddress(statement)) {
                if (statement.conditions.unknown) undecided.note(statement.conditions.unknown);
                else flag(`Add a condition on ses:FromAddress (e.g. StringEquals) to ${statement.label} of ${where}, so that ${granted} may send only as the intended sender address.`);
            }
        });
    }),
};

/** No `iam:PassRole` on every role. */
export const iamNoPassRoleOnWildcard: ResourceValidationPolicy = {
    name: "iam-no-pass-role-on-wildcard",
    description: 'Checks that iam:PassRole is allowed only on named roles, never on "*" or every role of an account.',
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: IAM_TAGS,
    validateResource: validateTypes(IDENTITY_POLICY_TYPES, (args, report, undecided) => {
        forEachAllow(identityDocuments(args, undecided), report, undecided, (statement, where, flag) => {
            const { actions, resources } = statement;
            if (!resources) return;
            if (!grantsAction(actions, "iam:PassRole")) {
                if (actions.unknown) undecided.note(actions.unknown);
                return;
            }
            if (resources.negated) {
                flag(`Replace NotResource in ${statement.label} of ${where} with the ARNs of the roles that iam:PassRole may pass.`);
                return;
            }
            const broad = resources.values.filter((r) => isBroadResource(r) || isAllRolesPattern(r));
            if (broad.length > 0) {
                flag(`Scope iam:PassRole in ${statement.label} of ${where} to the ARNs of the roles it must pass instead of ${quoteAll(broad)}.`);
            } else if (resources.unknown) {
                undecided.note(resources.unknown);
            }
        });
    }),
};

/** An AWS managed policy ARN: `arn:<partition>:iam::aws:policy/...`. */
function isAwsManagedPolicy(arn: string): boolean {
    return /^arn:[a-z-]+:iam::aws:policy\//.test(arn);
}

/** No AWS managed policy at all (cdk-nag IAM4): they grant more than one function needs and change without notice. */
export const iamNoAwsManagedPolicies: ResourceValidationPolicy = {
    name: "iam-no-aws-managed-policies",
    description: "Checks that no AWS managed policy is attached to a role, user or group: their scope is AWS's, not the workload's.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: IAM_TAGS,
    validateResource: validateManagedPolicyArns(
        isAwsManagedPolicy,
        (arn, noun, name) =>
            `Replace the AWS managed policy ${quote(arn)} on ${noun} ${quote(name)} with an inline or customer managed policy that grants the exact actions on the exact resources the workload uses.`,
    ),
};

/** Resource policies (who may use a resource), with their message noun: also read by the condition-operator rule. */
const RESOURCE_POLICY_HOLDERS = [
    [AwsType.sqsQueuePolicy, "queue policy"],
    [AwsType.sqsQueue, "inline policy of SQS queue"],
    [AwsType.snsTopicPolicy, "topic policy"],
    [AwsType.snsTopic, "inline policy of SNS topic"],
    [AwsType.eventBusPolicy, "event bus policy"],
    [AwsType.kmsKey, "key policy of KMS key"],
] as const;

/** Multivalued condition keys (Service Authorization Reference types `ArrayOf...`), as patterns: `${...}` parts match any text. */
const MULTIVALUED_KEY_PATTERNS: readonly RegExp[] = (MULTIVALUED_CONDITION_KEYS as readonly string[]).map(
    (key) => new RegExp(`^${key.split(/\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\/]/g, "\\$&")).join(".+")}$`, "i"),
);

/** Whether a condition key is multivalued: a request may carry several values for it. */
export function isMultivaluedConditionKey(key: string): boolean {
    return MULTIVALUED_KEY_PATTERNS.some((pattern) => pattern.test(key));
}

/**
 * A multivalued key (a request carries a list: `events:source` has one value per PutEvents entry,
 * `aws:TagKeys` one per tag) needs a set operator. A single-valued operator such as StringEquals on
 * it does not compare "each value": IAM's guidance asks for ForAllValues or ForAnyValue, and the
 * evaluation of the plain form is not what it reads like (an Allow that never matches, or a Deny
 * that never applies).
 */
export const iamConditionSetOperators: ResourceValidationPolicy = {
    name: "iam-condition-set-operators",
    description: "Checks that every condition on a multivalued key (ArrayOf... in the Service Authorization Reference, e.g. events:source, aws:TagKeys) uses a set operator, ForAllValues or ForAnyValue.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: IAM_TAGS,
    validateResource: validateTypes([...IDENTITY_POLICY_TYPES, ...RESOURCE_POLICY_HOLDERS.map(([type]) => type)], (args, report, undecided) => {
        const holder = RESOURCE_POLICY_HOLDERS.find(([type]) => type === args.type);
        let documents: LocatedDocument[];
        if (holder) {
            const policy = readProperty(args.props, "policy");
            if (policy === undefined || policy === "") return;
            documents = [{ where: `${holder[1]} ${quote(args.name)}`, document: parsePolicyDocument(policy) }];
        } else {
            documents = identityDocuments(args, undecided);
        }
        for (const { where, document } of documents) {
            if (document.unknown) undecided.note(document.unknown);
            for (const statement of document.statements) {
                if (statement.conditions.unknown) undecided.note(statement.conditions.unknown);
                for (const { operator, key } of statement.conditions.entries) {
                    if (/^(ForAllValues|ForAnyValue):/i.test(operator) || /^Null$/i.test(operator) || !isMultivaluedConditionKey(key)) continue;
                    report(
                        `Use a set operator for ${key} in ${statement.label} of ${where}: it is a multivalued key, so "${operator}" does not compare each of its values. ` +
                            `Write "ForAllValues:${operator}" (every value must match; add "Null": {"${key}": "false"} so that a request without the key does not match) or "ForAnyValue:${operator}".`,
                    );
                }
            }
        }
    }),
};

/** The IAM rules, in the order the pack lists them. */
export const iamPolicies: readonly ResourceValidationPolicy[] = [
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamNoBroadManagedPolicies,
    iamNoAwsManagedPolicies,
    iamLambdaTrustsOnlyLambda,
    iamSesSendScoped,
    iamNoPassRoleOnWildcard,
    iamConditionSetOperators,
];
