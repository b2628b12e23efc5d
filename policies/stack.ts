/**
 * Stack rules: the safety properties that only show when resources are related to each other,
 * judged on the resolved outputs the engine passes after a preview or an update.
 */
import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { minVisibilityTimeoutSeconds } from "../components/defaults";
import { arnParts, coversResource } from "./support/iam-patterns";
import { parseJsonObject } from "./support/json-object";
import { parsePolicyDocument, type PolicyDocument, type Statement } from "./support/policy-document";
import { isUnknown, type Undecided, type UnknownValue } from "./support/preview-values";
import { eventBridgeDeadLetterQueues } from "./eventbridge";
import { AwsType } from "./support/resource-types";
import {
    byArn,
    byFunctionReference,
    byQueueUrl,
    containsUnknown,
    firstUnknown,
    knownString,
    ofType,
    resolveReference,
} from "./support/stack-references";
import { quote, quoteAll, readProperty, validateStackWith } from "./support/validation";

/** AWS defaults for settings a resource may leave unset. */
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3; // Lambda "Configure function timeout"
const SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30; // SQS CreateQueue, VisibilityTimeout
const SQS_DEFAULT_BATCHING_WINDOW_SECONDS = 0; // Lambda CreateEventSourceMapping, MaximumBatchingWindowInSeconds

/** A number setting of a resource, its AWS default when unset, or the unknown marker. */
function numberOrDefault(resource: PolicyResource, property: string, fallback: number): number | UnknownValue {
    const value = readProperty(resource.props, property);
    if (isUnknown(value)) return value;
    return typeof value === "number" ? value : fallback;
}

/** Whether a property value is set: present and not an empty string (unknown counts as set). */
function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** No two Lambda functions share an execution role. */
export const lambdaNoSharedRoles: StackValidationPolicy = {
    name: "lambda-no-shared-roles",
    description: "Checks that every Lambda function has an execution role of its own, so that no function holds another's permissions.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["lambda", "iam", "least-privilege"],
    validateStack: validateStackWith((args, report, undecided) => {
        const roles = ofType(args.resources, AwsType.iamRole);
        const byRole = new Map<string, { label: string; urn: string; functions: string[] }>();
        for (const fn of ofType(args.resources, AwsType.lambdaFunction)) {
            const { value, targets } = resolveReference(fn, "role", roles, byArn);
            let key: string;
            let label: string;
            let urn: string;
            if (targets.length === 1) {
                [key, label, urn] = [targets[0].urn, `IAM role ${quote(targets[0].name)}`, targets[0].urn];
            } else if (typeof value === "string" && value !== "") {
                [key, label, urn] = [value, `role ${quote(value)}`, fn.urn];
            } else {
                if (isUnknown(value)) undecided.note(value);
                continue;
            }
            const entry = byRole.get(key) ?? { label, urn, functions: [] };
            entry.functions.push(fn.name);
            byRole.set(key, entry);
        }
        for (const { label, urn, functions } of byRole.values()) {
            if (functions.length < 2) continue;
            report(
                `Give each Lambda function its own execution role: ${quoteAll(functions)} share ${label}, so each holds the others' permissions.`,
                urn,
            );
        }
    }),
};

/** An SQS event source mapping, with the queue and the function it connects when both are in the stack. */
interface SqsMapping {
    readonly mapping: PolicyResource;
    /** The queue, or undefined when it is not a resource of this stack. */
    readonly queue: PolicyResource | undefined;
}

/**
 * The event source mappings whose source is an SQS queue: one of this stack's queues (by ARN or
 * dependency), or any ARN of the `sqs` service. Mappings whose source is unknown are noted.
 */
function sqsMappings(resources: readonly PolicyResource[], undecided: Undecided): SqsMapping[] {
    const queues = ofType(resources, AwsType.sqsQueue);
    const mappings: SqsMapping[] = [];
    for (const mapping of ofType(resources, AwsType.lambdaEventSourceMapping)) {
        const { value, targets } = resolveReference(mapping, "eventSourceArn", queues, byArn);
        if (targets.length > 0) mappings.push({ mapping, queue: targets[0] });
        else if (typeof value === "string" && arnParts(value)?.service === "sqs") mappings.push({ mapping, queue: undefined });
        else if (isUnknown(value)) undecided.note(value);
    }
    return mappings;
}

