/**
 * A value that may be known only when the stack deploys: a plain value, a Promise, or a Pulumi
 * Output (anything with `apply`). The contract never imports Pulumi: it checks plain values now and
 * passes the others through, for AWS to check at deployment.
 */
export type Deferred<T> = T | PromiseLike<T> | { apply(...args: never[]): unknown };

/** Whether a possibly deferred value is a plain string, known now and so checkable now. */
export function isKnownString(value: unknown): value is string {
    return typeof value === "string";
}

/** Whether a value is deferred: a Promise or an Output, rather than a plain value. */
export function isDeferred(value: unknown): boolean {
    return (
        value !== null &&
        typeof value === "object" &&
        (typeof (value as { then?: unknown }).then === "function" || typeof (value as { apply?: unknown }).apply === "function")
    );
}
