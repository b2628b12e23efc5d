/** EventBridge rules: targets keep what they cannot deliver, custom buses keep what they carried. */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { EVENTS_SETTINGS } from "../contract/options/events";
import { parsePolicyDocument, type Statement } from "./support/policy-document";
import { isUnknown, type UnknownValue } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { byArn, ofType, resolveReference } from "./support/stack-references";
import { quote, readProperty, validateStackWith, validateTypes } from "./support/validation";


/** EventBridge RetryPolicy bounds (PutTargets API reference). */
const MAX_RETRY_ATTEMPTS = EVENTS_SETTINGS.maximumRetryAttempts.max;
const EVENT_AGE_SECONDS = EVENTS_SETTINGS.maximumEventAgeSeconds;

function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** Every target sends what it cannot deliver to a dead-letter queue. */
export const eventBridgeTargetHasDeadLetterQueue: ResourceValidationPolicy = {
    name: "eventbridge-target-has-dead-letter-queue",
    description: "Checks that every EventBridge target has a dead-letter queue (deadLetterConfig.arn), so that an event it cannot deliver after its retries is kept rather than dropped.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["eventbridge", "reliability"],
    validateResource: validateTypes([AwsType.eventTarget], (args, report, undecided) => {
        const config = readProperty(args.props, "deadLetterConfig");
        if (isUnknown(config)) return undecided.note(config);
        const arn = config !== null && typeof config === "object" ? (config as { arn?: unknown }).arn : undefined;
        if (isUnknown(arn)) return undecided.note(arn);
        if (typeof arn === "string" && arn.startsWith("arn:")) return;
        report(
            `Give EventBridge target ${quote(args.name)} a dead-letter queue: set deadLetterConfig.arn to an SQS queue that EventBridge may send to; without one, an event that fails every retry is dropped.`,
        );
    }),
};

/** Every target states how long and how often EventBridge retries it. */
export const eventBridgeTargetHasRetryPolicy: ResourceValidationPolicy = {
    name: "eventbridge-target-has-retry-policy",
    description: `Checks that every EventBridge target sets a retry policy (maximumRetryAttempts 0-${MAX_RETRY_ATTEMPTS} and maximumEventAgeInSeconds ${EVENT_AGE_SECONDS.min}-${EVENT_AGE_SECONDS.max}), so that how long delivery is retried is a decision in code.`,
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["eventbridge", "reliability"],
    validateResource: validateTypes([AwsType.eventTarget], (args, report, undecided) => {
        const policy = readProperty(args.props, "retryPolicy");
        if (isUnknown(policy)) return undecided.note(policy);
        const where = `EventBridge target ${quote(args.name)}`;
        if (policy === null || typeof policy !== "object") {
            report(`Give ${where} a retry policy: set retryPolicy.maximumRetryAttempts (0-${MAX_RETRY_ATTEMPTS}) and retryPolicy.maximumEventAgeInSeconds (${EVENT_AGE_SECONDS.min}-${EVENT_AGE_SECONDS.max}).`);
            return;
        }
        const { maximumRetryAttempts: attempts, maximumEventAgeInSeconds: age } = policy as Record<string, unknown>;
        const checks: [string, unknown, number, number][] = [
            ["maximumRetryAttempts", attempts, 0, MAX_RETRY_ATTEMPTS],
            ["maximumEventAgeInSeconds", age, EVENT_AGE_SECONDS.min, EVENT_AGE_SECONDS.max],
        ];
        for (const [field, value, min, max] of checks) {
            if (isUnknown(value)) {
                undecided.note(value);
            } else if (!isSet(value)) {
                report(`Set retryPolicy.${field} of ${where} (${min}-${max}), so that how long delivery is retried is stated, not left to a default.`);
            } else if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
                report(`Set retryPolicy.${field} of ${where} to an integer from ${min} to ${max}, not ${JSON.stringify(value)}.`);
            }
        }
    }),
};

/** Whether a bus is a custom bus of this stack (not a partner event source bus). */
function isCustomBus(bus: PolicyResource): boolean {
    return !isSet(readProperty(bus.props, "eventSourceName"));
}

