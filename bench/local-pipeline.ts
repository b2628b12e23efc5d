import { fork, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { packageRoot } from "../components/bundling";
import type { PipelineStats } from "../local/pipeline/pipeline-stats";
import type { LocalArgs } from "../local/pipeline/local-settings";
import type { Figure, Section } from "./figures";
import { openLoopLoad } from "./open-loop";
import { sampleOrder, seededRandom } from "./orders";
import { quantile } from "./stats";

/** Options of {@link measureLocalPipeline}. */
export interface LocalPipelineOptions {
    /** Concurrent connections of the load generator, one level after the other. */
    readonly concurrencies: readonly number[];
    /** Seconds of load per level. */
    readonly seconds: number;
    /** Longest wait for the queue to drain after a level, in seconds. */
    readonly drainTimeoutSeconds: number;
    /**
     * One more level after the others: this many connections for this many seconds (a sustained
     * load), or until this many requests were answered when `requests` is set (a timed load sends
     * as many as the pipeline takes, and autocannon's timer runs whole seconds).
     */
    readonly sustained?: { readonly connections: number; readonly seconds: number; readonly requests?: number };
    /**
     * Last of all, an open-loop level: requests start at this fixed rate over at most this many
     * connections for this many seconds, and each latency counts from the request's scheduled time.
     */
    readonly fixedRate?: { readonly ratePerSecond: number; readonly connections: number; readonly seconds: number };
    /** What the pipeline runs with, passed to `startLocalPipeline` in its process. Defaults to every default. */
    readonly pipeline?: PipelineVariant;
    /** Write a V8 CPU profile of the pipeline's process (every thread) into this folder. */
    readonly profileDir?: string;
    /**
     * Untimed work to run once every level is measured, while the pipeline's process stops (its
     * SQS workers let their last long poll return first, about a second doing nothing).
     */
    readonly whileStopping?: () => Promise<unknown>;
}

/** The `startLocalPipeline` options the benchmark may set (JSON, for the pipeline's process). */
export interface PipelineVariant {
    /** OrderPipeline arguments, e.g. `{ email: { sender: "orders@example.com" } }` as `npm start` runs by default. */
    readonly args?: LocalArgs;
    /** Run the SQS worker and ProcessOrder on a thread of their own (see `LocalPipelineOptions.workerThread`). */
    readonly workerThread?: boolean;
    /** What an email to an address outside SES's mailbox simulator publishes (see `LocalPipelineOptions.ordinaryRecipients`). */
    readonly ordinaryRecipients?: "deliver" | "ignore";
}

/** What one concurrency level gave. */
export interface LevelResult {
    readonly concurrency: number;
    /** True for the sustained level. */
    readonly sustained: boolean;
    /** The offered rate of an open-loop level (requests per second); undefined for a closed-loop one. */
    readonly ratePerSecond?: number;
    /** Open loop: p99 of the load generator's own lag behind the schedule (ms), already inside the latencies. */
    readonly issueLagP99Ms?: number;
    readonly accepted: number;
    readonly non202: number;
    readonly errors: number;
    readonly loadSeconds: number;
    readonly p50Ms: number;
    readonly p90Ms: number;
    readonly p99Ms: number;
    /** Seconds from the end of the load until every accepted order was stored (or in the DLQ). */
    readonly drainSeconds: number;
    readonly stored: number;
    readonly dlq: number;
    readonly lost: number;
    /** Log bytes of all three functions per accepted order (what CloudWatch Logs would ingest). */
    readonly logBytesPerOrder: number;
    readonly logBytes: { readonly submit: number; readonly process: number };
    readonly invocations: { readonly submit: number; readonly process: number };
    /** CPU time of the pipeline's process per accepted order (ms): every thread, and the main thread alone. */
    readonly cpuMsPerOrder: { readonly process: number; readonly mainThread: number };
    /** Accepted orders per second from the start of the load until all were stored. */
    readonly endToEndPerSecond: number;
}

/** The pipeline's counts and its CPU time so far. */
interface ChildStats {
    readonly stats: PipelineStats;
    readonly cpuMs: { readonly process: number; readonly mainThread: number };
}

/** A forked `npm start` pipeline. */
class PipelineProcess {
    private constructor(
        private readonly child: ChildProcess,
        readonly apiUrl: string,
    ) {}

    static start(variant: PipelineVariant = {}, profileDir?: string): Promise<PipelineProcess> {
        const child = fork(path.join(packageRoot(), "bench", "local-pipeline-child.ts"), [JSON.stringify(variant)], {
            execArgv: ["--import", "tsx", ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [])],
            stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        return new Promise((resolve, reject) => {
            child.once("message", (message: { type: string; apiUrl: string }) => resolve(new PipelineProcess(child, message.apiUrl)));
            child.once("exit", (code) => reject(new Error(`the local pipeline exited with ${code} before it was ready`)));
        });
    }

    stats(): Promise<ChildStats> {
        return new Promise((resolve, reject) => {
            this.child.once("message", (message: { type: string; message: string } & ChildStats) =>
                message.type === "stats" ? resolve({ stats: message.stats, cpuMs: message.cpuMs }) : reject(new Error(message.message)),
            );
            this.child.send({ type: "stats" });
        });
    }

    /** Items in the orders table, counted with a Scan. */
    tableItems(): Promise<number> {
        return new Promise((resolve, reject) => {
            this.child.once("message", (message: { type: string; items: number; message: string }) =>
                message.type === "count-table" ? resolve(message.items) : reject(new Error(message.message)),
            );
            this.child.send({ type: "count-table" });
        });
    }

    stop(): Promise<void> {
        return new Promise((resolve) => {
            this.child.once("exit", () => resolve());
            this.child.send({ type: "stop" });
        });
    }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Benchmark 5: the whole local pipeline, as `npm start` runs it (its own process: the HTTP API,
 * the SQS worker with the component's batch size, batching window and maximum concurrency, the
 * handlers from their bundles, the emulators), loaded with autocannon POSTing sample orders at
 * each concurrency for a fixed time. Then it waits until every 202 is a stored order or a DLQ
 * message; lost = accepted - stored - DLQ must be 0.
 */
export async function measureLocalPipeline(options: LocalPipelineOptions): Promise<{ section: Section; levels: LevelResult[] }> {
    const levels: LevelResult[] = [];
    const body = JSON.stringify(sampleOrder(seededRandom(5), 0));
    const pipeline = await PipelineProcess.start(options.pipeline, options.profileDir);
    const plan: Array<{ connections: number; seconds: number; requests?: number; sustained: boolean; ratePerSecond?: number }> = [
        ...options.concurrencies.map((connections) => ({ connections, seconds: options.seconds, sustained: false })),
        ...(options.sustained ? [{ ...options.sustained, sustained: true }] : []),
        ...(options.fixedRate ? [{ ...options.fixedRate, sustained: true }] : []),
    ];
    let measured = false;
    try {
        let { stats: before, cpuMs: cpuBefore } = await pipeline.stats();
        let tableBefore = await pipeline.tableItems();
        for (const { connections: concurrency, seconds, requests, sustained, ratePerSecond } of plan) {
            const started = performance.now();
            const request: LoadRequest = { url: `${pipeline.apiUrl}/orders`, method: "POST", headers: { "content-type": "application/json" }, body };
            const load =
                ratePerSecond === undefined
                    ? await closedLoopLoad(request, concurrency, seconds, requests)
                    : await fixedRateLoad(request, ratePerSecond, concurrency, seconds);
            const loadEnded = performance.now();
            const loadSeconds = (loadEnded - started) / 1000;
            let { stats: after, cpuMs: cpuAfter } = await pipeline.stats();
            const deadline = loadEnded + options.drainTimeoutSeconds * 1000;
            // The poll is cheap (counters, two GetQueueAttributes): it may come often.
            // With email on, until the email events are published and handled too.
            const eventsPending = (stats: PipelineStats) => stats.emailEvents !== undefined && stats.emailEvents.publishing + stats.emailEvents.queued > 0;
            while ((after.stored + after.dlq - (before.stored + before.dlq) < after.api.accepted - before.api.accepted || eventsPending(after)) && performance.now() < deadline) {
                await sleep(100);
                ({ stats: after, cpuMs: cpuAfter } = await pipeline.stats());
            }
            const drainSeconds = (performance.now() - loadEnded) / 1000;
            const accepted = after.api.accepted - before.api.accepted;
            // Stored means in the table: the counters that ended the wait are checked against it.
            const tableAfter = await pipeline.tableItems();
            const stored = tableAfter - tableBefore;
            tableBefore = tableAfter;
            const dlq = after.dlq - before.dlq;
            const perOrder = (ms: number) => ms / Math.max(1, accepted);
            const logBytes = {
                submit: after.functions.submit.log.bytes - before.functions.submit.log.bytes,
                process: after.functions.process.log.bytes - before.functions.process.log.bytes,
            };
            levels.push({
                concurrency,
                sustained,
                accepted,
                ...(ratePerSecond === undefined ? {} : { ratePerSecond, issueLagP99Ms: load.issueLagP99Ms }),
                non202: load.non202,
                errors: load.errors,
                loadSeconds,
                p50Ms: load.p50Ms,
                p90Ms: load.p90Ms,
                p99Ms: load.p99Ms,
                drainSeconds,
                stored,
                dlq,
                lost: accepted - stored - dlq,
                logBytesPerOrder: (logBytes.submit + logBytes.process) / Math.max(1, accepted),
                logBytes,
                invocations: {
                    submit: after.functions.submit.invocations - before.functions.submit.invocations,
                    process: after.functions.process.invocations - before.functions.process.invocations,
                },
                cpuMsPerOrder: { process: perOrder(cpuAfter.process - cpuBefore.process), mainThread: perOrder(cpuAfter.mainThread - cpuBefore.mainThread) },
                endToEndPerSecond: accepted / (loadSeconds + drainSeconds),
            });
            before = after;
            cpuBefore = cpuAfter;
        }
        measured = true;
    } finally {
        const [stopped, work] = await Promise.allSettled([pipeline.stop(), measured ? Promise.resolve().then(() => options.whileStopping?.()) : undefined]);
        if (work.status === "rejected") throw work.reason;
        if (stopped.status === "rejected") throw stopped.reason;
    }
    return { section: localSection(levels, options), levels };
}

/** One request, as both load generators send it. */
interface LoadRequest {
    readonly url: string;
    readonly method: "POST";
    readonly headers: Record<string, string>;
    readonly body: string;
}

/** What a load gave, whichever generator made it. */
interface LoadResult {
    readonly non202: number;
    readonly errors: number;
    readonly p50Ms: number;
    readonly p90Ms: number;
    readonly p99Ms: number;
    readonly issueLagP99Ms?: number;
}

/**
 * Closed loop: autocannon keeps `connections` requests outstanding, each sent when the previous
 * answer came, for `seconds`, or until `requests` were answered when that is set.
 */
async function closedLoopLoad(request: LoadRequest, connections: number, seconds: number, requests?: number): Promise<LoadResult> {
    const result = await autocannon({ ...request, connections, ...(requests === undefined ? { duration: seconds } : { amount: requests }) });
    return { non202: result.non2xx, errors: result.errors, p50Ms: result.latency.p50, p90Ms: result.latency.p90, p99Ms: result.latency.p99 };
}

/** Open loop at a fixed rate (see {@link openLoopLoad}): latency from each request's scheduled time. */
async function fixedRateLoad(request: LoadRequest, ratePerSecond: number, connections: number, seconds: number): Promise<LoadResult> {
    const result = await openLoopLoad({ ...request, ratePerSecond, connections, seconds });
    const latencies = [...result.latenciesMs].sort((a, b) => a - b);
    const lags = [...result.issueLagMs].sort((a, b) => a - b);
    const accepted = result.statuses[202] ?? 0;
    const at = (q: number) => (latencies.length === 0 ? NaN : quantile(latencies, q));
    return {
        non202: result.sent - result.errors - accepted,
        errors: result.errors,
        p50Ms: at(0.5),
        p90Ms: at(0.9),
        p99Ms: at(0.99),
        issueLagP99Ms: lags.length === 0 ? NaN : quantile(lags, 0.99),
    };
}

/** The level's name in the table: its connections, and its offered rate when it had one. */
export function levelLabel(level: LevelResult): string {
    const connections = `${level.concurrency} connection${level.concurrency > 1 ? "s" : ""}`;
    if (level.ratePerSecond !== undefined) return `local pipeline, ${level.ratePerSecond} orders/s offered over ${connections}, ${level.loadSeconds.toFixed(0)} s`;
    return `local pipeline, ${connections}${level.sustained ? `, sustained ${level.loadSeconds.toFixed(0)} s` : ""}`;
}

function localSection(levels: readonly LevelResult[], options: LocalPipelineOptions): Section {
    const figures: Figure[] = [];
    for (const level of levels) {
        const perSecond = level.accepted / level.loadSeconds;
        const endToEnd = level.endToEndPerSecond;
        const label = levelLabel(level);
        figures.push({
            name: `${label}: 202 latency`,
            unit: "ms",
            median: level.p50Ms,
            p90: level.p90Ms,
            p99: level.p99Ms,
            runs: `${level.accepted} orders in ${level.loadSeconds.toFixed(1)} s`,
            detail:
                `${perSecond.toFixed(0)} orders/s accepted; all stored ${level.drainSeconds.toFixed(1)} s after the load ` +
                `(${endToEnd.toFixed(0)} orders/s end to end); lost ${level.lost}, DLQ ${level.dlq}, non-202 ${level.non202}, errors ${level.errors}`,
            better: "lower",
        });
        figures.push({
            name: `${label}: orders accepted per second`,
            unit: "orders/s",
            median: perSecond,
            runs: `${level.loadSeconds.toFixed(0)} s of load`,
            detail: `${(level.invocations.process > 0 ? level.accepted / level.invocations.process : 0).toFixed(1)} orders per ProcessOrder invocation; ${level.logBytesPerOrder.toFixed(0)} log bytes per order`,
            better: "higher",
        });
        figures.push({
            name: `${label}: orders per second end to end`,
            unit: "orders/s",
            median: endToEnd,
            runs: `${level.accepted} orders`,
            detail: "accepted orders / (load + time until every one was in the table or the DLQ)",
            better: "higher",
        });
        figures.push({
            name: `${label}: CPU per order`,
            unit: "ms",
            median: level.cpuMsPerOrder.process,
            runs: `${level.accepted} orders`,
            detail: `the pipeline's process, every thread (emulators included); main thread alone ${level.cpuMsPerOrder.mainThread.toFixed(2)} ms`,
            better: "lower",
        });
    }
    return {
        id: "local-pipeline",
        title: "Local pipeline",
        method:
            "`npm start`'s pipeline (startLocalPipeline with every default: API on 127.0.0.1, SQS worker with the component's batch " +
            "size, batching window and maximum concurrency, handlers from their deployment bundles, emulators) in its own process" +
            (options.pipeline?.args ? ` (this run's OrderPipeline arguments: ${JSON.stringify(options.pipeline.args)})` : "") +
            "; " +
            `autocannon in the bench process POSTs a sample order for ${options.seconds} s at each concurrency in turn (a closed loop: ` +
            "each connection sends when its previous answer came, so at saturation its mean latency is connections / throughput, " +
            "Little's law, whatever the code does). Latency: autocannon's percentiles of the 202s. " +
            (options.sustained
                ? `Then a sustained closed-loop level: ${options.sustained.connections} connections for ` +
                  `${options.sustained.requests === undefined ? `${options.sustained.seconds} s` : `${options.sustained.requests} requests`} (the capacity). `
                : "") +
            (options.fixedRate
                ? `Last, the goal's load, open loop (bench/open-loop.ts): ${options.fixedRate.ratePerSecond} requests/s started on a fixed schedule ` +
                  `over at most ${options.fixedRate.connections} keep-alive connections for ${options.fixedRate.seconds} s, each latency from the request's ` +
                  "scheduled time (service time plus every wait: for a connection, in the pipeline's queues), as wrk2 does. Not autocannon's " +
                  "overallRate: it sends each connection's quota for the second back to back at the start of the second and then pauses " +
                  "(a burst of closed-loop load, not a rate), times each request from when it was written, and its coordinated-omission " +
                  "correction back-fills with an expected interval of ceil(1 / per-connection rate) = 1 ms, which adds made-up samples below " +
                  "each latency instead of the queueing it hid. "
                : "") +
            "After each level the bench waits until every accepted order is stored or in the DLQ; " +
            "lost = accepted - stored - DLQ, stored counted in the table after each level. " +
            "CPU per order: the pipeline process's CPU time (all threads; the emulators run on a worker thread) over the level, " +
            "load and drain, per accepted order. One run per level (the pipeline is shared by the machine's 2 cores with the load generator).",
        figures,
        data: levels,
    };
}
