/**
 * Which OrderPipeline arguments may be values known only at deployment (Outputs or Promises), and
 * the problems when any other is one. Pure: no Pulumi, no AWS SDK.
 *
 * In TypeScript the argument types already say so; from another Pulumi language the values come
 * through the plugin boundary, where a program may pass an Output anywhere (or a whole option may
 * arrive as one). Those others decide which resources the pipeline makes, so they must be plain.
 */
import { isDeferred } from "./deferred";

/** The argument paths whose value may be deferred: the strings typed `Input<string>`, and the tags. */
export const DEFERRED_ARGUMENT_PATHS: readonly RegExp[] = [
    /^email\.(sender|identityArn)$/,
    /^alarms\.email$/,
    /^encryption\.kmsKeyArn$/,
    /^tags$/,
    /^events\.subscribers\[\d+\]\.target\.(queueArn|functionArn|eventBusArn)$/,
    /^auth\.cognito\.userPoolId$/,
    /^auth\.cognito\.userPoolClientIds\[\d+\]$/,
];

/** The same paths in words, for the error message. */
const DEFERRED_ARGUMENTS_IN_WORDS =
    "email.sender, email.identityArn, alarms.email, encryption.kmsKeyArn, tags, events.subscribers[].target ARNs, " +
    "auth.cognito.userPoolId and auth.cognito.userPoolClientIds[]";

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Every argument that is deferred (an Output or a Promise) where a plain value is required, each
 * problem naming its path (`functions.memoryMb ...`). Tags are not walked: they are deferred as a
 * whole or value by value, and both are fine.
 */
export function deferredArgumentProblems(args: unknown): string[] {
    const problems: string[] = [];
    const walk = (value: unknown, path: string): void => {
        if (path === "tags") return;
        if (isDeferred(value)) {
            if (!DEFERRED_ARGUMENT_PATHS.some((allowed) => allowed.test(path))) {
                problems.push(
                    `${path || "the arguments"} must be a plain value known before deployment (it decides which resources are made), ` +
                        `got an Output or a Promise; only ${DEFERRED_ARGUMENTS_IN_WORDS} may be values of other resources`,
                );
            }
            return;
        }
        if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
        else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
    };
    walk(args, "");
    return problems;
}
