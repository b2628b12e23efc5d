/**
 * How stack rules find the resources a resource refers to, as the engine presents them: each
 * resource's resolved outputs (`props`), and, per property, the resources the property was
 * computed from (`propertyDependencies`). A reference is matched by value when the value is known
 * (a queue's `arn`, a function's `name` or `arn`, a role's `arn`); during a preview, where the
 * value of a resource not created yet is unknown, by the property's dependencies instead.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isUnknown, type UnknownValue } from "./preview-values";
import type { AwsTypeToken } from "./resource-types";
import { readProperty } from "./validation";

/** The resources of one type, in stack order. */
export function ofType(resources: readonly PolicyResource[], type: AwsTypeToken): PolicyResource[] {
    return resources.filter((resource) => resource.type === type);
}

/** A property of a resource when it is a known, non-empty string. */
export function knownString(resource: PolicyResource, property: string): string | undefined {
    const value = readProperty(resource.props, property);
    return typeof value === "string" && value !== "" ? value : undefined;
}

/** What a reference property resolved to. */
export interface Reference {
    /** The property's value as plain data (possibly an `UnknownValue`, or undefined when unset). */
    readonly value: unknown;
    /** The candidates it refers to: by value when known, else by the property's dependencies. */
    readonly targets: readonly PolicyResource[];
}

/** Whether a value read by `readKnown` is unknown or has an unknown part. */
export function containsUnknown(value: unknown): boolean {
    return firstUnknown(value) !== undefined;
}

/** The first unknown part of a value read by `readKnown`, if any. */
export function firstUnknown(value: unknown): UnknownValue | undefined {
    if (isUnknown(value)) return value;
    const parts = Array.isArray(value) ? value : value !== null && typeof value === "object" ? Object.values(value) : [];
    for (const part of parts) {
        const found = firstUnknown(part);
        if (found) return found;
    }
    return undefined;
}

/**
 * Resolves `resource.props[property]` to the `candidates` it names: those for which
 * `matches(value, candidate)` holds; when none does and the value is not fully known, those among
 * the property's dependencies.
 */
export function resolveReference(
    resource: PolicyResource,
    property: string,
    candidates: readonly PolicyResource[],
    matches: (value: unknown, candidate: PolicyResource) => boolean,
): Reference {
    const value = readProperty(resource.props, property);
    const matched = isUnknown(value) ? [] : candidates.filter((candidate) => matches(value, candidate));
    if (matched.length > 0 || !containsUnknown(value)) return { value, targets: matched };
    const dependencies = new Set((resource.propertyDependencies?.[property] ?? []).map((d) => d.urn));
    return { value, targets: candidates.filter((candidate) => dependencies.has(candidate.urn)) };
}

/** Matches a reference holding an ARN against a candidate's `arn` output. */
export function byArn(value: unknown, candidate: PolicyResource): boolean {
    return typeof value === "string" && value === knownString(candidate, "arn");
}

/** Matches a reference holding a queue URL against a queue's `url` (or `id`, which is its URL). */
export function byQueueUrl(value: unknown, candidate: PolicyResource): boolean {
    return typeof value === "string" && (value === knownString(candidate, "url") || value === knownString(candidate, "id"));
}

/**
 * The function name in a Lambda function reference: a name, a full or partial ARN, possibly
 * qualified with a version or alias (`arn:aws:lambda:us-east-1:123456789012:function:orders:live`).
 */
export function lambdaFunctionName(reference: string): string {
    return /(?:^|:)function:([^:]+)/.exec(reference)?.[1] ?? reference;
}

/** Matches a Lambda function reference (name or ARN) against a function's `name`, else its `arn`. */
export function byFunctionReference(value: unknown, candidate: PolicyResource): boolean {
    if (typeof value !== "string") return false;
    const name = knownString(candidate, "name") ?? lambdaFunctionName(knownString(candidate, "arn") ?? "");
    return name !== "" && lambdaFunctionName(value) === name;
}
