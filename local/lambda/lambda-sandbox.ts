import { createRequire } from "node:module";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as vm from "node:vm";
import { packageRoot } from "../../components/bundling";
import { LAMBDA_APPLICATION_LOG_LEVEL, LAMBDA_SYSTEM_LOG_LEVEL, type SystemLogLevel } from "../../contract/functions";
import { createLambdaContext, type LocalFunctionInfo } from "./lambda-context";
import { FunctionLog, type LogListener } from "./function-logs";
import { platformEndLines, platformStartLine, type InvocationStatus } from "./platform-log";

/** Settings of one {@link LocalFunction}. */
export interface LocalFunctionOptions extends LocalFunctionInfo {
    /** The bundled handler: the same CommonJS text that is deployed as `index.js`. */
    readonly code: string;
    /** The complete environment the function sees as `process.env`. */
    readonly env: Readonly<Record<string, string>>;
    /** Receives each line the function logs. */
    readonly onLog?: LogListener;
    /** Which platform records Lambda writes (`loggingConfig.systemLogLevel`); defaults to the component's. */
    readonly systemLogLevel?: SystemLogLevel;
    /**
     * V8's code cache of this bundle from another thread of this process ({@link bundleCodeCache}),
     * for a thread that has none of its own yet: V8 checks it and compiles afresh if it does not fit.
     */
    readonly codeCache?: Uint8Array;
}

/** An invocation that ended in an error, as Lambda reports it (`Runtime.*` or the handler's own). */
export class FunctionInvocationError extends Error {
    constructor(
        message: string,
        /** The function timed out (the invocation was abandoned at its deadline). */
        readonly timedOut: boolean,
        options?: { cause?: unknown },
    ) {
        super(message, options);
        this.name = "FunctionInvocationError";
    }
}

/** The parameters a bundle's module runs with: CommonJS's five, and the sandbox's `process` and `console`. */
const BUNDLE_PARAMETERS = ["exports", "require", "module", "__filename", "__dirname", "process", "console"];

/** Bundles whose V8 code cache is kept (each one to two MB); a process runs a handful at most. */
const CODE_CACHE_LIMIT = 16;

/**
 * V8's code cache of each bundle run in this process, by the bundle's code, taken after its first
 * init so that it holds the functions the init compiled too. Every later sandbox of the bundle
 * (each function of each pipeline, a fresh environment after a timeout, one more worker) then
 * neither parses a megabyte of code again nor compiles what its init runs.
 */
const codeCache = new Map<string, Buffer>();

/** A bundle compiled into its module wrapper, and the way to keep its code cache once the module ran. */
interface CompiledBundle {
    readonly wrapper: (...args: unknown[]) => unknown;
    /** Keeps the code cache of this bundle (after its module ran), unless it is kept already. */
    keepCodeCache(): void;
}

/** Keeps a code cache of `code` (made only if none is kept), the oldest giving way past {@link CODE_CACHE_LIMIT}. */
function keepCodeCache(code: string, make: () => Buffer): void {
    if (codeCache.has(code)) return;
    if (codeCache.size >= CODE_CACHE_LIMIT) codeCache.delete(codeCache.keys().next().value!);
    codeCache.set(code, make());
}

/** The code cache this thread keeps of a bundle (once a sandbox of it ran its init), to hand to another thread. */
export function bundleCodeCache(code: string): Buffer | undefined {
    return codeCache.get(code);
}

/** Compiles a bundle into its module wrapper, from the code cache when this bundle ran before (here, or in the thread that gave `given`). */
function compileBundle(code: string, filename: string, given: Uint8Array | undefined): CompiledBundle {
    // The code is its own key: V8 hashes a string once, and the bundles are in memory anyway.
    const cachedData = codeCache.get(code) ?? given;
    // The wrapper opens on a line of its own, which lineOffset takes away: stack traces name the
    // bundle's own lines and columns.
    const script = new vm.Script(`(function (${BUNDLE_PARAMETERS.join(", ")}) {\n${code}\n})`, { filename, lineOffset: -1, ...(cachedData ? { cachedData } : {}) });
    // V8 refused it (another V8 version or flags): a fresh one is taken after this init.
    if (script.cachedDataRejected) codeCache.delete(code);
    // A cache from another thread is taken as this thread's own only once V8 accepted it.
    else if (cachedData !== undefined) keepCodeCache(code, () => Buffer.from(cachedData.buffer, cachedData.byteOffset, cachedData.byteLength));
    return {
        wrapper: script.runInThisContext() as (...args: unknown[]) => unknown,
        keepCodeCache: () => keepCodeCache(code, () => script.createCachedData()),
    };
}

/** The handler export of a bundle: `(event, context) => Promise<result>`, or the callback form. */
type Handler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

/**
 * One Lambda function run in this process from its deployment bundle.
 *
 * The bundle is compiled the way Node's CommonJS loader compiles a file, with two more wrapper
 * parameters, `process` and `console`, so that the function sees its own `process.env` (as a
 * Lambda sandbox does) and its log output is captured instead of reaching this terminal. Module
 * scope (SDK clients, configuration read at start) lives as long as the sandbox, as in a warm
 * Lambda environment; a timed-out invocation discards the sandbox, as Lambda resets the
 * environment after a timeout. Unlike Lambda, concurrent invocations share one sandbox, and a
 * timed-out invocation is abandoned rather than frozen: its pending work may still finish.
 * Its log gets what Lambda's JSON log format would put in the log group: the handler's stdout as
 * written, console calls as the runtime's JSON lines, and the platform records the system log level
 * lets through (none for a successful invocation at the component's WARN; see platform-log.ts).
 */
