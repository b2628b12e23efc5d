/**
 * Runs `npm start`'s pipeline (startLocalPipeline, with every default unless the command line says
 * otherwise, see {@link pipelineOptions}) in its own process for the
 * local-pipeline benchmark, so that the load generator never shares its event loop. Talks to the
 * bench over IPC: it sends `{ type: "ready", apiUrl }`, answers `{ type: "stats" }` with the
 * pipeline's counts and its CPU time, `{ type: "count-table" }` with the items in the table, and
 * stops on `{ type: "stop" }`.
 */
import { createLocalClients } from "../local/pipeline/local-clients";
import { parseArgs } from "node:util";
import { startLocalPipeline, type LocalPipelineOptions } from "../local/pipeline/pipeline";
import { countItems } from "../local/pipeline/pipeline-stats";

/** CPU time of this process (every thread) and of its main thread alone, in ms. */
function cpuMs(): { readonly process: number; readonly mainThread: number } {
    const all = process.cpuUsage();
    // process.threadCpuUsage: Node.js 23.9 and later.
    const main = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? all;
    return { process: (all.user + all.system) / 1000, mainThread: (main.user + main.system) / 1000 };
}

/**
 * The pipeline's options from the command line: `--email-sender <address>` turns email on (and with
 * it the email-events path), `--ordinary-recipients deliver|ignore` says what an email to an
 * address outside SES's mailbox simulator publishes. Without them: every default (email off).
 */
function pipelineOptions(argv: readonly string[]): LocalPipelineOptions {
    const { values } = parseArgs({ args: [...argv], strict: true, options: { "email-sender": { type: "string" }, "ordinary-recipients": { type: "string" } } });
    const ordinary = values["ordinary-recipients"];
    if (ordinary !== undefined && ordinary !== "deliver" && ordinary !== "ignore") throw new Error(`--ordinary-recipients must be deliver or ignore, got ${ordinary}`);
    return {
        port: 0,
        ...(values["email-sender"] !== undefined ? { args: { email: { sender: values["email-sender"] } } } : {}),
        ...(ordinary !== undefined ? { ordinaryRecipients: ordinary } : {}),
    };
}

async function main(): Promise<void> {
    if (!process.send) throw new Error("local-pipeline-child must be started with an IPC channel (child_process.fork)");
    const pipeline = await startLocalPipeline(pipelineOptions(process.argv.slice(2)));
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
