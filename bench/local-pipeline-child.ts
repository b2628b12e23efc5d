/**
 * Runs `npm start`'s pipeline (startLocalPipeline, with every default) in its own process for the
 * local-pipeline benchmark, so that the load generator never shares its event loop. Talks to the
 * bench over IPC: it sends `{ type: "ready", apiUrl }`, answers `{ type: "stats" }` with the
 * pipeline's counts and its CPU time, `{ type: "count-table" }` with the items in the table, and
 * stops on `{ type: "stop" }`.
 */
import { createLocalClients } from "../local/pipeline/local-clients";
import { startLocalPipeline } from "../local/pipeline/pipeline";
import { countItems } from "../local/pipeline/pipeline-stats";
import type { PipelineVariant } from "./local-pipeline";

/** CPU time of this process (every thread) and of its main thread alone, in ms. */
function cpuMs(): { readonly process: number; readonly mainThread: number } {
    const all = process.cpuUsage();
    // process.threadCpuUsage: Node.js 23.9 and later.
    const main = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? all;
    return { process: (all.user + all.system) / 1000, mainThread: (main.user + main.system) / 1000 };
}

async function main(): Promise<void> {
    if (!process.send) throw new Error("local-pipeline-child must be started with an IPC channel (child_process.fork)");
    // The variant the bench asked for (see PipelineVariant), as JSON in the first argument.
    const variant = JSON.parse(process.argv[2] ?? "{}") as PipelineVariant;
    const pipeline = await startLocalPipeline({ port: 0, ...variant });
    const clients = createLocalClients(pipeline.endpoints);
    const answer = <T>(work: Promise<T>, reply: (value: T) => object) =>
        work.then(
            (value) => process.send!(reply(value)),
            (err: Error) => process.send!({ type: "error", message: err.message }),
        );
    process.on("message", (message: { type: string }) => {
        if (message.type === "stats") answer(pipeline.stats(), (stats) => ({ type: "stats", stats, cpuMs: cpuMs() }));
        // The table itself, counted once per level: what the drain poll's counters claim, checked.
        if (message.type === "count-table") answer(countItems(clients.dynamodb, pipeline.resources.tableName), (items) => ({ type: "count-table", items }));
        if (message.type === "stop") {
            clients.destroy();
            pipeline.stop().then(() => process.disconnect());
        }
    });
    process.send({ type: "ready", apiUrl: pipeline.apiUrl });
}

main().catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
});