export class LocalFunction {
    /** What the function logged. */
    readonly log: FunctionLog;
    /** Invocation counts. */
    readonly counts = { invocations: 0, errors: 0, timeouts: 0, inFlight: 0, inits: 0 };
    private handler: Handler | undefined;
    /** The last init's duration, until the invocation that followed it reports it. */
    private pendingInitMs: number | undefined;
    private readonly systemLogLevel: SystemLogLevel;

    constructor(private readonly options: LocalFunctionOptions) {
        this.log = new FunctionLog(options.functionName, options.onLog, LAMBDA_APPLICATION_LOG_LEVEL);
        this.systemLogLevel = options.systemLogLevel ?? LAMBDA_SYSTEM_LOG_LEVEL;
    }

    /** The function's name. */
    get functionName(): string {
        return this.options.functionName;
    }

    /**
     * Loads the bundle into a fresh sandbox (Lambda's init phase). Throws what the module throws at
     * load, e.g. a missing environment variable, or a clear error when it exports no handler.
     */
    init(): void {
        const started = performance.now();
        const filename = path.join(packageRoot(), ".local-functions", this.options.functionName, "index.js");
        const { wrapper, keepCodeCache } = compileBundle(this.options.code, filename, this.options.codeCache);
        const module = { exports: {} as Record<string, unknown> };
        const sandboxProcess = Object.create(process, {
            env: { value: { ...this.options.env }, enumerable: true, writable: true },
            stdout: { value: this.log.stream, enumerable: true },
            stderr: { value: this.log.stream, enumerable: true },
        });
        try {
            wrapper(module.exports, createRequire(filename), module, filename, path.dirname(filename), sandboxProcess, this.log.console);
        } catch (err) {
            throw new Error(`${this.options.functionName}: the handler module failed to load (Runtime.ImportModuleError): ${(err as Error).message}`, { cause: err });
        }
        const handler = module.exports.handler;
        if (typeof handler !== "function") {
            throw new Error(`${this.options.functionName}: the bundle exports no function named "handler" (Runtime.HandlerNotFound)`);
        }
        this.handler = handler as Handler;
        this.counts.inits++;
        this.pendingInitMs = performance.now() - started;
        // Taken after the init it would speed up, so that the init duration is the module's own.
        keepCodeCache();
    }

    /**
     * Invokes the handler with an event and a Lambda context whose deadline is the function
     * timeout. Resolves with the handler's result; rejects with a {@link FunctionInvocationError}
     * when the handler throws or runs past the timeout.
     */
    async invoke(event: unknown): Promise<unknown> {
        if (!this.handler) this.init();
        const handler = this.handler!;
        const initDurationMs = this.pendingInitMs;
        this.pendingInitMs = undefined;
        const timeoutMs = this.options.timeoutSeconds * 1000;
        const context = createLambdaContext(this.options, Date.now() + timeoutMs);
        this.counts.invocations++;
        this.counts.inFlight++;
        this.log.requestId = context.awsRequestId;
        const start = platformStartLine(context.awsRequestId, new Date(), this.systemLogLevel);
        if (start !== undefined) this.log.writePlatform(start);
        const started = performance.now();
        let status: InvocationStatus = "success";
        let errorType: string | undefined;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
                // Lambda resets the execution environment after a timeout: the next invocation inits again.
                if (this.handler === handler) this.handler = undefined;
                this.counts.timeouts++;
                reject(new FunctionInvocationError(`Task timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds`, true));
            }, timeoutMs);
        });
        try {
            return await Promise.race([callHandler(handler, event, context), deadline]);
        } catch (err) {
            if (err instanceof FunctionInvocationError) {
                status = "timeout";
                errorType = "Sandbox.Timedout";
                throw err;
            }
            this.counts.errors++;
            status = "error";
            errorType = err instanceof Error ? err.name : "Runtime.UnknownError";
            const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
            throw new FunctionInvocationError(`${this.options.functionName} failed: ${message}`, false, { cause: err });
        } finally {
            clearTimeout(timer);
            this.counts.inFlight--;
            const report = {
                requestId: context.awsRequestId,
                status,
                durationMs: performance.now() - started,
                memorySizeMB: this.options.memoryMb,
                // This process's resident memory: the sandbox shares it, so it is an upper bound. Read
                // (a system call) only when a report line takes it: at WARN a success writes none.
                get maxMemoryUsedMB() {
                    return Math.ceil(process.memoryUsage.rss() / (1024 * 1024));
                },
                ...(initDurationMs === undefined ? {} : { initDurationMs }),
                ...(errorType === undefined ? {} : { errorType }),
            };
            for (const line of platformEndLines(report, new Date(), this.systemLogLevel)) this.log.writePlatform(line);
        }
    }
}

/** Calls an async handler, or a callback-style one (three parameters), as the Node.js runtime does. */
function callHandler(handler: Handler, event: unknown, context: unknown): Promise<unknown> {
    if (handler.length >= 3) {
        return new Promise((resolve, reject) => {
            const settled = handler(event, context, (error, result) => (error ? reject(error) : resolve(result)));
            if (settled && typeof (settled as Promise<unknown>).then === "function") (settled as Promise<unknown>).then(resolve, reject);
        });
    }
    return Promise.resolve().then(() => handler(event, context));
}
