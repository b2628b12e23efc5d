/**
 * The platform records Lambda writes to a function's log group in the JSON log format, as the
 * function's system log level lets them through (Lambda developer guide, "Log-level filtering",
 * event mapping for system log levels; record shapes from the Telemetry API schema reference):
 * `platform.start` at INFO; `platform.runtimeDone` at DEBUG when the invocation succeeded, WARN
 * when it did not; `platform.report` at INFO when it succeeded, WARN when it did not.
 */
import type { SystemLogLevel } from "../../contract/functions";

/** How an invocation ended, as `platform.report` says it. */
export type InvocationStatus = "success" | "error" | "timeout";

/** What Lambda measured of one invocation. */
export interface InvocationReport {
    readonly requestId: string;
    readonly status: InvocationStatus;
    readonly durationMs: number;
    readonly memorySizeMB: number;
    readonly maxMemoryUsedMB: number;
    /** Only on the first invocation of an execution environment. */
    readonly initDurationMs?: number;
    /** The error's type, when the invocation did not succeed. */
    readonly errorType?: string;
}

const RANK: Readonly<Record<SystemLogLevel, number>> = { DEBUG: 1, INFO: 2, WARN: 3 };

/** Whether a record of `level` passes a function whose system log level is `configured`. */
function passes(level: SystemLogLevel, configured: SystemLogLevel): boolean {
    return RANK[level] >= RANK[configured];
}

/** The `platform.start` line, if the level lets it through (INFO or more detail). */
export function platformStartLine(requestId: string, at: Date, configured: SystemLogLevel): string | undefined {
    if (!passes("INFO", configured)) return undefined;
    return JSON.stringify({ time: at.toISOString(), type: "platform.start", record: { requestId, version: "$LATEST" } });
}

/**
 * The lines Lambda writes when an invocation ends: `platform.runtimeDone` then `platform.report`,
 * each if the level lets it through. Durations are rounded to 2 decimals and billed per started ms,
 * as Lambda reports them.
 */
export function platformEndLines(report: InvocationReport, at: Date, configured: SystemLogLevel): string[] {
    const failed = report.status !== "success";
    const durationMs = Math.round(report.durationMs * 100) / 100;
    const error = failed && report.errorType !== undefined ? { errorType: report.errorType } : {};
    const lines: string[] = [];
    if (passes(failed ? "WARN" : "DEBUG", configured)) {
        lines.push(
            JSON.stringify({
                time: at.toISOString(),
                type: "platform.runtimeDone",
                record: { requestId: report.requestId, status: report.status, ...error, metrics: { durationMs } },
            }),
        );
    }
    if (passes(failed ? "WARN" : "INFO", configured)) {
        const metrics = {
            durationMs,
            billedDurationMs: Math.max(1, Math.ceil(report.durationMs)),
            memorySizeMB: report.memorySizeMB,
            maxMemoryUsedMB: report.maxMemoryUsedMB,
            ...(report.initDurationMs === undefined ? {} : { initDurationMs: Math.round(report.initDurationMs * 100) / 100 }),
        };
        lines.push(JSON.stringify({ time: at.toISOString(), type: "platform.report", record: { requestId: report.requestId, metrics, status: report.status, ...error } }));
    }
    return lines;
}
