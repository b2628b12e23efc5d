/**
 * `npm run bench`: every benchmark in one run, ours and the peer taking turns within each, then
 * one table on the terminal and the same as JSON and Markdown under bench/results/, with a chart.
 * `npm run bench -- --tiny` runs every benchmark on tiny sizes (what the smoke test does);
 * `npm run bench -- --skip-npm-test` leaves out the timing of `npm test`;
 * `npm run bench -- --cost` runs only what the cost figures need (cold starts, SubmitOrder,
 * ProcessOrder, the idle inventory) and puts its sections and goal rows into the last results.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { bundleHandler, packageRoot } from "../components/bundling";
import { BATCH_SIZE } from "../contract/defaults";
import { HANDLER_ENTRIES } from "../contract/functions";
import { measureBundleSizes, sideName } from "./bundle-size";
import { renderChart, type Panel } from "./chart";
import { measureColdStarts } from "./cold-start";
import { costPerMillionOrders, costSection, floorUsage, idleFigures, idleMonthCost, type DesignUsage } from "./cost";
import { goalsSection, measureNpmTest, type NpmTestRun } from "./goals";
import { defaultIdleInventory, type IdleInventory } from "./idle-inventory";
import type { Section } from "./figures";
import { measureLocalPipeline, type LevelResult, type PipelineVariant } from "./local-pipeline";
import { sampleOrder, seededRandom } from "./orders";
import { measureProcessOrder, totalUsage, type ProcessResults } from "./process-order";
import { markdownReport, textTable } from "./report";
import { startBenchStack } from "./stack";
import { median, pairedRatio } from "./stats";
import { measureSubmitOrder, type SubmitResults } from "./submit-order";
import { measureValidation } from "./validation";
import { PRICES_TAKEN_ON } from "./prices";

/** Sizes of every benchmark. */
export interface BenchConfig {
    readonly coldRuns: number;
    readonly validation: { readonly rounds: number; readonly passes: number; readonly inputs: number };
    readonly submit: { readonly rounds: number; readonly perBlock: number; readonly warmup: number };
    readonly process: { readonly rounds: number; readonly batchSize: number; readonly batchesPerBlock: number; readonly countedBatches: number; readonly redeliveredBatches: number };
    readonly local: {
        readonly concurrencies: readonly number[];
        readonly seconds: number;
        readonly drainTimeoutSeconds: number;
        readonly sustained: { readonly connections: number; readonly seconds: number; readonly requests?: number };
        /** The goal's load: an offered rate, open loop, so that latency is service time plus real queueing. */
        readonly fixedRate: { readonly ratePerSecond: number; readonly connections: number; readonly seconds: number };
        /** What the pipeline runs with, if not every default (as `npm start` runs it). */
        readonly pipeline?: PipelineVariant;
    };
    /** Time `npm test` once (not in the tiny bench, which `npm test` itself runs). */
    readonly npmTest: boolean;
    /** Only the benchmarks the cost figures are computed from: no bundle sizes, validation or local pipeline. */
    readonly costOnly?: boolean;
}

/** The full bench: about 8 to 10 minutes on a 2-core machine, `npm test` included. */
export const FULL_CONFIG: BenchConfig = {
    coldRuns: 20,
    validation: { rounds: 10, passes: 20, inputs: 100 },
    submit: { rounds: 10, perBlock: 100, warmup: 50 },
    process: { rounds: 8, batchSize: BATCH_SIZE, batchesPerBlock: 5, countedBatches: 5, redeliveredBatches: 2 },
    local: { concurrencies: [1, 10, 50], seconds: 8, drainTimeoutSeconds: 120, sustained: { connections: 50, seconds: 30 }, fixedRate: { ratePerSecond: 330, connections: 50, seconds: 30 } },
    npmTest: true,
};

/** The cost parts of the full bench, at the full bench's sizes: about 2 minutes. */
export const COST_CONFIG: BenchConfig = { ...FULL_CONFIG, npmTest: false, costOnly: true };