/** Every custom bus the stack creates is archived, so that its events can be replayed. */
export const eventBridgeBusArchived: StackValidationPolicy = {
    name: "eventbridge-bus-archived",
    description: "Checks that every custom EventBridge bus of the stack has an archive (an EventArchive whose eventSourceArn is the bus), so that events can be replayed after a consumer failed.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["eventbridge", "reliability"],
    validateStack: validateStackWith((args, report, undecided) => {
        const buses = ofType(args.resources, AwsType.eventBus).filter(isCustomBus);
        const archived = new Set<string>();
        for (const archive of ofType(args.resources, AwsType.eventArchive)) {
            const { value, targets } = resolveReference(archive, "eventSourceArn", buses, byArn);
            for (const bus of targets) archived.add(bus.urn);
            if (targets.length === 0 && isUnknown(value)) undecided.note(value);
        }
        if (undecided.any) return;
        for (const bus of buses) {
            if (archived.has(bus.urn)) continue;
            report(
                `Archive EventBridge bus ${quote(bus.name)}: add an EventArchive with eventSourceArn set to the bus ARN and a retentionDays, so that its events can be replayed to a consumer that missed them.`,
                bus.urn,
            );
        }
    }),
};

/**
 * The queues of the stack that EventBridge uses as dead-letter queues (named by a target's or a
 * bus's `deadLetterConfig.arn`). They are dead-letter queues although no SQS redrive policy names
 * them, which the SQS redrive rule can use to leave them alone.
 */
export function eventBridgeDeadLetterQueues(resources: readonly PolicyResource[]): PolicyResource[] {
    const queues = ofType(resources, AwsType.sqsQueue);
    const holders = [...ofType(resources, AwsType.eventTarget), ...ofType(resources, AwsType.eventBus)];
    const found = new Set<PolicyResource>();
    for (const holder of holders) {
        const { targets } = resolveReference(holder, "deadLetterConfig", queues, (value, queue) => byArn((value as { arn?: unknown } | undefined)?.arn, queue));
        for (const queue of targets) found.add(queue);
    }
    return [...found];
}

/** Condition keys that confine a statement open to "*" to one organization (cdk-nag EVB1's test). */
const ORGANIZATION_KEYS = ["aws:principalorgid", "aws:sourceorgid"];

/** Whether a bus policy statement lets every AWS account in (Principal "*" with no organization condition). */
function opensToEveryone(statement: Statement): boolean | UnknownValue {
    if (isUnknown(statement.effect)) return statement.effect;
    if (statement.effect !== "Allow" || !statement.principals) return false;
    const { principals } = statement;
    const everyone = principals.negated || principals.anyone || (principals.byKind.AWS ?? []).includes("*");
    if (!everyone) return principals.unknown ?? false;
    if (statement.conditions.entries.some((e) => ORGANIZATION_KEYS.includes(e.key.toLowerCase()))) return false;
    return statement.conditions.unknown ?? true;
}

/** No event bus is open to every AWS account. */
export const eventBridgeBusPolicyNotOpen: ResourceValidationPolicy = {
    name: "eventbridge-bus-policy-not-open",
    description: 'Checks that event bus policies and permissions do not let every AWS account ("*") put events or manage rules, unless confined to an organization (aws:PrincipalOrgID).',
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["eventbridge", "least-privilege"],
    validateResource: validateTypes([AwsType.eventBusPolicy, AwsType.eventPermission], (args, report, undecided) => {
        if (args.type === AwsType.eventPermission) {
            const principal = readProperty(args.props, "principal");
            const condition = readProperty(args.props, "condition");
            if (isUnknown(principal)) return undecided.note(principal);
            if (principal === "*" && (condition === undefined || condition === null)) {
                report(`Name the accounts event bus permission ${quote(args.name)} lets in instead of "*", or add a condition on aws:PrincipalOrgID.`);
            }
            return;
        }
        const document = parsePolicyDocument(readProperty(args.props, "policy"));
        if (document.unknown) undecided.note(document.unknown);
        for (const statement of document.statements) {
            const verdict = opensToEveryone(statement);
            if (isUnknown(verdict)) undecided.note(verdict);
            else if (verdict) {
                report(`Replace Principal "*" in ${statement.label} of event bus policy ${quote(args.name)} with the accounts or roles that may use the bus, or add a condition on aws:PrincipalOrgID.`);
            }
        }
    }),
};

/** The EventBridge rules, in the order the pack lists them. */
export const eventBridgePolicies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    eventBridgeTargetHasDeadLetterQueue,
    eventBridgeTargetHasRetryPolicy,
    eventBridgeBusArchived,
    eventBridgeBusPolicyNotOpen,
];
