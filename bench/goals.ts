import { spawnSync } from "node:child_process";
import { packageRoot } from "../components/bundling";
import type { Figure, Section } from "./figures";
import type { LevelResult } from "./local-pipeline";

/** `npm test` timed once: wall time, CPU of every process it started, and whether it passed. */
export interface NpmTestRun {
    readonly wallSeconds: number;
    readonly cpuSeconds: number;
    readonly passed: boolean;
}

/**
 * Runs `npm test` (type check, then every test) in the package root and times it with the
 * shell's `time`, which also counts the CPU of its child processes.
 */
export function measureNpmTest(): NpmTestRun {
    const run = spawnSync("bash", ["-c", 'TIMEFORMAT="%R %U %S"; { time npm test >/dev/null 2>&1; } 2>&1'], {
        cwd: packageRoot(),
        encoding: "utf8",
    });
    const [wall, user, sys] = run.stdout.trim().split("\n").pop()!.split(" ").map(Number);
    // The group's status, and so the shell's, is npm test's.
    return { wallSeconds: wall, cpuSeconds: user + sys, passed: run.status === 0 };
}

/** What the goals are checked against, from the other benchmarks. */
export interface GoalInputs {
    readonly npmTest: NpmTestRun | undefined;
    /** The closed-loop level at saturation. */
    readonly sustained: LevelResult | undefined;
    /** The open-loop level at the goal's offered rate: the goals' figures. */
    readonly fixedRate: LevelResult | undefined;
    /** Our rejected-order validation divided by the peer's. */
    readonly rejectedValidation: { readonly oursUs: number; readonly peerUs: number; readonly ratio: number } | undefined;
    /** Cost per million orders with email off, divided by the floor's: ours and the peer's. */
    readonly costVsFloor: { readonly ours: number; readonly peer: number };
    /** Handler log bytes per order (email off): ours and the peer's. */
    readonly logBytes: { readonly ours: number; readonly peer: number };
    /** The idle month with the defaults, list prices. */
    readonly idleMonth: number;
}

function goal(name: string, unit: string, value: number, target: string, met: boolean, runs: string, detail: string, better: Figure["better"], vsPeer?: number): Figure {
    return { name, unit, median: value, runs, detail: `goal ${target}: ${met ? "met" : "NOT met"}; ${detail}`, better, ...(vsPeer === undefined ? {} : { vsPeer }) };
}

/** The issue's table: each figure beside its goal, and the peer's where it has one. */
export function goalsSection(inputs: GoalInputs): Section {
    const figures: Figure[] = [];
    if (inputs.npmTest) {
        const t = inputs.npmTest;
        figures.push(goal("npm test wall time", "s", t.wallSeconds, "<= 90 s", t.wallSeconds <= 90 && t.passed, "1 run", `${t.cpuSeconds.toFixed(0)} CPU s (user + sys, child processes included); ${t.passed ? "passed" : "FAILED"}`, "lower"));
    }
    const s = inputs.sustained;
    const f = inputs.fixedRate;
    if (f) {
        // The goal's load is an offered rate (open loop): at saturation a closed loop's latency is only connections / throughput.
        const load = `${f.ratePerSecond} orders/s offered over at most ${f.concurrency} connections, ${f.loadSeconds.toFixed(0)} s`;
        const saturated = s ? `; closed loop at ${s.concurrency} connections (saturation): ${(s.accepted / s.loadSeconds).toFixed(0)} orders/s accepted, ${s.endToEndPerSecond.toFixed(0)} end to end, p99 ${s.p99Ms.toFixed(0)} ms` : "";
        figures.push(goal("local pipeline, fixed offered rate: orders per second end to end", "orders/s", f.endToEndPerSecond, ">= 300", f.endToEndPerSecond >= 300, load, `${f.accepted} accepted, all stored ${f.drainSeconds.toFixed(1)} s after the load${saturated}`, "higher"));
        figures.push(goal("local pipeline, fixed offered rate: 202 latency p99", "ms", f.p99Ms, "<= 100 ms", f.p99Ms <= 100, load, `open loop, each latency from the request's scheduled time; median ${f.p50Ms.toFixed(1)} ms; load generator's own lag p99 ${(f.issueLagP99Ms ?? NaN).toFixed(1)} ms${saturated}`, "lower"));
        const lost = f.lost + (s?.lost ?? 0);
        figures.push(goal("local pipeline, fixed offered rate and saturated: orders lost", "orders", lost, "0", lost === 0, `${load}${s ? `; ${s.concurrency} connections, ${s.loadSeconds.toFixed(0)} s` : ""}`, `stored ${f.stored + (s?.stored ?? 0)} (counted in the table), DLQ ${f.dlq + (s?.dlq ?? 0)}`, "lower"));
        figures.push(goal("local pipeline, fixed offered rate: CPU per order", "ms", f.cpuMsPerOrder.process, "<= 5 ms", f.cpuMsPerOrder.process <= 5, load, `every thread of the pipeline's process; main thread ${f.cpuMsPerOrder.mainThread.toFixed(2)} ms`, "lower"));
    }
    const v = inputs.rejectedValidation;
    if (v) {
        figures.push(goal("validation of a rejected order (JSON text to problem)", "µs", v.oursUs, "<= 1.0x the peer", v.ratio <= 1, "see Validation cost", `peer ${v.peerUs.toFixed(1)} µs`, "lower", v.ratio));
    }
    figures.push(goal("cost per 1M orders, email off, vs the floor", "x floor", inputs.costVsFloor.ours, "<= 1.15x", inputs.costVsFloor.ours <= 1.15, "computed", `peer ${inputs.costVsFloor.peer.toFixed(2)}x the floor`, "lower", inputs.costVsFloor.ours / inputs.costVsFloor.peer));
    figures.push(goal("log bytes per order", "bytes", inputs.logBytes.ours, "<= the peer", inputs.logBytes.ours <= inputs.logBytes.peer, "measured", `peer ${inputs.logBytes.peer.toFixed(0)} B`, "lower", inputs.logBytes.ours / inputs.logBytes.peer));
    figures.push(goal("idle cost per month with the defaults", "$ / month", inputs.idleMonth, "<= $1", inputs.idleMonth <= 1, "computed", "list prices, no free tier; itemised under Cost", "lower"));
    return {
        id: "goals",
        title: "Goals",
        method:
            "Each figure of the performance issue's table beside its goal, taken from the benchmarks below in the same run; the peer's " +
            "figure where it has one. `npm test` is timed once with the shell's `time` (CPU includes its child processes) in the full " +
            "bench only; the sustained local-pipeline level, the rejected-order validation and the costs come from their sections.",
        figures,
    };
}