/** Every benchmark on tiny sizes: proves they all still run, figures mean nothing. */
export const TINY_CONFIG: BenchConfig = {
    coldRuns: 1,
    validation: { rounds: 1, passes: 1, inputs: 5 },
    submit: { rounds: 1, perBlock: 3, warmup: 1 },
    // Batches of 2, not the component's 10: every path (warm-up, timed, counted, redelivered) still
    // runs on more than one order, on a fifth of the orders.
    process: { rounds: 1, batchSize: 2, batchesPerBlock: 1, countedBatches: 1, redeliveredBatches: 1 },
    local: {
        concurrencies: [],
        seconds: 1,
        drainTimeoutSeconds: 30,
        // 20 orders, not the 50 to 100 that two connections send in autocannon's shortest timed load.
        sustained: { connections: 2, seconds: 1, requests: 20 },
        fixedRate: { ratePerSecond: 5, connections: 2, seconds: 1 },
        // No batching window: a handful of orders is processed at once instead of a second later,
        // so that each drain is over in milliseconds (the full bench keeps the default window).
        pipeline: { args: { processing: { maxBatchingWindowSeconds: 0 } } },
    },
    npmTest: false,
};

/** Everything one run produced. */
export interface BenchRun {
    readonly sections: readonly Section[];
    readonly chartSvg: string;
    readonly json: unknown;
    readonly markdown: string;
    readonly table: string;
    readonly local: readonly LevelResult[];
}

/** True when the component's default bundle is the one with the AWS SDK inside. */
function defaultBundlesSdk(): boolean {
    return bundleHandler(HANDLER_ENTRIES.submit).sha256 === bundleHandler(HANDLER_ENTRIES.submit, { bundleAwsSdk: true }).sha256;
}

interface ColdData {
    readonly [id: string]: { readonly wallMs: { readonly median: number }; readonly importMs: number; readonly runs: readonly { readonly wallMs: number }[] };
}

/**
 * The SDK-bundling decision, from the cold starts of our three handlers: per handler the median
 * of the per-round ratios bundled / from-runtime (both ran in the same round), then their mean.
 */
function bundlingNotes(cold: ColdData): string[] {
    const kinds = ["submit", "process", "get"] as const;
    const ratios = kinds.map((kind) =>
        pairedRatio(
            cold[`ours/${kind}/bundled`].runs.map((r) => r.wallMs),
            cold[`ours/${kind}/external`].runs.map((r) => r.wallMs),
        ),
    );
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const parts = kinds.map(
        (kind, i) =>
            `${kind} ${cold[`ours/${kind}/bundled`].wallMs.median.toFixed(0)} ms bundled vs ${cold[`ours/${kind}/external`].wallMs.median.toFixed(0)} ms from the runtime (paired ratio ${ratios[i].toFixed(2)}x)`,
    );
    const verdict = mean < 1 ? "bundling the SDK starts faster (bundleAwsSdk: true)" : "leaving the SDK to the runtime starts faster (bundleAwsSdk: false)";
    return [`SDK bundling, cold-start medians: ${parts.join("; ")}; mean ratio ${mean.toFixed(2)}x: ${verdict}. The component's default bundles the SDK: ${defaultBundlesSdk()}.`];
}

function processNotes(results: ProcessResults): string[] {
    const notes: string[] = [];
    for (const mode of ["email", "no-email"] as const) {
        const ours = results[mode].ours;
        const peer = results[mode].peer;
        const o = totalUsage(ours.usage);
        const p = totalUsage(peer.usage);
        notes.push(
            `${mode === "email" ? "With email" : "Email off"}: ours ${(o.writeUnits / ours.countedOrders).toFixed(2)} WCU per order ` +
                `(${Object.entries(ours.usage).map(([t, u]) => `${t}: ${Object.entries(u.requests).map(([op, n]) => `${op} ${(n / ours.countedOrders).toFixed(2)}`).join(", ")}`).join("; ")}), ` +
                `the peer ${(p.writeUnits / peer.countedOrders).toFixed(2)} ` +
                `(${Object.entries(peer.usage).map(([t, u]) => `${t}: ${Object.entries(u.requests).map(([op, n]) => `${op} ${(n / peer.countedOrders).toFixed(2)}`).join(", ")}`).join("; ")}); the floor is 1.`,
        );
    }
    return notes;
}

/**
 * Builds the cost inputs of each design from the other benchmarks' measurements. ProcessOrder's
 * batches held `batchSize` orders; the cost model bills batches of the component's BATCH_SIZE.
 */
