/**
 * `npm start`: the whole order pipeline on this machine, on 127.0.0.1 only. Prints where
 * everything is, shows a live status line, and shuts down cleanly on Ctrl-C.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { OrderPipelineArgsError } from "../../contract/problems";
import { packageRoot } from "../../components/bundling";
import { LOCAL_REGION } from "../lambda/lambda-environment";
import { formatStatus } from "../pipeline/pipeline-stats";
import { startLocalPipeline, type LocalPipeline } from "../pipeline/pipeline";
import { sampleCurls, subscriberCurl } from "../pipeline/sample-order";
import { runArgs, type RunArgs } from "./run-args";
import { parseStartOptions, START_USAGE, UsageError, type StartOptions } from "./start-options";
import { removeLocalState, stateFileIn, writeLocalState } from "../pipeline/state-file";
import { StatusLine } from "./status-line";
import { emailEventLines, optionLines } from "./option-banner";

/** A second signal this soon after the first is the same Ctrl-C, forwarded by a wrapper process. */
const FORWARDED_SIGNAL_WINDOW_MS = 1_000;

/** One log file per function under `<localDir>/logs/`; a fresh run starts them empty unless data is kept. */
function openLogFiles(options: StartOptions): { write: (fn: string, line: string) => void; close: () => Promise<void> } {
    const dir = path.join(options.localDir, "logs");
    fs.mkdirSync(dir, { recursive: true });
    const files = new Map<string, fs.WriteStream>();
    return {
        write(fn, line) {
            let file = files.get(fn);
            if (!file) {
                file = fs.createWriteStream(path.join(dir, `${fn}.log`), { flags: options.keepData ? "a" : "w" });
                files.set(fn, file);
            }
            file.write(`${line}\n`);
        },
        close: () => Promise.all([...files.values()].map((f) => new Promise<void>((resolve) => f.end(() => resolve())))).then(() => undefined),
    };
}

function banner(pipeline: LocalPipeline, options: StartOptions, run: RunArgs, stateFile: string): string {
    const curl = sampleCurls(pipeline.apiUrl, { signIn: pipeline.options.auth !== undefined, refund: pipeline.options.workflows !== undefined });
    const subscriber = pipeline.options.events?.subscriberQueueUrl;
    const r = pipeline.resources;
    const { email, processing, queue } = pipeline.settings;
    return [
        "",
        "order-pipeline is running locally (127.0.0.1 only; handlers run from their deployment bundles)",
        "",
        `  API            ${pipeline.apiUrl}   POST /orders, GET /orders/{orderId}${pipeline.refund ? ", POST /orders/{orderId}/refund" : ""}`,
        `  Settings       ${run.stack === undefined ? "the component's defaults (--stack <name> runs a stack's)" : `stack ${run.stack} (Pulumi.${run.stack}.yaml)`}`,
        ...(run.notHonoured.length > 0 ? [`  Not run here   ${run.notHonoured.join(", ")}`] : []),
        `  Email viewer   ${pipeline.emailViewerUrl}${email.enabled ? `   (sender ${email.sender})` : "   (email disabled)"}`,
        ...emailEventLines(pipeline),
        `  DynamoDB       ${pipeline.endpoints.dynamodb}   table ${r.tableName}`,
        `  SQS            ${pipeline.endpoints.sqs}   queue ${r.queueUrl}`,
        `                 DLQ ${r.dlqUrl} (after ${queue.maxReceiveCount} receives; visibility timeout ${queue.visibilityTimeoutSeconds} s)`,
        `  Worker         batches of ${processing.batchSize} within ${processing.maxBatchingWindowSeconds} s, up to ${processing.maximumConcurrency} at once`,
        `  Function logs  ${path.join(options.localDir, "logs")}${path.sep}`,
        `  Data           ${pipeline.dataDir ? `kept in ${pipeline.dataDir}` : "in memory (start with --keep-data to keep it)"}`,
        `  State          ${stateFile}   (used by npm run redrive)`,
        ...optionLines(pipeline),
        "",
        "Try it:",
        ...(curl.token ? [`  ${curl.token}`] : []),
        `  ${curl.post}`,
        `  ${curl.get}`,
        ...(curl.refund ? [`  ${curl.refund}`] : []),
        ...(subscriber
            ? [`  ${subscriberCurl(pipeline.endpoints.sqs, subscriber)}`]
            : []),
        "",
        `Status: accepted = 202 answers, stored/emails since start, in flight = on the queue${pipeline.emailEvents ? ", email events = SES delivery events published" : ""}${pipeline.options.workflows ? ", executions of both workflows" : ""}${pipeline.options.events ? ", events on the bus (delivered to targets)" : ""}. Ctrl-C stops.`,
        "",
    ].join("\n");
}

