/**
 * Runs `npm start`'s pipeline (startLocalPipeline, with every default) in its own process for the
 * local-pipeline benchmark, so that the load generator never shares its event loop. Talks to the
 * bench over IPC: it sends `{ type: "ready", apiUrl }`, answers `{ type: "stats" }` with the
 * pipeline's counts and stops on `{ type: "stop" }`.
 */
import { startLocalPipeline } from "../local/pipeline/pipeline";

async function main(): Promise<void> {
    if (!process.send) throw new Error("local-pipeline-child must be started with an IPC channel (child_process.fork)");
    const pipeline = await startLocalPipeline({ port: 0 });
    process.on("message", (message: { type: string }) => {
        if (message.type === "stats") {
            pipeline.stats().then(
                (stats) => process.send!({ type: "stats", stats }),
                (err: Error) => process.send!({ type: "error", message: err.message }),
            );
        }
        if (message.type === "stop") {
            pipeline.stop().then(() => process.disconnect());
        }
    });
    process.send({ type: "ready", apiUrl: pipeline.apiUrl });
}

main().catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
});
