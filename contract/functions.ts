/**
 * The pipeline's functions: their kinds, handler entries, runtime and timeouts. The component
 * deploys them, local mode runs the same bundles, the bench measures them.
 */
import { SETTINGS } from "./defaults";

/**
 * The functions: SubmitOrder, ProcessOrder and GetOrder always; RefundOrder with `workflows`; the
 * email-events function (SES delivery events onto the order) with email.
 */
export type FunctionKind = "submit" | "process" | "get" | "refund" | "email-events";

/** Every function kind, in the order requests flow. */
export const FUNCTION_KINDS: readonly FunctionKind[] = ["submit", "process", "get", "refund", "email-events"];

/** The kinds every pipeline has. */
export const BASE_FUNCTION_KINDS = ["submit", "process", "get"] as const satisfies readonly FunctionKind[];

/** A kind every pipeline has. */
export type BaseFunctionKind = (typeof BASE_FUNCTION_KINDS)[number];

/** Handler entry points, relative to the package root; each exports `handler`. */
export const HANDLER_ENTRIES: Readonly<Record<FunctionKind, string>> = {
    submit: "handlers/submit-order.ts",
    process: "handlers/process-order.ts",
    get: "handlers/get-order.ts",
    refund: "handlers/refund-order.ts",
    "email-events": "handlers/record-email-event.ts",
};

/** Each function's default timeout in seconds. */
export const DEFAULT_TIMEOUTS: Readonly<Record<FunctionKind, number>> = {
    submit: SETTINGS["functions.submitTimeoutSeconds"].default,
    process: SETTINGS["functions.processTimeoutSeconds"].default,
    get: SETTINGS["functions.getTimeoutSeconds"].default,
    refund: SETTINGS["functions.refundTimeoutSeconds"].default,
    "email-events": SETTINGS["functions.emailEventsTimeoutSeconds"].default,
};

/** The Lambda runtime every function uses. */
export const LAMBDA_RUNTIME = "nodejs24.x";

/** The architecture every function uses: arm64 costs less per GB-second. */
export const LAMBDA_ARCHITECTURE = "arm64";

/** The log format every function uses: JSON, which log-level filtering requires. */
export const LAMBDA_LOG_FORMAT = "JSON";

/** A Lambda system log level (`loggingConfig.systemLogLevel`), most detail first. */
export type SystemLogLevel = "DEBUG" | "INFO" | "WARN";

/**
 * The application log level: Lambda keeps every line a handler writes at INFO or above (the
 * handlers write nothing below INFO).
 */
export const LAMBDA_APPLICATION_LOG_LEVEL = "INFO";

/**
 * The system log level. Lambda's default, INFO, writes `platform.start` and `platform.report` for
 * every invocation; at WARN it writes only the records of failed ones (`platform.runtimeDone` and
 * `platform.report` with a status other than success), with their duration and memory. A successful
 * invocation then writes nothing but the handler's own lines, which carry `durationMs`, and its
 * duration stays in the `AWS/Lambda Duration` metric (Lambda developer guide, "Log-level filtering":
 * event mapping for system log levels).
 */
export const LAMBDA_SYSTEM_LOG_LEVEL: SystemLogLevel = "WARN";

/** The system log level Lambda uses when a function sets none (INFO). */
export const LAMBDA_DEFAULT_SYSTEM_LOG_LEVEL: SystemLogLevel = "INFO";
