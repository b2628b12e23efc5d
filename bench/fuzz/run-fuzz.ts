/**
 * `npm run fuzz -- --seed <n> --runs <n>`: fuzzes local mode end to end (see {@link runOrderFuzz})
 * on a fresh in-memory pipeline, prints the runs, the inputs by class and the outcomes, and exits 1
 * when an expectation broke. The same seed draws the same inputs.
 */
import { parseArgs } from "node:util";
import { startLocalPipeline } from "../../local/pipeline/pipeline";
import { formatFuzzReport, runOrderFuzz } from "./order-fuzz";

const USAGE = "usage: npm run fuzz -- [--seed <integer>] [--runs <integer>]   (defaults: a random seed, 2000 runs)";

function integer(value: string | undefined, name: string, fallback: number): number {
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) throw new Error(`${name} must be an integer, not ${JSON.stringify(value)}\n${USAGE}`);
    return Number(value);
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { seed: { type: "string" }, runs: { type: "string" } } });
    const seed = integer(values.seed, "--seed", Math.floor(Math.random() * 2 ** 31));
    const runs = integer(values.runs, "--runs", 2000);
    if (runs < 1) throw new Error(`--runs must be at least 1\n${USAGE}`);
    const pipeline = await startLocalPipeline({ name: "fuzz", args: { email: { sender: "fuzz@example.com" } }, onLog: () => {} });
    try {
        const started = Date.now();
        const report = await runOrderFuzz(pipeline, { seed, runs });
        process.stdout.write(`${formatFuzzReport(report)}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
        process.exitCode = report.problems.length === 0 ? 0 : 1;
    } finally {
        await pipeline.stop();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
});
