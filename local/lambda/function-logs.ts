import { Console } from "node:console";
import { Writable } from "node:stream";

/** Called with each complete line a local function writes, without the newline. */
export type LogListener = (functionName: string, line: string) => void;

/** How much one function has logged: what CloudWatch Logs would ingest from its own output. */
export interface LogVolume {
    /** UTF-8 bytes, newlines included. */
    bytes: number;
    /** Lines (log events). */
    lines: number;
}

/**
 * The log output of one local function: what Lambda would capture from its stdout and stderr.
 * Counts bytes and lines, and passes each complete line to a listener (a file, the terminal,
 * a test), so that handler output never mixes into the local mode's own terminal output.
 */
export class FunctionLog {
    /** Volume written so far. */
    readonly volume: LogVolume = { bytes: 0, lines: 0 };
    /** A Writable for `process.stdout`/`process.stderr` inside the function. */
    readonly stream: Writable;
    /** A console that writes to {@link stream}, like the console the Lambda runtime provides. */
    readonly console: Console;
    private partial = "";

    constructor(
        readonly functionName: string,
        private readonly listener: LogListener | undefined,
    ) {
        this.stream = new Writable({
            decodeStrings: false,
            write: (chunk: string | Buffer, _encoding, callback) => {
                this.write(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
                callback();
            },
        });
        this.console = new Console({ stdout: this.stream, stderr: this.stream, colorMode: false });
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
