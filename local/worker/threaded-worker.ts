import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { EmulatorEndpoints } from "../emulators/emulators";
import { threadExecArgv } from "../source-thread";
import type { LogListener, LogVolume } from "../lambda/function-logs";
import { bundleCodeCache, type LocalFunction, type LocalFunctionOptions } from "../lambda/lambda-sandbox";
import type { PipelineSettings } from "../../contract/settings";
import type { EventSourceQueue } from "./sqs-event";
import type { BatchReport, SqsWorker, SqsWorkerCounts } from "./sqs-worker";

/** Settings of {@link startThreadedSqsWorker}: those of `startSqsWorker`, with the function as data. */
export interface ThreadedWorkerOptions {
    /** The emulators the thread's own SQS client polls. */
    readonly endpoints: EmulatorEndpoints;
    readonly queueUrl: string;
    readonly queue: EventSourceQueue;
    readonly processing: PipelineSettings["processing"];
    readonly pollWaitSeconds?: number;
    /** The function's sandbox, built in the thread (its log listener stays here). */
    readonly fn: Omit<LocalFunctionOptions, "onLog">;
    /** Receives each line the function logs, shortly after it was written. */
    readonly onLog?: LogListener;
    readonly onBatch?: (report: BatchReport) => void;
    readonly onError?: (error: Error) => void;
}

/** The thread's function counts and log volume, as `LocalFunction` has them. */
export type FunctionCounts = Pick<LocalFunction, "counts"> & { readonly log: { readonly volume: LogVolume } };

/** A worker on its own thread: the {@link SqsWorker} interface, and its function's counts. */
export interface ThreadedSqsWorker extends SqsWorker {
    readonly fn: FunctionCounts;
}

/** What the thread is told. */
export type WorkerThreadRequest = { readonly type: "stop"; readonly graceMs: number } | { readonly type: "abandon" };

/** What the thread says: its counts (with any log lines and batch reports since the last time), a failure, or that it stopped. */
export type WorkerThreadReply =
    | {
          readonly type: "state";
          readonly counts: SqsWorkerCounts;
          readonly fnCounts: LocalFunction["counts"];
          readonly volume: LogVolume;
          readonly lines: ReadonlyArray<readonly [string, string]>;
          readonly reports: readonly BatchReport[];
          readonly errors: readonly string[];
      }
    | { readonly type: "ready" }
    | { readonly type: "failed"; readonly message: string }
    | { readonly type: "stopped" };

/**
 * Runs `startSqsWorker` and its function's sandbox on a worker thread, so that a batch (ten
 * orders validated, written and deleted in one go) never holds up the thread that answers the
 * HTTP API. The function is the same deployment bundle with the same environment; its log lines,
 * batch reports, errors and counts come back here, where the listeners run.
 */
export async function startThreadedSqsWorker(options: ThreadedWorkerOptions): Promise<ThreadedSqsWorker> {
    const { onLog, onBatch, onError, ...rest } = options;
    // The bundle's code cache, when this thread ran it: the thread then neither parses nor compiles it again.
    const codeCache = options.fn.codeCache ?? bundleCodeCache(options.fn.code);
    const workerData = { ...rest, fn: { ...rest.fn, ...(codeCache ? { codeCache } : {}) } };
    const worker = new Worker(path.join(__dirname, "worker-thread.ts"), { workerData, execArgv: threadExecArgv() });
    const counts: SqsWorkerCounts = { batches: 0, received: 0, deleted: 0, failed: 0, inFlight: 0, peakConcurrency: 0, errors: 0 };
    const fn: FunctionCounts = {
        counts: { invocations: 0, errors: 0, timeouts: 0, inFlight: 0, inits: 0 },
        log: { volume: { bytes: 0, lines: 0 } },
    };
    let stopped: () => void = () => {};
    const stoppedReply = new Promise<void>((resolve) => (stopped = resolve));
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.on("error", (err) => onError?.(err));
    let started: (reply: WorkerThreadReply) => void = () => {};
    const ready = new Promise<WorkerThreadReply>((resolve, reject) => {
        started = resolve;
        worker.once("error", reject);
        void exited.then(() => reject(new Error("the worker thread exited before it was ready")));
    });
    worker.on("message", (reply: WorkerThreadReply) => {
        if (reply.type === "stopped") stopped();
        if (reply.type === "ready" || reply.type === "failed") started(reply);
        if (reply.type !== "state") return;
        Object.assign(counts, reply.counts);
        Object.assign(fn.counts, reply.fnCounts);
        Object.assign(fn.log.volume, reply.volume);
        for (const [name, line] of reply.lines) onLog?.(name, line);
        for (const report of reply.reports) onBatch?.(report);
        for (const message of reply.errors) onError?.(new Error(message));
    });
    const first = await ready;
    if (first.type !== "ready") {
        await worker.terminate();
        throw new Error(`the worker thread failed to start: ${first.type === "failed" ? first.message : first.type}`);
    }
    const request = (message: WorkerThreadRequest) => worker.postMessage(message);
    let stopping: Promise<void> | undefined;
    return {
        counts,
        fn,
        stop: (graceMs = 30_000) =>
            (stopping ??= (async () => {
                request({ type: "stop", graceMs });
                // The thread deletes what it finished, sends its last counts, then says it stopped.
                await Promise.race([stoppedReply, exited]);
                await worker.terminate();
            })()),
        abandon: () => request({ type: "abandon" }),
    };
}