function costDesigns(cold: ColdData, submit: SubmitResults, process: ProcessResults, batchSize: number, local: readonly LevelResult[]) {
    const requestBytes = median(Array.from({ length: 50 }, (_, n) => Buffer.byteLength(JSON.stringify(sampleOrder(seededRandom(9), n)))));
    const variant = defaultBundlesSdk() ? "bundled" : "external";
    const build = (side: "ours" | "peer", keyed: boolean, email: boolean, label: string): DesignUsage => {
        const s = submit[keyed ? "with-key" : "without-key"][side];
        const p = process[email ? "email" : "no-email"][side];
        const pu = totalUsage(p.usage);
        const perSubmit = (n: number) => n / Math.max(1, s.countedRequests);
        return {
            label,
            submitMs: median(s.latenciesMs),
            processBatchMs: (median(p.batchMs) * BATCH_SIZE) / batchSize,
            initMs: { submit: cold[`${side}/submit/${variant}`].importMs, process: cold[`${side}/process/${variant}`].importMs },
            writeUnits: perSubmit(s.writeUnits) + pu.writeUnits / p.countedOrders,
            readUnits: perSubmit(s.readUnits) + pu.readUnits / p.countedOrders,
            logBytes: s.logBytes / s.requests + p.logBytes / p.orders,
            platformLogBytes: s.platformBytes / s.requests + p.platformBytes / p.orders,
            requestBytes,
            messageBytes: median(p.messageBytes),
            email,
        };
    };
    const messageBytes = median(process.email.ours.messageBytes);
    const designs = [
        { id: "floor", withEmail: floorUsage(requestBytes, messageBytes, true), withoutEmail: floorUsage(requestBytes, messageBytes, false) },
        { id: "ours", withEmail: build("ours", true, true, "order-pipeline"), withoutEmail: build("ours", true, false, "order-pipeline") },
        {
            id: "peer",
            withEmail: build("peer", true, true, "peer, Idempotency-Key on every POST"),
            withoutEmail: build("peer", true, false, "peer, Idempotency-Key on every POST"),
        },
        {
            id: "peer-unkeyed",
            withEmail: build("peer", false, true, "peer, no Idempotency-Key"),
            withoutEmail: build("peer", false, false, "peer, no Idempotency-Key"),
        },
    ];
    const notes: string[] = [];
    const localLevel = local[local.length - 1];
    if (localLevel) {
        notes.push(
            `Log volume cross-check: the local pipeline logged ${localLevel.logBytesPerOrder.toFixed(0)} B per order at ${localLevel.concurrency} connections ` +
                `(batches of ${(localLevel.accepted / Math.max(1, localLevel.invocations.process)).toFixed(1)} orders); the cost model uses ` +
                `${designs[1].withEmail.logBytes.toFixed(0)} B per order from batches of ${batchSize}.`,
        );
    }
    return { designs, notes };
}

function chartPanels(sections: readonly Section[], cold: ColdData, costData: Record<string, { cost: ReturnType<typeof costPerMillionOrders>; usage: DesignUsage }>): Panel[] {
    const coldBar = (id: string, label: string, tone: "floor" | "ours" | "peer") => ({ label, value: cold[id].wallMs.median, tone });
    const variant = defaultBundlesSdk() ? "bundled" : "external";
    const other = variant === "bundled" ? "external" : "bundled";
    const sdk = (v: string) => (v === "bundled" ? "SDK bundled" : "SDK from runtime");
    const cost = (id: string, tone: "floor" | "ours" | "peer") => {
        const { cost: c, usage } = costData[`${id}/no-email`];
        return {
            label: usage.label,
            value: c.total,
            tone,
            segments: [
                { name: "API Gateway", value: c.apiGateway },
                { name: "Lambda", value: c.lambdaRequests + c.lambdaDuration + c.lambdaInit },
                { name: "SQS", value: c.sqs },
                { name: "DynamoDB", value: c.dynamoDb },
                { name: "Logs", value: c.logs },
            ],
        };
    };
    const wcu = (side: "ours" | "peer", mode: string) =>
        sections.find((s) => s.id === "process-order")!.figures.find((f) => f.name === `ProcessOrder ${sideName(side)}, ${mode}: DynamoDB write units per order`)!.median;
    return [
        {
            title: "Cold start: fresh Node 24 process, import + first answer (median ms)",
            unit: "ms",
            bars: [
                coldBar("floor/empty", "empty handler (floor)", "floor"),
                coldBar(`floor/send-message/${variant}`, `SQS client + SendMessage (${sdk(variant)})`, "floor"),
                coldBar(`ours/submit/${variant}`, `SubmitOrder, ${sdk(variant)}`, "ours"),
                coldBar(`ours/submit/${other}`, `SubmitOrder, ${sdk(other)}`, "ours"),
                coldBar(`peer/submit/${variant}`, `SubmitOrder peer, ${sdk(variant)}`, "peer"),
                coldBar(`ours/process/${variant}`, `ProcessOrder, ${sdk(variant)}`, "ours"),
                coldBar(`ours/process/${other}`, `ProcessOrder, ${sdk(other)}`, "ours"),
                coldBar(`peer/process/${variant}`, `ProcessOrder peer, ${sdk(variant)}`, "peer"),
            ],
        },
        {
            title: `Cost per million orders, email off (email adds $${(costData["floor/email"].cost.ses).toFixed(0)} of SES to every design), USD`,
            unit: "$",
            decimals: 2,
            bars: [cost("floor", "floor"), cost("ours", "ours"), cost("peer", "peer"), cost("peer-unkeyed", "peer")],
        },
        {
            title: "DynamoDB write units per order (ProcessOrder)",
            unit: "WCU",
            decimals: 2,
            bars: [
                { label: "floor: one write", value: 1, tone: "floor" },
                { label: "order-pipeline, with email", value: wcu("ours", "with email"), tone: "ours" },
                { label: "peer, with email", value: wcu("peer", "with email"), tone: "peer" },
                { label: "order-pipeline, email off", value: wcu("ours", "email off"), tone: "ours" },
                { label: "peer, email off", value: wcu("peer", "email off"), tone: "peer" },
            ],
        },
    ];
}

