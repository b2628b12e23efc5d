import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { SQSEvent } from "aws-lambda";
import { bundleHandler, packageRoot } from "../components/bundling";
import { alternate } from "./alternate";
import { functionName, sideName } from "./bundle-size";
import { FLOOR_ENTRIES, FUNCTION_KINDS, SIDES, entryOf, type FunctionKind, type Side } from "./entries";
import type { Figure, Section } from "./figures";
import { getOrderEvent, postOrderEvent, sampleOrder, seededRandom } from "./orders";
import { receiveMessages, sqsEventOf } from "./queue";
import type { BenchStack } from "./stack";
import { median, pairedRatio, summarize } from "./stats";

/** The Node.js binary the bench runs on: Node 24 from the `node` devDependency, as Lambda runs. */
export function nodeBinary(): string {
    return path.join(packageRoot(), "node_modules", ".bin", "node");
}

/**
 * The child process's whole program: read the event, then time `require` of the bundle (Lambda's
 * init phase) and the first invocation, and report both on file descriptor 3 so that the handler's
 * own stdout (its logs) stays apart. Plain JavaScript, so no loader runs before the clock starts.
 */
const RUNNER = `"use strict";
const fs = require("node:fs");
const { performance } = require("node:perf_hooks");
const [bundlePath, eventPath, functionName, timeoutMs] = process.argv.slice(2);
const event = JSON.parse(fs.readFileSync(eventPath, "utf8"));
const deadline = Date.now() + Number(timeoutMs);
const context = {
  callbackWaitsForEmptyEventLoop: true, functionName, functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:" + functionName,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, awsRequestId: "00000000-0000-4000-8000-000000000000",
  logGroupName: "/aws/lambda/" + functionName, logStreamName: "cold", getRemainingTimeInMillis: () => deadline - Date.now(),
};
const report = (value) => { fs.writeSync(3, JSON.stringify(value)); process.exit(0); };
const startedAt = performance.now();
let handler;
try { handler = require(bundlePath).handler; } catch (err) { report({ error: "import: " + err.message }); }
const loadedAt = performance.now();
Promise.resolve().then(() => handler(event, context)).then(
  (result) => report({ bootMs: startedAt, importMs: loadedAt - startedAt, answerMs: performance.now() - loadedAt, result }),
  (err) => report({ error: "invoke: " + (err && err.message) }),
);
`;

/** One timed cold start. */
interface ColdRun {
    /** From spawning the process until it exited after answering (what a cold request waits for, minus Lambda's own overhead). */
    readonly wallMs: number;
    /** Node's own start-up until the runner's first line. */
    readonly bootMs: number;
    /** `require` of the bundle: module load and top-level code (Lambda's init phase). */
    readonly importMs: number;
    /** The first invocation, SDK clients' first requests included. */
    readonly answerMs: number;
    /** Bytes the handler logged. */
    readonly logBytes: number;
}

/** A cold-start variant: which bundle, with which environment, answering which events. */
interface Variant {
    readonly id: string;
    readonly label: string;
    readonly file: string;
    readonly env: Record<string, string>;
    readonly functionName: string;
    /** The event for the n-th run (each run may need its own, e.g. a new order to store). */
    readonly event: (run: number) => unknown;
    /** Throws when the answer shows the handler did not do its job. */
    readonly check: (result: unknown) => void;
    readonly side?: Side;
    readonly kind?: FunctionKind;
    readonly bundled: boolean;
}

function runChild(node: string, runnerFile: string, variant: Variant, eventFile: string): Promise<ColdRun> {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(node, [runnerFile, variant.file, eventFile, variant.functionName, "30000"], {
            env: variant.env,
            stdio: ["ignore", "pipe", "pipe", "pipe"],
        });
        let logBytes = 0;
        let stderr = "";
        let report = "";
        child.stdout!.on("data", (chunk: Buffer) => (logBytes += chunk.length));
        child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => (report += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => {
            const wallMs = performance.now() - started;
            let parsed: { error?: string; bootMs: number; importMs: number; answerMs: number; result: unknown };
            try {
                parsed = JSON.parse(report);
            } catch {
                reject(new Error(`${variant.label}: the child exited with ${code} without a report. ${stderr.slice(0, 500)}`));
                return;
            }
            if (parsed.error) {
                reject(new Error(`${variant.label}: ${parsed.error} ${stderr.slice(0, 500)}`));
                return;
            }
            try {
                variant.check(parsed.result);
            } catch (err) {
                reject(err);
                return;
            }
            resolve({ wallMs, bootMs: parsed.bootMs, importMs: parsed.importMs, answerMs: parsed.answerMs, logBytes });
        });
    });
}

