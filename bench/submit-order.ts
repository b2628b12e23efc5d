import { performance } from "node:perf_hooks";
import { LocalFunction } from "../local/lambda/lambda-sandbox";
import { MEMORY_MB, SUBMIT_TIMEOUT_SECONDS } from "../contract/defaults";
import { bundleHandler } from "../components/bundling";
import { LOCAL_REGION } from "../local/lambda/lambda-environment";
import { alternate } from "./alternate";
import { sideName } from "./bundle-size";
import type { TableUsage } from "./dynamodb-counter";
import { FLOOR_ENTRIES } from "./entries";
import type { Figure, Section } from "./figures";
import { postOrderEvent, sampleOrder, seededRandom } from "./orders";
import type { BenchStack } from "./stack";
import { median, pairedRatio, summarize } from "./stats";

/** Options of {@link measureSubmitOrder}. */
export interface SubmitOrderOptions {
    /** Alternating rounds; each round runs one block per variant. */
    readonly rounds: number;
    /** Sequential requests per block. */
    readonly perBlock: number;
    /** Requests per variant before measuring (JIT, connections). */
    readonly warmup: number;
}

type Variant = "floor" | "ours" | "peer";

/** What one variant did over the measured blocks. */
export interface SubmitTally {
    readonly latenciesMs: number[];
    /** Median latency of each block, per round (for paired ratios). */
    readonly blockMedians: number[];
    /** Requests per second of each block. */
    readonly blockRates: number[];
    requests: number;
    /** Requests of the separate counting pass, which the DynamoDB figures below are per. */
    countedRequests: number;
    dynamoRequests: number;
    writeUnits: number;
    readUnits: number;
    /** Bytes the handler wrote (stdout and console). */
    logBytes: number;
    /** Bytes of the platform records Lambda would add at the side's system log level. */
    platformBytes: number;
}

/** Results per mode ("with-key", "without-key") and variant. */
export type SubmitResults = Record<string, Record<Variant, SubmitTally>>;

function newTally(): SubmitTally {
    return { latenciesMs: [], blockMedians: [], blockRates: [], requests: 0, countedRequests: 0, dynamoRequests: 0, writeUnits: 0, readUnits: 0, logBytes: 0, platformBytes: 0 };
}

function addUsage(tally: SubmitTally, usage: TableUsage): void {
    tally.dynamoRequests += Object.values(usage.requests).reduce((a, b) => a + b, 0);
    tally.writeUnits += usage.writeUnits;
    tally.readUnits += usage.readUnits;
}

const MODES = [
    { id: "with-key", label: "with Idempotency-Key", key: true },
    { id: "without-key", label: "without Idempotency-Key", key: false },
] as const;

/**
 * Benchmark 3: SubmitOrder against the SQS emulator. Each side's bundle runs warm in its own
 * sandbox in this process; a block is `perBlock` requests one after another (a Lambda container
 * serves one request at a time, so its throughput is 1 / latency); blocks of ours, the peer and
 * the SDK floor take turns. DynamoDB requests are counted at the emulator. Every answer must be a
 * 202, or the benchmark fails.
 */
