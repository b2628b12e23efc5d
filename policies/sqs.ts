/** SQS queue rules: encryption, TLS, redrive, and a visibility timeout that covers the consuming function. */
import type { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { minVisibilityTimeoutSeconds, SETTINGS } from "../contract/defaults";
import { describeRange, inRange } from "../contract/problems";
import { eventBridgeDeadLetterQueues } from "./eventbridge";
import { parseJsonObject } from "./support/json-object";
import { isUnknown, type UnknownValue } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { reportResourcesNotTlsOnly } from "./support/tls-only";
import {
    isSet,
    LAMBDA_DEFAULT_TIMEOUT_SECONDS,
    numberOrDefault,
    SQS_DEFAULT_BATCHING_WINDOW_SECONDS,
    SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
    sqsMappings,
} from "./support/sqs-lambda-mappings";
import { byArn, byFunctionReference, byQueueUrl, containsUnknown, firstUnknown, ofType, resolveReference } from "./support/stack-references";
import { quote, readProperty, validateStackWith, validateTypes } from "./support/validation";

/** Queues are encrypted at rest, and say so in code. */
export const sqsQueueEncrypted: ResourceValidationPolicy = {
    name: "sqs-queue-encrypted",
    description: "Checks that SQS queues are encrypted at rest with SQS-managed keys (sqsManagedSseEnabled) or a KMS key (kmsMasterKeyId), set explicitly.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["sqs", "encryption"],
    validateResource: validateTypes([AwsType.sqsQueue], (args, report, undecided) => {
        const managed = readProperty(args.props, "sqsManagedSseEnabled");
        const kmsKey = readProperty(args.props, "kmsMasterKeyId");
        if (managed === true || (typeof kmsKey === "string" && kmsKey !== "")) return;
        for (const value of [managed, kmsKey]) {
            if (isUnknown(value)) return undecided.note(value);
        }
        report(`Encrypt SQS queue ${quote(args.name)} at rest: set sqsManagedSseEnabled to true or kmsMasterKeyId to a KMS key.`);
    }),
};

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
    // The range SQS accepts, the same the component's resolver checks.
    const range = SETTINGS["queue.maxReceiveCount"];
    if (!isUnknown(count) && !inRange(count, range)) {
        return `maxReceiveCount must be ${describeRange(range)}`;
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

/** Queues refuse every request not made over TLS. */
export const sqsQueueTlsOnly: StackValidationPolicy = {
    name: "sqs-queue-tls-only",
    description: 'Checks that every SQS queue has a queue policy that denies all access not made over TLS (Deny "sqs:*" to "*" when aws:SecureTransport is false).',
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["sqs", "encryption"],
    validateStack: validateStackWith((args, report, undecided) => {
        const check = {
            resources: ofType(args.resources, AwsType.sqsQueue),
            inlineProperty: "policy",
            holders: ofType(args.resources, AwsType.sqsQueuePolicy),
            reference: { property: "queueUrl", matches: byQueueUrl },
            actions: ["*", "sqs:*"],
        };
        reportResourcesNotTlsOnly(check, undecided, (queue) =>
            report(
                `Add a statement to the queue policy of SQS queue ${quote(queue.name)} that denies "sqs:*" to Principal "*" when aws:SecureTransport is "false", so that no request reaches it without TLS.`,
                queue.urn,
            ),
        );
    }),
};

/** The SQS rules, in the order the pack lists them. */
export const sqsPolicies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    sqsQueueEncrypted,
    sqsVisibilityTimeoutCoversLambda,
    sqsQueueHasRedrivePolicy,
    sqsQueueTlsOnly,
];
