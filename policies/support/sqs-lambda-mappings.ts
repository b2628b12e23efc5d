/**
 * What the SQS and Lambda stack rules share: the AWS defaults of settings a resource may leave
 * unset, and the event source mappings that connect a queue to a function.
 */
import type { PolicyResource } from "@pulumi/policy";
import { arnParts } from "./iam-patterns";
import { isUnknown, type Undecided, type UnknownValue } from "./preview-values";
import { AwsType } from "./resource-types";
import { byArn, ofType, resolveReference } from "./stack-references";
import { readProperty } from "./validation";

/** AWS defaults for settings a resource may leave unset. */
export const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3; // Lambda "Configure function timeout"
export const SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30; // SQS CreateQueue, VisibilityTimeout
export const SQS_DEFAULT_BATCHING_WINDOW_SECONDS = 0; // Lambda CreateEventSourceMapping, MaximumBatchingWindowInSeconds

/** A number setting of a resource, its AWS default when unset, or the unknown marker. */
export function numberOrDefault(resource: PolicyResource, property: string, fallback: number): number | UnknownValue {
    const value = readProperty(resource.props, property);
    if (isUnknown(value)) return value;
    return typeof value === "number" ? value : fallback;
}

/** Whether a property value is set: present and not an empty string (unknown counts as set). */
export function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** An SQS event source mapping, with the queue and the function it connects when both are in the stack. */
export interface SqsMapping {
    readonly mapping: PolicyResource;
    /** The queue, or undefined when it is not a resource of this stack. */
    readonly queue: PolicyResource | undefined;
}

/**
 * The event source mappings whose source is an SQS queue: one of this stack's queues (by ARN or
 * dependency), or any ARN of the `sqs` service. Mappings whose source is unknown are noted.
 */
export function sqsMappings(resources: readonly PolicyResource[], undecided: Undecided): SqsMapping[] {
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
