/** Where the status line is written: a terminal (redrawn in place) or anything else (log lines). */
export interface StatusStream {
    readonly isTTY?: boolean;
    write(text: string): unknown;
}

/** Settings of {@link StatusLine}. */
export interface StatusLineOptions {
    readonly stream: StatusStream;
    /** Produces the current status text. */
    readonly read: () => Promise<string>;
    /** How often the status is read, in ms. Defaults to 1000. */
    readonly intervalMs?: number;
    /**
     * When the stream is not a terminal: the least time between two printed lines, in ms, so that a
     * redirected log does not fill up. Defaults to 15000. An unchanged status is never printed twice.
     */
    readonly quietIntervalMs?: number;
    /** The clock. Defaults to Date.now. */
    readonly now?: () => number;
}

const CLEAR_LINE = "\r\x1b[2K";

/**
 * A live status line. On a terminal it is redrawn in place every interval; otherwise a line is
 * printed only when the status changed, and at most once per quiet interval, plus a last line
 * when it stops. Other messages go through {@link print}, so they never collide with it.
 */
export class StatusLine {
    private timer: NodeJS.Timeout | undefined;
    private shown = "";
    private lastPrintedAt = Number.NEGATIVE_INFINITY;
    private pending = "";
    private reading: Promise<void> | undefined;
    private readonly now: () => number;

    constructor(private readonly options: StatusLineOptions) {
        this.now = options.now ?? Date.now;
    }

    private get tty(): boolean {
        return this.options.stream.isTTY === true;
    }

    /** Reads the status once and shows it if it should be shown now. */
    async tick(): Promise<void> {
        this.reading ??= (async () => {
            try {
                this.show(await this.options.read());
            } catch {
                // A status that cannot be read right now (an emulator busy or stopping) is skipped.
            } finally {
                this.reading = undefined;
            }
        })();
        return this.reading;
    }

    private show(text: string): void {
        if (this.tty) {
            if (text !== this.shown) this.options.stream.write(`${CLEAR_LINE}${text}`);
            this.shown = text;
            return;
        }
        this.pending = text;
        if (text !== this.shown && this.now() - this.lastPrintedAt >= (this.options.quietIntervalMs ?? 15_000)) this.flush();
    }

    private flush(): void {
        if (this.pending === this.shown || this.pending === "") return;
        this.options.stream.write(`${this.pending}\n`);
        this.shown = this.pending;
        this.lastPrintedAt = this.now();
    }

    /** Prints a message on its own line(s) without breaking the status line. */
    print(message: string): void {
        if (this.tty && this.shown !== "") {
            this.options.stream.write(`${CLEAR_LINE}${message}\n${this.shown}`);
        } else {
            this.options.stream.write(`${message}\n`);
        }
    }

    /** Starts refreshing every interval. */
    start(): void {
        if (this.timer) return;
        void this.tick();
        this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 1000);
    }

    /** Stops refreshing; shows the final status and ends the line. */
    async stop(): Promise<void> {
        clearInterval(this.timer);
        this.timer = undefined;
        await this.tick();
        if (this.tty) {
            if (this.shown !== "") this.options.stream.write("\n");
            this.shown = "";
        } else {
            this.flush();
        }
    }
}