/** Runs every benchmark with the given sizes. `progress` receives one line per step. */
export async function runBench(config: BenchConfig, progress: (line: string) => void = () => {}): Promise<BenchRun> {
    const started = performance.now();
    const loadBefore = os.loadavg()[0];
    const sections: Section[] = [];

    let validation: Section | undefined;
    if (!config.costOnly) {
        progress("bundle sizes...");
        sections.push(measureBundleSizes());
        progress("validation cost...");
        validation = await measureValidation(config.validation);
    }

    const stack = await startBenchStack();
    let cold: Section;
    let submit: Awaited<ReturnType<typeof measureSubmitOrder>>;
    let processOrder: Awaited<ReturnType<typeof measureProcessOrder>>;
    try {
        progress(`cold starts: ${config.coldRuns} fresh processes per variant...`);
        cold = await measureColdStarts(stack, { runs: config.coldRuns });
        progress("SubmitOrder...");
        submit = await measureSubmitOrder(stack, config.submit);
        progress("ProcessOrder...");
        processOrder = await measureProcessOrder(stack, config.process);
    } finally {
        await stack.stop();
    }
    let local: Awaited<ReturnType<typeof measureLocalPipeline>> | undefined;
    let idleInventory: Promise<IdleInventory> | undefined;
    const idleMonth = () => {
        progress("idle month of a default deployment...");
        return (idleInventory = defaultIdleInventory());
    };
    if (!config.costOnly) {
        progress("local pipeline...");
        // The idle inventory (untimed) is taken while the pipeline's process stops.
        local = await measureLocalPipeline({ ...config.local, whileStopping: idleMonth });
    }
    const inventory = await (idleInventory ?? idleMonth());
    let npmTest: NpmTestRun | undefined;
    if (config.npmTest) {
        progress("npm test...");
        npmTest = measureNpmTest();
    }

    const coldData = cold.data as ColdData;
    sections.push({ ...cold, notes: bundlingNotes(coldData) });
    sections.push(submit.section, ...(validation ? [validation] : []));
    sections.push({ ...processOrder.section, notes: processNotes(processOrder.results) });
    if (local) sections.push(local.section);
    const { designs, notes } = costDesigns(coldData, submit.results, processOrder.results, config.process.batchSize, local?.levels ?? []);
    const cost = costSection(designs);
    const idle = idleMonthCost(inventory);
    sections.push({ ...cost, figures: [...cost.figures, ...idleFigures(inventory, idle)], notes });

    const costOf = (id: string) => (cost.data as Record<string, { cost: ReturnType<typeof costPerMillionOrders>; usage: DesignUsage }>)[`${id}/no-email`];
    const rejected = validation?.figures.find((f) => f.name.startsWith("ours") && f.name.endsWith("JSON text to order, invalid orders"));
    const peerRejected = validation?.figures.find((f) => f.name.startsWith("peer") && f.name.endsWith("JSON text to order, invalid orders"));
    sections.unshift(
        goalsSection({
            npmTest,
            sustained: local?.levels.find((l) => l.sustained && l.ratePerSecond === undefined),
            fixedRate: local?.levels.find((l) => l.ratePerSecond !== undefined),
            rejectedValidation: rejected && peerRejected ? { oursUs: rejected.median, peerUs: peerRejected.median, ratio: rejected.vsPeer ?? rejected.median / peerRejected.median } : undefined,
            costVsFloor: { ours: costOf("ours").cost.total / costOf("floor").cost.total, peer: costOf("peer").cost.total / costOf("floor").cost.total },
            logBytes: { ours: costOf("ours").usage.logBytes, peer: costOf("peer").usage.logBytes },
            idleMonth: idle.total,
        }),
    );

    const durationSeconds = (performance.now() - started) / 1000;
    const date = new Date().toISOString();
    const cpus = os.cpus();
    const machine = `${cpus.length} x ${cpus[0]?.model ?? "unknown CPU"}, Node ${process.versions.node}, load average ${loadBefore.toFixed(1)} at start and ${os.loadavg()[0].toFixed(1)} at end`;
    const chartSvg = renderChart(
        chartPanels(sections, coldData, cost.data as Record<string, { cost: ReturnType<typeof costPerMillionOrders>; usage: DesignUsage }>),
        `npm run bench, ${date.slice(0, 10)}; medians; prices taken ${PRICES_TAKEN_ON}; ${cpus.length}-core shared machine, so compare ratios, not absolute times.`,
    );
    const markdown = markdownReport(sections, { date, machine, durationSeconds, chart: "summary.svg" });
    const json = { date, machine, durationSeconds, config, sections };
    return { sections, chartSvg, json, markdown, table: textTable(sections), local: local?.levels ?? [] };
}