/** Queues that feed a Lambda function keep a message hidden for as long as the function may hold it. */
export const sqsVisibilityTimeoutCoversLambda: StackValidationPolicy = {
    name: "sqs-visibility-timeout-covers-lambda",
    description:
        "Checks that every SQS queue consumed by a Lambda function has a visibility timeout of at least 6 times the function's timeout plus the batching window (Lambda's guidance for SQS event sources).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["sqs", "lambda", "reliability"],
    validateStack: validateStackWith((args, report, undecided) => {
        const functions = ofType(args.resources, AwsType.lambdaFunction);
        for (const { mapping, queue } of sqsMappings(args.resources, undecided)) {
            if (!queue) continue; // a queue of another stack: its settings are not visible here
            const fnReference = resolveReference(mapping, "functionName", functions, byFunctionReference);
            const fn = fnReference.targets[0];
            if (!fn) {
                if (isUnknown(fnReference.value)) undecided.note(fnReference.value);
                continue;
            }
            const timeout = numberOrDefault(fn, "timeout", LAMBDA_DEFAULT_TIMEOUT_SECONDS);
            const window = numberOrDefault(mapping, "maximumBatchingWindowInSeconds", SQS_DEFAULT_BATCHING_WINDOW_SECONDS);
            const visibility = numberOrDefault(queue, "visibilityTimeoutSeconds", SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
            const unknown = [timeout, window, visibility].find(isUnknown);
            if (unknown) {
                undecided.note(unknown);
                continue;
            }
            const required = minVisibilityTimeoutSeconds(timeout as number, window as number);
            if ((visibility as number) < required) {
                report(
                    `Raise the visibility timeout of SQS queue ${quote(queue.name)} to at least ${required} s ` +
                        `(6 x the ${timeout} s timeout of Lambda function ${quote(fn.name)} + the ${window} s batching window); ` +
                        `at ${visibility} s a message can be delivered again while ${quote(fn.name)} still processes it.`,
                    queue.urn,
                );
            }
        }
    }),
};

/** SQS event source mappings report failed messages one by one. */
export const lambdaSqsReportsBatchItemFailures: StackValidationPolicy = {
    name: "lambda-sqs-reports-batch-item-failures",
    description: "Checks that every SQS event source mapping reports batch item failures, so that one failed message does not return its whole batch to the queue.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["sqs", "lambda", "reliability"],
    validateStack: validateStackWith((args, report, undecided) => {
        for (const { mapping, queue } of sqsMappings(args.resources, undecided)) {
            const types = readProperty(mapping.props, "functionResponseTypes");
            if (isUnknown(types)) {
                undecided.note(types);
                continue;
            }
            if (Array.isArray(types) && types.includes("ReportBatchItemFailures")) continue;
            const source = queue ? `SQS queue ${quote(queue.name)}` : "its queue";
            report(
                `Add "ReportBatchItemFailures" to functionResponseTypes of event source mapping ${quote(mapping.name)} (and return batchItemFailures from its function), so that one failed message does not send its whole batch back to ${source}.`,
                mapping.urn,
            );
        }
    }),
};

/** What is known about the queues' redrive settings across the stack. */
interface RedriveFacts {
    /** URNs of queues that have a redrive policy. */
    readonly withRedrive: Set<string>;
    /** URNs of queues that are dead-letter queues (a redrive target, or declared by a redrive allow policy). */
    readonly deadLetter: Set<string>;
    /** An unknown value that may name further dead-letter queues or redrive sources. */
    unresolved: UnknownValue | undefined;
}

/** What is wrong with a known redrive policy, or undefined; unknown parts are not judged. */
function redriveProblem(value: unknown): string | undefined {
    const parsed = parseJsonObject(value);
    if (typeof parsed === "string") return parsed;
    const { deadLetterTargetArn: target, maxReceiveCount: count } = parsed;
    if (!isUnknown(target) && (typeof target !== "string" || !target.startsWith("arn:"))) {
        return "deadLetterTargetArn must be the ARN of the dead-letter queue";
    }
    if (!isUnknown(count) && (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 1000)) {
        return "maxReceiveCount must be an integer from 1 to 1000";
    }
    return undefined;
}

/** Records a redrive policy held by `holder` and marks its target a dead-letter queue. */
function recordRedrivePolicy(
    facts: RedriveFacts,
    holder: PolicyResource,
    queues: readonly PolicyResource[],
    sourceName: string,
    report: ReportViolation,
): void {
    const reference = resolveReference(holder, "redrivePolicy", queues, (value, candidate) => {
        const parsed = parseJsonObject(value);
        return typeof parsed !== "string" && byArn(parsed.deadLetterTargetArn, candidate);
    });
    for (const target of reference.targets) facts.deadLetter.add(target.urn);
    if (reference.targets.length === 0 && containsUnknown(reference.value)) facts.unresolved ??= firstUnknown(reference.value);
    if (isUnknown(reference.value)) return;
    const problem = redriveProblem(reference.value);
    if (problem) report(`Fix the redrive policy of SQS queue ${quote(sourceName)}: ${problem}.`, holder.urn);
}

/** Whether a redrive allow policy lets some queue use this one as its DLQ (anything but denyAll). */
function allowsRedrive(value: unknown): boolean {
    if (isUnknown(value)) return true;
    const parsed = parseJsonObject(value);
    return typeof parsed !== "string" && (parsed.redrivePermission === "allowAll" || parsed.redrivePermission === "byQueue");
}

/** Gathers which queues have a redrive policy and which are dead-letter queues. */
function redriveFacts(resources: readonly PolicyResource[], report: ReportViolation): RedriveFacts {
    const queues = ofType(resources, AwsType.sqsQueue);
    const facts: RedriveFacts = { withRedrive: new Set(), deadLetter: new Set(), unresolved: undefined };
    for (const queue of queues) {
        if (isSet(readProperty(queue.props, "redrivePolicy"))) {
            facts.withRedrive.add(queue.urn);
            recordRedrivePolicy(facts, queue, queues, queue.name, report);
        }
        const allow = readProperty(queue.props, "redriveAllowPolicy");
        if (isSet(allow) && allowsRedrive(allow)) facts.deadLetter.add(queue.urn);
    }
    // The standalone resources that attach the same policies to a queue by URL.
    for (const holder of ofType(resources, AwsType.sqsRedrivePolicy)) {
        const source = resolveReference(holder, "queueUrl", queues, byQueueUrl);
        for (const queue of source.targets) facts.withRedrive.add(queue.urn);
        if (source.targets.length === 0 && isUnknown(source.value)) facts.unresolved ??= source.value;
        recordRedrivePolicy(facts, holder, queues, source.targets[0]?.name ?? holder.name, report);
    }
    for (const holder of ofType(resources, AwsType.sqsRedriveAllowPolicy)) {
        if (!allowsRedrive(readProperty(holder.props, "redriveAllowPolicy"))) continue;
        const target = resolveReference(holder, "queueUrl", queues, byQueueUrl);
        for (const queue of target.targets) facts.deadLetter.add(queue.urn);
        if (target.targets.length === 0 && isUnknown(target.value)) facts.unresolved ??= target.value;
    }
    // EventBridge's dead-letter queues: named by a target's or a bus's deadLetterConfig, not by a redrive policy.
    for (const queue of eventBridgeDeadLetterQueues(resources)) facts.deadLetter.add(queue.urn);
    return facts;
}

/** Every queue that is not itself a dead-letter queue redrives to one. */
export const sqsQueueHasRedrivePolicy: StackValidationPolicy = {
    name: "sqs-queue-has-redrive-policy",
    description: "Checks that every SQS queue that is not itself a dead-letter queue has a redrive policy to one, so that a message that keeps failing is kept, not lost.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["sqs", "reliability"],
    validateStack: validateStackWith((args, report, undecided) => {
        const facts = redriveFacts(args.resources, report);
        for (const queue of ofType(args.resources, AwsType.sqsQueue)) {
            if (facts.withRedrive.has(queue.urn) || facts.deadLetter.has(queue.urn)) continue;
            if (facts.unresolved) {
                undecided.note(facts.unresolved);
                continue;
            }
            report(
                `Give SQS queue ${quote(queue.name)} a redrive policy (deadLetterTargetArn and maxReceiveCount), so that a message that keeps failing moves to a dead-letter queue instead of being retried until it expires.`,
                queue.urn,
            );
        }
    }),
};

/** Whether a condition set denies requests made without TLS (`Bool: aws:SecureTransport = false`). */
function requiresInsecureTransport(statement: Statement): boolean {
    return statement.conditions.entries.some(
        (entry) =>
            /^bool(ifexists)?$/i.test(entry.operator) &&
            entry.key.toLowerCase() === "aws:securetransport" &&
            entry.values.some((v) => v.toLowerCase() === "false"),
    );
}

/**
 * Whether a statement denies every SQS action on the queue to everyone when TLS is not used.
 * Returns the unknown marker when the answer depends on a value not known yet.
 */
function deniesInsecureAccess(statement: Statement, queueArn: unknown): boolean | UnknownValue {
    if (isUnknown(statement.effect)) return statement.effect;
    const { principals, actions, resources } = statement;
    if (statement.effect !== "Deny" || !principals || principals.negated || !principals.anyone) return principals?.unknown ?? false;
    if (actions.negated || !actions.values.some((a) => a === "*" || a.toLowerCase() === "sqs:*")) return actions.unknown ?? false;
    if (!requiresInsecureTransport(statement)) return statement.conditions.unknown ?? false;
    if (!resources) return false;
    if (typeof queueArn === "string") return coversResource(resources, queueArn) || (resources.unknown ?? false);
    if (!resources.negated && resources.values.includes("*")) return true;
    return isUnknown(queueArn) ? queueArn : false;
}

/** Queues refuse every request not made over TLS. */
export const sqsQueueTlsOnly: StackValidationPolicy = {
    name: "sqs-queue-tls-only",
    description: 'Checks that every SQS queue has a queue policy that denies all access not made over TLS (Deny "sqs:*" to "*" when aws:SecureTransport is false).',
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["sqs", "encryption"],
    validateStack: validateStackWith((args, report, undecided) => {
        const queues = ofType(args.resources, AwsType.sqsQueue);
        const documents = new Map<string, PolicyDocument[]>(queues.map((q) => [q.urn, []]));
        let unattached: UnknownValue | undefined;
        for (const queue of queues) {
            const inline = readProperty(queue.props, "policy");
            if (isSet(inline)) documents.get(queue.urn)!.push(parsePolicyDocument(inline));
        }
        for (const holder of ofType(args.resources, AwsType.sqsQueuePolicy)) {
            const target = resolveReference(holder, "queueUrl", queues, byQueueUrl);
            if (target.targets.length === 0 && isUnknown(target.value)) unattached ??= target.value;
            const document = parsePolicyDocument(readProperty(holder.props, "policy"));
            for (const queue of target.targets) documents.get(queue.urn)!.push(document);
        }
        for (const queue of queues) {
            const arn = readProperty(queue.props, "arn");
            let open: UnknownValue | undefined = unattached;
            let denied = false;
            for (const document of documents.get(queue.urn)!) {
                open ??= document.unknown;
                for (const statement of document.statements) {
                    const verdict = deniesInsecureAccess(statement, arn);
                    if (verdict === true) denied = true;
                    else if (isUnknown(verdict)) open ??= verdict;
                }
            }
            if (denied) continue;
            if (open) {
                undecided.note(open);
                continue;
            }
            report(
                `Add a statement to the queue policy of SQS queue ${quote(queue.name)} that denies "sqs:*" to Principal "*" when aws:SecureTransport is "false", so that no request reaches it without TLS.`,
                queue.urn,
            );
        }
    }),
};

/** Every function logs into a log group the stack manages (and so gives a retention). */
export const lambdaLogGroupManaged: StackValidationPolicy = {
    name: "lambda-log-group-managed",
    description:
        "Checks that every Lambda function logs to a CloudWatch log group managed in the stack (its loggingConfig.logGroup, or /aws/lambda/<name>), so that its retention is set in code rather than left to a group Lambda creates without one.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["lambda", "logging", "cost"],
    validateStack: validateStackWith((args, report, undecided) => {
        const groups = ofType(args.resources, AwsType.cloudwatchLogGroup);
        for (const fn of ofType(args.resources, AwsType.lambdaFunction)) {
            const logging = resolveReference(fn, "loggingConfig", groups, (value, group) => {
                const named = (value as { logGroup?: unknown } | undefined)?.logGroup;
                return typeof named === "string" && named === knownString(group, "name");
            });
            if (logging.targets.length > 0) continue;
            const configured = isUnknown(logging.value) ? logging.value : (logging.value as { logGroup?: unknown } | undefined)?.logGroup;
            // Lambda's own choice when loggingConfig names no group: /aws/lambda/<function name>.
            const name = typeof configured === "string" && configured !== "" ? undefined : readProperty(fn.props, "name");
            const open = [configured, name].find(isUnknown);
            if (open) {
                undecided.note(open);
                continue;
            }
            const expected = typeof configured === "string" && configured !== "" ? configured : typeof name === "string" ? `/aws/lambda/${name}` : undefined;
            if (expected === undefined || groups.some((group) => knownString(group, "name") === expected)) continue;
            const unknownName = groups.map((group) => readProperty(group.props, "name")).find(isUnknown);
            if (unknownName) {
                undecided.note(unknownName);
                continue;
            }
            report(
                `Create the CloudWatch log group ${quote(expected)} with a retention in this stack for Lambda function ${quote(fn.name)} (or point its loggingConfig.logGroup at one): otherwise Lambda creates it on first use and keeps its logs forever.`,
                fn.urn,
            );
        }
    }),
};

/** The stack rules, in the order the pack lists them. */
export const stackPolicies: readonly StackValidationPolicy[] = [
    lambdaNoSharedRoles,
    sqsVisibilityTimeoutCoversLambda,
    lambdaSqsReportsBatchItemFailures,
    sqsQueueHasRedrivePolicy,
    sqsQueueTlsOnly,
    lambdaLogGroupManaged,
];