export async function measureSubmitOrder(stack: BenchStack, options: SubmitOrderOptions): Promise<{ section: Section; results: SubmitResults }> {
    const floor = new LocalFunction({
        functionName: "floor-send",
        timeoutSeconds: SUBMIT_TIMEOUT_SECONDS,
        memoryMb: MEMORY_MB,
        region: LOCAL_REGION,
        code: bundleHandler(FLOOR_ENTRIES.sendMessage).code,
        env: stack.environment("ours", "submit"),
    });
    const functions: Record<Variant, LocalFunction> = {
        floor,
        ours: stack.loadFunction("ours", "submit"),
        peer: stack.loadFunction("peer", "submit"),
    };
    // Copies whose DynamoDB requests pass the counting proxy, for the (untimed) counting pass.
    const counted: Record<Exclude<Variant, "floor">, LocalFunction> = {
        ours: stack.loadFunction("ours", "submit", { countDynamoDb: true }),
        peer: stack.loadFunction("peer", "submit", { countDynamoDb: true }),
    };
    const variants: Variant[] = ["floor", "ours", "peer"];
    const random = seededRandom(3);
    let sequence = 0;
    const nextEvent = (withKey: boolean) => {
        const n = sequence++;
        const body = JSON.stringify(sampleOrder(random, n));
        return postOrderEvent(body, withKey ? { "idempotency-key": `bench-${n}` } : {});
    };
    const invoke = async (fn: LocalFunction, event: unknown) => {
        const answer = (await fn.invoke(event)) as { statusCode?: number };
        if (answer?.statusCode !== 202) throw new Error(`${fn.functionName} answered ${JSON.stringify(answer).slice(0, 300)}`);
    };

    for (const variant of variants) for (let i = 0; i < options.warmup; i++) await invoke(functions[variant], nextEvent(true));

    const results: SubmitResults = {};
    for (const mode of MODES) {
        const tallies = { floor: newTally(), ours: newTally(), peer: newTally() };
        results[mode.id] = tallies;
        await alternate(variants, options.rounds, async (variant) => {
            const fn = functions[variant];
            const tally = tallies[variant];
            const events = Array.from({ length: options.perBlock }, () => nextEvent(mode.key));
            const logBefore = fn.log.volume.bytes;
            const platformBefore = fn.log.platform.bytes;
            const latencies: number[] = [];
            const blockStart = performance.now();
            for (const event of events) {
                const start = performance.now();
                await invoke(fn, event);
                latencies.push(performance.now() - start);
            }
            const elapsed = performance.now() - blockStart;
            tally.latenciesMs.push(...latencies);
            tally.blockMedians.push(median(latencies));
            tally.blockRates.push((options.perBlock / elapsed) * 1000);
            tally.requests += options.perBlock;
            tally.logBytes += fn.log.volume.bytes - logBefore;
            tally.platformBytes += fn.log.platform.bytes - platformBefore;
        });
        for (const side of ["ours", "peer"] as const) {
            stack.counter.reset();
            for (let i = 0; i < options.perBlock; i++) await invoke(counted[side], nextEvent(mode.key));
            tallies[side].countedRequests += options.perBlock;
            addUsage(tallies[side], stack.counter.total());
        }
    }
    await stack.purgeQueues();
    return { section: submitSection(results, options), results };
}

function submitSection(results: SubmitResults, options: SubmitOrderOptions): Section {
    const figures: Figure[] = [];
    const runs = `${options.rounds} alternating blocks x ${options.perBlock} requests`;
    for (const mode of MODES) {
        const t = results[mode.id];
        for (const variant of ["ours", "peer", "floor"] as const) {
            const tally = t[variant];
            const name =
                variant === "floor" ? `SQS SendMessage alone (floor), ${mode.label}` : `SubmitOrder ${sideName(variant)}, ${mode.label}`;
            const perRequest = (n: number) => (n / Math.max(1, tally.countedRequests)).toFixed(2);
            const logPerRequest = (tally.logBytes / tally.requests).toFixed(0);
            figures.push({
                name: `${name}: latency`,
                unit: "ms",
                ...pick(summarize(tally.latenciesMs)),
                vsFloor: variant === "floor" ? undefined : pairedRatio(tally.blockMedians, t.floor.blockMedians),
                ...(variant === "ours" ? { vsPeer: pairedRatio(tally.blockMedians, t.peer.blockMedians) } : {}),
                runs,
                detail:
                    `per request: ${perRequest(tally.dynamoRequests)} DynamoDB requests, ${perRequest(tally.writeUnits)} WCU, ` +
                    `${perRequest(tally.readUnits)} RCU, ${logPerRequest} log bytes`,
                better: "lower",
            });
            figures.push({
                name: `${name}: throughput per warm container`,
                unit: "requests/s",
                ...pick(summarize(tally.blockRates)),
                vsFloor: variant === "floor" ? undefined : pairedRatio(tally.blockRates, t.floor.blockRates),
                ...(variant === "ours" ? { vsPeer: pairedRatio(tally.blockRates, t.peer.blockRates) } : {}),
                runs,
                better: "higher",
            });
        }
    }
    return {
        id: "submit-order",
        title: "SubmitOrder",
        method:
            "Each bundle (SDK bundled) runs warm in its own sandbox in the bench process, answering HTTP API 2.0 events for fresh " +
            `sample orders (1-5 lines) against the SQS emulator; ${options.warmup} warm-up requests per variant, then ` +
            `${runs} one after another per variant, ours / peer / SDK floor taking turns. Latency percentiles over every request; ` +
            "throughput per block (a container serves one request at a time). Timed requests go straight to the emulators; DynamoDB " +
            `requests and units come from a separate pass of ${options.perBlock} requests per side through the counting proxy ` +
            "(the peer's Idempotency utility writes its record twice per keyed request). Ratios: median of per-round ratios of block medians.",
        figures,
        data: Object.fromEntries(
            Object.entries(results).map(([mode, t]) => [
                mode,
                Object.fromEntries(
                    Object.entries(t).map(([v, tally]) => [
                        v,
                        { ...tally, latencySummary: summarize(tally.latenciesMs), latenciesMs: undefined },
                    ]),
                ),
            ]),
        ),
    };
}

function pick(summary: { median: number; p90: number; p99: number }) {
    return { median: summary.median, p90: summary.p90, p99: summary.p99 };
}