async function main(argv: readonly string[]): Promise<void> {
    let options: StartOptions;
    let run: RunArgs;
    try {
        options = parseStartOptions(argv);
        if (options.help) {
            process.stdout.write(START_USAGE);
            return;
        }
        run = runArgs(options, packageRoot());
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        process.stderr.write(`${err.message}\n\n${START_USAGE}`);
        process.exitCode = 2;
        return;
    }

    const logs = openLogFiles(options);
    const status = new StatusLine({ stream: process.stdout, read: async () => formatStatus(await pipeline.stats()) });
    process.stdout.write("Starting the emulators and bundling the handlers...\n");
    let pipeline: LocalPipeline;
    try {
        pipeline = await startLocalPipeline({
            port: options.port,
            ...(options.keepData ? { dataDir: path.join(options.localDir, "data") } : {}),
            name: run.name,
            args: run.args,
            ...(run.stack !== undefined ? { stack: run.stack } : {}),
            onLog: (fn, line) => {
                logs.write(fn, line);
                if (options.printLogs) status.print(`[${fn}] ${line}`);
            },
            onWorkerError: (error) => status.print(`worker: ${error.message}`),
            localDir: options.localDir,
            warehouse: { mode: options.warehouse },
            onActivity: (line) => status.print(line),
        });
    } catch (err) {
        await logs.close();
        const code = (err as NodeJS.ErrnoException).code;
        const message =
            code === "EADDRINUSE"
                ? `port ${options.port} is in use: choose another with --port <n> or PORT=<n>`
                : err instanceof OrderPipelineArgsError && run.stack !== undefined
                  ? `the settings of stack ${run.stack} are invalid. ${err.message}`
                  : (err as Error).message;
        process.stderr.write(`Local mode could not start: ${message}\n`);
        process.exitCode = 1;
        return;
    }

    const stateFile = stateFileIn(options.localDir);
    writeLocalState(stateFile, {
        pid: process.pid,
        apiUrl: pipeline.apiUrl,
        emailViewerUrl: pipeline.emailViewerUrl,
        region: LOCAL_REGION,
        endpoints: pipeline.endpoints,
        tableName: pipeline.resources.tableName,
        queueUrl: pipeline.resources.queueUrl,
        dlqUrl: pipeline.resources.dlqUrl,
        processLogFile: path.join(options.localDir, "logs", `${pipeline.settings.name}-process.log`),
        ...(pipeline.emailEvents
            ? {
                  emailEvents: {
                      queueUrl: pipeline.emailEvents.resources.queueUrl,
                      dlqUrl: pipeline.emailEvents.resources.dlqUrl,
                      logFile: path.join(options.localDir, "logs", `${pipeline.settings.name}-email-events.log`),
                  },
              }
            : {}),
        startedAt: new Date().toISOString(),
    });
    let stopRequestedAt: number | undefined;
    const stop = async (signal: NodeJS.Signals) => {
        if (stopRequestedAt !== undefined) {
            // npm forwards the terminal's Ctrl-C to this process, which also gets it from the
            // terminal: the same keypress arrives twice within milliseconds. Only a later one forces.
            if (Date.now() - stopRequestedAt < FORWARDED_SIGNAL_WINDOW_MS) return;
            status.print(`${signal} again: stopping at once; messages being processed return to the queue after its visibility timeout.`);
            process.exit(130);
        }
        stopRequestedAt = Date.now();
        status.print(`${signal}: stopping. The API takes no more orders; batches in progress finish (Ctrl-C again to force).`);
        try {
            await pipeline.drain();
            if (options.status) await status.stop();
            const left = (await pipeline.stats().catch(() => undefined))?.queued ?? 0;
            if (left > 0 && !pipeline.dataDir) {
                process.stdout.write(`${left} message(s) were still on the queue and end with this in-memory run (start with --keep-data to keep them).\n`);
            }
            await pipeline.stop();
        } finally {
            removeLocalState(stateFile);
            await logs.close();
        }
        process.stdout.write(`Stopped.${pipeline.dataDir ? ` Data kept in ${pipeline.dataDir}.` : ""}\n`);
        // Everything is closed; do not let a straggling handle keep the terminal waiting.
        setTimeout(() => process.exit(), 2_000).unref();
    };
    // Listen before the banner says "Ctrl-C stops.": a signal sent on reading it must find the handler.
    process.on("SIGINT", (s) => void stop(s));
    process.on("SIGTERM", (s) => void stop(s));
    process.stdout.write(banner(pipeline, options, run, stateFile));
    if (options.status) status.start();
}

main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`Local mode failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});
