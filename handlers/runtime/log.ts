/** Where log and metric lines go: one JSON document per call, without a trailing newline. */
export type LineWriter = (line: string) => void;

/** Writes a line to stdout, which Lambda ships to CloudWatch Logs as one event. */
export const stdoutLineWriter: LineWriter = (line) => {
    process.stdout.write(`${line}\n`);
};

/**
 * Fields a log line may carry. Only identifiers and counts: there is deliberately no field for a
 * customer's email, name or address, and free text is passed through {@link redact}.
 */
export interface LogFields {
    readonly orderId?: string;
    readonly correlationId?: string;
    readonly messageId?: string;
    readonly requestId?: string;
    /** How long the request or record took, in ms: the handler's own measure (see {@link elapsedMs}). */
    readonly durationMs?: number;
    readonly [field: string]: string | number | boolean | undefined;
}

/** Severity of a log line. */
export type LogLevel = "INFO" | "WARN" | "ERROR";

/** A structured logger. */
export interface Logger {
    info(message: string, fields?: LogFields): void;
    warn(message: string, fields?: LogFields): void;
    error(message: string, fields?: LogFields): void;
}

const EMAIL_ADDRESS = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+/g;

/**
 * Removes email addresses from free text such as an error message (SES errors quote the
 * recipient, e.g. "Email address is not verified ... ada@example.com").
 */
export function redact(text: string): string {
    return text.replace(EMAIL_ADDRESS, "[email]");
}

/** Log fields describing an error: its name, code and a redacted message; never its stack. */
export function errorFields(err: unknown): LogFields {
    if (err instanceof Error) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        return { errorName: err.name, errorMessage: redact(err.message), ...(status !== undefined ? { errorHttpStatus: status } : {}) };
    }
    return { errorName: typeof err, errorMessage: redact(String(err)) };
}

/**
 * Creates a logger that writes one JSON line per event: time, level, message, fields. No service
 * name: each function logs to its own log group (and, locally, its own file), which already says
 * whose line it is, and every byte of a line is billed.
 */
export function createLogger(write: LineWriter = stdoutLineWriter): Logger {
    const log = (level: LogLevel, message: string, fields: LogFields = {}) => {
        const line: Record<string, unknown> = { timestamp: new Date().toISOString(), level, message: redact(message) };
        for (const [key, value] of Object.entries(fields)) {
            if (value !== undefined) line[key] = typeof value === "string" ? redact(value) : value;
        }
        write(JSON.stringify(line));
    };
    return {
        info: (message, fields) => log("INFO", message, fields),
        warn: (message, fields) => log("WARN", message, fields),
        error: (message, fields) => log("ERROR", message, fields),
    };
}

/** Milliseconds since `startedAt` (a `performance.now()` reading), to 0.01 ms, as Lambda reports durations. */
export function elapsedMs(startedAt: number, now: number = performance.now()): number {
    return Math.round((now - startedAt) * 100) / 100;
}
