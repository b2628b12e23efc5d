/**
 * Values that are not known yet during `pulumi preview`.
 *
 * The policy server hands a rule its resource properties wrapped in a proxy that throws
 * `UnknownValueError` when the rule reads a value known only after the update (the ARN of a queue
 * not created yet, or a JSON policy built from one). If that error escapes the rule, the server
 * reports "can't run policy ... during preview" as an advisory note instead of the rule's verdict.
 *
 * The rules here read properties through {@link readKnown}, which copies them into plain data with
 * {@link UnknownValue} markers in place of the unknown parts. A rule judges what is known, reports
 * those violations, and only then hands the first unknown it needed back to the server
 * ({@link Undecided.finish}): a wildcard action next to a not-yet-known ARN is still reported.
 */
import * as policy from "@pulumi/policy";

/**
 * The error class of the server's unknown-checking proxy. `@pulumi/policy` exports it at run time,
 * but its published typings omit it, hence the explicit type.
 */
const UnknownValueError = (policy as unknown as { UnknownValueError: new (...args: never[]) => Error }).UnknownValueError;

/** A value that cannot be known before the update; `cause` is the server's error naming its path. */
export class UnknownValue {
    /** @param cause The `UnknownValueError` the proxy threw when the value was read. */
    constructor(readonly cause: Error) {}
}

/** Whether `value` is an {@link UnknownValue} marker. */
export function isUnknown(value: unknown): value is UnknownValue {
    return value instanceof UnknownValue;
}

/** Whether `error` is the server's signal that a value is unknown during preview. */
export function isUnknownValueError(error: unknown): error is Error {
    return typeof UnknownValueError === "function" && error instanceof UnknownValueError;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object") return false;
    const prototype = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}

/**
 * Calls `read` and copies its result into plain data (arrays and plain objects, recursively),
 * replacing every part that is unknown during preview by an {@link UnknownValue}. Other objects
 * (assets, archives) are returned as they are. Errors other than unknown values propagate.
 */
export function readKnown(read: () => unknown): unknown {
    let value: unknown;
    try {
        value = read();
    } catch (error) {
        if (isUnknownValueError(error)) return new UnknownValue(error);
        throw error;
    }
    if (Array.isArray(value)) {
        const list: unknown[] = value;
        const length = readKnown(() => list.length);
        if (typeof length !== "number") return length;
        const copy: unknown[] = [];
        for (let i = 0; i < length; i++) copy.push(readKnown(() => list[i]));
        return copy;
    }
    if (isPlainObject(value)) {
        const object = value;
        const copy: Record<string, unknown> = {};
        for (const key of Object.keys(object)) copy[key] = readKnown(() => object[key]);
        return copy;
    }
    return value;
}

/**
 * Collects the unknown values a rule needed but could not judge. Call {@link finish} after the
 * rule has reported what it could judge.
 */
export class Undecided {
    private first: UnknownValue | undefined;

    /** Notes that a verdict depended on `value`, which is unknown. */
    note(value: UnknownValue): void {
        this.first ??= value;
    }

    /** Whether any verdict was left open. */
    get any(): boolean {
        return this.first !== undefined;
    }

    /**
     * Rethrows the first noted unknown, so that the server reports, as an advisory note, that the
     * rule cannot be fully checked until the value is known (during `pulumi up` it always is).
     */
    finish(): void {
        if (this.first) throw this.first.cause;
    }
}
