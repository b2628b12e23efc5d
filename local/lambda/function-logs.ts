import { Console } from "node:console";
import { Writable } from "node:stream";
import { format } from "node:util";

/** Called with each complete line a local function writes, without the newline. */
export type LogListener = (functionName: string, line: string) => void;

/** How much one function has logged: what CloudWatch Logs would ingest from its own output. */
export interface LogVolume {
    /** UTF-8 bytes, newlines included. */
    bytes: number;
    /** Lines (log events). */
    lines: number;
}

/** The console methods of the Node.js runtime, with the application log level each writes at. */
const CONSOLE_LEVELS = { trace: "TRACE", debug: "DEBUG", info: "INFO", log: "INFO", warn: "WARN", error: "ERROR" } as const;
const APPLICATION_RANK: Readonly<Record<string, number>> = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };

/**
 * The log output of one local function: what Lambda would capture from its stdout and stderr,
 * and the platform records Lambda adds. Counts bytes and lines, and passes each complete line to
 * a listener (a file, the terminal, a test), so that handler output never mixes into the local
 * mode's own terminal output.
 */
export class FunctionLog {
    /** Volume the function's code wrote so far. */
    readonly volume: LogVolume = { bytes: 0, lines: 0 };
    /** Volume of the platform records (`platform.start`, `platform.report`, ...) so far. */
    readonly platform: LogVolume = { bytes: 0, lines: 0 };
    /** A Writable for `process.stdout`/`process.stderr` inside the function: lines go out as written. */
    readonly stream: Writable;
    /**
     * The console the Node.js runtime provides in the JSON log format: each call is one JSON line
     * with `timestamp`, `level`, `requestId` and `message`, and calls below the application log
     * level write nothing (the runtime interface client's LogPatch). Lines written to
     * `process.stdout` are not wrapped.
     */
    readonly console: Console;
    /** The request id the console stamps: the latest invocation's, as the runtime's is global. */
    requestId: string | undefined;
    private partial = "";

    constructor(
        readonly functionName: string,
        private readonly listener: LogListener | undefined,
        applicationLogLevel = "INFO",
    ) {
        this.stream = new Writable({
            decodeStrings: false,
            write: (chunk: string | Buffer, _encoding, callback) => {
                this.write(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
                callback();
            },
        });
        const threshold = APPLICATION_RANK[applicationLogLevel] ?? APPLICATION_RANK.INFO;
        const method = (level: string) => (...params: unknown[]) => {
            if (APPLICATION_RANK[level] < threshold) return;
            const entry = { timestamp: new Date().toISOString(), level, requestId: this.requestId, message: params.length === 1 ? params[0] : format(...params) };
            let line: string;
            try {
                line = JSON.stringify(entry, (_key, value: unknown) =>
                    value instanceof Error ? { errorType: value.name, errorMessage: value.message, stackTrace: value.stack?.split("\n") } : value,
                );
            } catch {
                // A value JSON cannot hold (a cycle, a BigInt): the runtime formats it as text instead.
                line = JSON.stringify({ ...entry, message: format(entry.message) });
            }
            this.write(`${line}\n`);
        };
        // Every other console method (table, dir, time, ...) writes plain text to stdout, as it does on Lambda.
        this.console = Object.assign(
            new Console({ stdout: this.stream, stderr: this.stream, colorMode: false }),
            Object.fromEntries(Object.entries(CONSOLE_LEVELS).map(([name, level]) => [name, method(level)])),
        );
    }

    /** Records one platform record (a JSON line without its newline). */
    writePlatform(line: string): void {
        this.platform.bytes += Buffer.byteLength(line, "utf8") + 1;
        this.platform.lines++;
        this.listener?.(this.functionName, line);
    }

    /** Records text written by the function. */
    write(text: string): void {
        this.volume.bytes += Buffer.byteLength(text, "utf8");
        const parts = (this.partial + text).split("\n");
        this.partial = parts.pop() ?? "";
        for (const line of parts) {
            this.volume.lines++;
            this.listener?.(this.functionName, line);
        }
    }
}
