/**
 * The local-pipeline benchmark alone, e.g. to compare variants in turns on a shared machine:
 * `npx tsx bench/run-local-pipeline.ts [--connections 50] [--seconds 30] [--rate 330] [--rate-connections 50] [--closed-only|--rate-only] [--email] [--worker-thread true|false] [--profile <dir>]`.
 * Prints the section's table, the load average before and after, and the levels as JSON.
 */
import * as os from "node:os";
import { parseArgs } from "node:util";
import { FULL_CONFIG } from "./run";
import { measureLocalPipeline } from "./local-pipeline";
import { textTable } from "./report";
import { DEFAULT_LOCAL_SENDER } from "../local/start/start-options";

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            connections: { type: "string" },
            seconds: { type: "string" },
            rate: { type: "string" },
            "rate-connections": { type: "string" },
            "closed-only": { type: "boolean" },
            "rate-only": { type: "boolean" },
            email: { type: "boolean" },
            profile: { type: "string" },
            "worker-thread": { type: "string" },
        },
    });
    const defaults = FULL_CONFIG.local;
    const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : Number(text));
    const seconds = number(values.seconds, defaults.sustained.seconds);
    const sustained = { connections: number(values.connections, defaults.sustained.connections), seconds };
    const fixedRate = {
        ratePerSecond: number(values.rate, defaults.fixedRate.ratePerSecond),
        connections: number(values["rate-connections"], defaults.fixedRate.connections),
        seconds,
    };
    const loadBefore = os.loadavg();
    const run = await measureLocalPipeline({
        concurrencies: [],
        seconds,
        drainTimeoutSeconds: defaults.drainTimeoutSeconds,
        ...(values["rate-only"] ? {} : { sustained }),
        ...(values["closed-only"] ? {} : { fixedRate }),
        // `npm start` sends confirmation emails by default; the full bench runs with email off.
        ...(values.profile ? { profileDir: values.profile } : {}),
        pipeline: {
            ...(values.email ? { args: { email: { sender: DEFAULT_LOCAL_SENDER } } } : {}),
            ...(values["worker-thread"] !== undefined ? { workerThread: values["worker-thread"] === "true" } : {}),
        },
    });
    const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(" ");
    process.stdout.write(`${textTable([run.section])}\n\nload average before ${load(loadBefore)}, after ${load(os.loadavg())}\n`);
    process.stdout.write(`${JSON.stringify(run.levels)}\n`);
}

main().catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
});