/**
 * Puts a cost-only run into the last full results: its sections replace those of the same id, and
 * its goal rows those of the same name; the other sections and goal rows stay as they were measured.
 */
export function mergeCostRun(previous: { readonly sections: readonly Section[] }, run: BenchRun): Section[] {
    const fresh = new Map(run.sections.map((section) => [section.id, section]));
    return previous.sections.map((section) => {
        const replacement = fresh.get(section.id);
        if (!replacement) return section;
        if (section.id !== "goals") return replacement;
        const rows = new Map(replacement.figures.map((figure) => [figure.name, figure]));
        return { ...section, figures: section.figures.map((figure) => rows.get(figure.name) ?? figure) };
    });
}

/** Writes a cost-only run into the results in `dir`, merged with the last full run there. */
export function writeCostResults(run: BenchRun, dir: string): void {
    const previous = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8")) as { date: string; machine: string; durationSeconds: number; sections: Section[]; costRun?: unknown };
    const sections = mergeCostRun(previous, run);
    const costRun = run.json as { date: string; machine: string; durationSeconds: number };
    const markdown = markdownReport(sections, {
        date: previous.date,
        machine: previous.machine,
        durationSeconds: previous.durationSeconds,
        chart: "summary.svg",
        rerun: `Cold module load, SubmitOrder, ProcessOrder, Cost per million orders and their goal rows re-measured on ${costRun.date} (${costRun.machine}; ${costRun.durationSeconds.toFixed(0)} s, \`npm run bench -- --cost\`).`,
    });
    fs.writeFileSync(path.join(dir, "results.json"), `${JSON.stringify({ ...previous, sections, costRun: { date: costRun.date, machine: costRun.machine, durationSeconds: costRun.durationSeconds } }, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "results.md"), markdown);
    fs.writeFileSync(path.join(dir, "summary.svg"), run.chartSvg);
}

/** Writes results.json, results.md and summary.svg into `dir`. */
export function writeResults(run: BenchRun, dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "results.json"), `${JSON.stringify(run.json, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "results.md"), run.markdown);
    fs.writeFileSync(path.join(dir, "summary.svg"), run.chartSvg);
}

async function main(): Promise<void> {
    const tiny = process.argv.includes("--tiny");
    const costOnly = process.argv.includes("--cost");
    // `--skip-npm-test`: every benchmark but the timing of `npm test` (which takes minutes).
    const config = tiny ? TINY_CONFIG : costOnly ? COST_CONFIG : { ...FULL_CONFIG, npmTest: !process.argv.includes("--skip-npm-test") };
    const run = await runBench(config, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`${run.table}\n\n`);
    for (const section of run.sections) for (const note of section.notes ?? []) process.stdout.write(`- ${note}\n`);
    if (tiny) return;
    const dir = path.join(packageRoot(), "bench", "results");
    if (costOnly) writeCostResults(run, dir);
    else writeResults(run, dir);
    process.stdout.write(`\nWritten: ${path.relative(process.cwd(), dir)}/results.json, results.md, summary.svg\n`);
}

if (require.main === module) {
    main().catch((err: Error) => {
        process.stderr.write(`${err.stack ?? err.message}\n`);
        process.exit(1);
    });
}