function expectStatus(expected: number) {
    return (result: unknown) => {
        const status = (result as { statusCode?: number } | undefined)?.statusCode;
        if (status !== expected) throw new Error(`expected HTTP ${expected}, the handler answered ${JSON.stringify(result).slice(0, 300)}`);
    };
}

function expectNoBatchFailures(result: unknown): void {
    const failures = (result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
    if (!Array.isArray(failures) || failures.length > 0) throw new Error(`ProcessOrder reported failures: ${JSON.stringify(result)}`);
}

/** Options of {@link measureColdStarts}. */
export interface ColdStartOptions {
    /** Fresh processes per variant. The bench uses 20. */
    readonly runs: number;
}

/**
 * Benchmark 2: cold module load. Each run spawns a fresh Node 24 process that requires one bundle
 * and answers one event against the emulators; variants take turns, one process at a time.
 * Bundles with the SDK left out resolve @aws-sdk/* from node_modules through NODE_PATH, the way
 * the Lambda runtime provides its copy (/var/runtime/node_modules is on Lambda's NODE_PATH).
 */
export async function measureColdStarts(stack: BenchStack, options: ColdStartOptions): Promise<Section> {
    const runs = options.runs;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-pipeline-cold-"));
    try {
        const runnerFile = path.join(dir, "runner.js");
        fs.writeFileSync(runnerFile, RUNNER);
        // Outside the package, so that nothing but NODE_PATH can resolve a left-out SDK.
        const write = (name: string, code: string) => {
            const file = path.join(dir, name, "index.js");
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, code);
            return file;
        };
        const nodePath = path.join(packageRoot(), "node_modules");
        const envFor = (side: Side, kind: FunctionKind, bundled: boolean) => ({
            ...stack.environment(side, kind),
            ...(bundled ? {} : { NODE_PATH: nodePath }),
        });

        // Inputs: a fresh order per SubmitOrder run, a fresh queue message per ProcessOrder run,
        // and one stored order for GetOrder, prepared in this process with each side's own code.
        const random = seededRandom(20);
        const inputs = {} as Record<Side, { process: SQSEvent[]; storedOrderId: string }>;
        for (const side of SIDES) {
            const submit = stack.loadFunction(side, "submit");
            const needed = 2 * runs + 1;
            for (let i = 0; i < needed; i++) {
                const answer = (await submit.invoke(postOrderEvent(JSON.stringify(sampleOrder(random, i))))) as { statusCode: number };
                expectStatus(202)(answer);
            }
            const events = (await receiveMessages(stack, side, needed)).map((m) => sqsEventOf(stack, side, [m]));
            const processFn = stack.loadFunction(side, "process");
            const stored = events.pop()!;
            expectNoBatchFailures(await processFn.invoke(stored));
            inputs[side] = { process: events, storedOrderId: JSON.parse(stored.Records[0].body).orderId };
        }

        const variants: Variant[] = [];
        variants.push({
            id: "floor/empty",
            label: "empty handler (floor)",
            file: write("floor-empty", bundleHandler(FLOOR_ENTRIES.empty).code),
            env: envFor("ours", "submit", true),
            functionName: "floor-empty",
            event: () => ({}),
            check: expectStatus(200),
            bundled: true,
        });
        for (const bundled of [true, false]) {
            variants.push({
                id: `floor/send-message/${bundled ? "bundled" : "external"}`,
                label: `SQS client + one SendMessage (SDK floor), SDK ${bundled ? "bundled" : "from runtime"}`,
                file: write(`floor-send-${bundled}`, bundleHandler(FLOOR_ENTRIES.sendMessage, { bundleAwsSdk: bundled }).code),
                env: envFor("ours", "submit", bundled),
                functionName: "floor-send",
                event: (run) => ({ body: JSON.stringify(sampleOrder(seededRandom(run), run)) }),
                check: expectStatus(202),
                bundled,
            });
        }
        for (const kind of FUNCTION_KINDS) {
            for (const side of SIDES) {
                for (const bundled of [true, false]) {
                    const submitRandom = seededRandom(1000 + (bundled ? 0 : 500));
                    const processEvents = inputs[side].process.slice(bundled ? 0 : runs, bundled ? runs : 2 * runs);
                    variants.push({
                        id: `${side}/${kind}/${bundled ? "bundled" : "external"}`,
                        label: `${functionName(kind)} ${sideName(side)}, SDK ${bundled ? "bundled" : "from runtime"}`,
                        file: write(`${side}-${kind}-${bundled}`, bundleHandler(entryOf(side, kind), { bundleAwsSdk: bundled }).code),
                        env: envFor(side, kind, bundled),
                        functionName: `${side}-${kind}`,
                        event:
                            kind === "submit"
                                ? (run) => postOrderEvent(JSON.stringify(sampleOrder(submitRandom, run)))
                                : kind === "process"
                                  ? (run) => processEvents[run]
                                  : () => getOrderEvent(inputs[side].storedOrderId),
                        check: kind === "submit" ? expectStatus(202) : kind === "process" ? expectNoBatchFailures : expectStatus(200),
                        side,
                        kind,
                        bundled,
                    });
                }
            }
        }

        const node = nodeBinary();
        const samples = new Map<string, ColdRun[]>(variants.map((v) => [v.id, []]));
        await alternate(variants, runs, async (variant, round) => {
            const eventFile = path.join(dir, `event-${variant.id.replaceAll("/", "-")}.json`);
            fs.writeFileSync(eventFile, JSON.stringify(variant.event(round)));
            samples.get(variant.id)!.push(await runChild(node, runnerFile, variant, eventFile));
        });

        return summarizeColdStarts(variants, samples, runs);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function summarizeColdStarts(variants: readonly Variant[], samples: Map<string, ColdRun[]>, runs: number): Section {
    const wall = (id: string) => samples.get(id)!.map((r) => r.wallMs);
    const floorWall = wall("floor/empty");
    const figures: Figure[] = [];
    const data: Record<string, unknown> = {};
    for (const variant of variants) {
        const runsOf = samples.get(variant.id)!;
        const summary = summarize(runsOf.map((r) => r.wallMs));
        const importMs = median(runsOf.map((r) => r.importMs));
        const answerMs = median(runsOf.map((r) => r.answerMs));
        const bootMs = median(runsOf.map((r) => r.bootMs));
        const peerId = variant.side === "ours" ? variant.id.replace(/^ours\//, "peer/") : undefined;
        data[variant.id] = { wallMs: summary, importMs, answerMs, bootMs, logBytes: median(runsOf.map((r) => r.logBytes)), runs: runsOf };
        figures.push({
            name: variant.label,
            unit: "ms",
            median: summary.median,
            p90: summary.p90,
            p99: summary.p99,
            vsFloor: pairedRatio(wall(variant.id), floorWall),
            ...(peerId ? { vsPeer: pairedRatio(wall(variant.id), wall(peerId)) } : {}),
            runs: `${runs} fresh processes`,
            detail: `Node start ${bootMs.toFixed(0)} + import ${importMs.toFixed(1)} + first answer ${answerMs.toFixed(1)} ms (medians)`,
            better: "lower",
        });
    }
    return {
        id: "cold-start",
        title: "Cold module load",
        method:
            `Wall time from spawning a fresh Node ${process.versions.node.split(".")[0]} process until it exits after answering one event ` +
            "(Node start-up, require of the bundle, first invocation with its SDK requests to the emulators on 127.0.0.1); " +
            `${runs} runs per variant, variants taking turns one process at a time. SDK "from runtime": @aws-sdk/* resolved from ` +
            "node_modules via NODE_PATH, as Lambda's runtime provides it. Ratios: median of per-round ratios (this variant / floor, " +
            "ours / peer) from the same round, so drift of the shared machine cancels out.",
        figures,
        data,
    };
}
