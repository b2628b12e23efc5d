import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import * as path from "node:path";
import { countEmailsFrom, restoreEmails, saveEmails } from "./email-store";
import type { EmulatorThreadReply, EmulatorThreadRequest } from "./emulator-thread-messages";
import { startSourceThread } from "../source-thread";
import { LOOPBACK } from "./loopback";
import { persistentFauxqsStores } from "./sqs-persistence";

/** Where each emulator answers, as `http://127.0.0.1:<port>`. */
export interface EmulatorEndpoints {
    readonly dynamodb: string;
    readonly sqs: string;
    readonly ses: string;
}

/** The three AWS emulators running in this process. */
export interface Emulators {
    readonly endpoints: EmulatorEndpoints;
    /** Stops every emulator; safe to call twice. */
    stop(): Promise<void>;
    /**
     * Counts the emails the SES emulator accepted from `sender` at or after `sinceEpochSeconds`,
     * from its store in memory (wherever the emulators run).
     */
    countEmailsFrom?(sender: string, sinceEpochSeconds?: number): Promise<number>;
}

/** Options for {@link startEmulators}. */
export interface EmulatorOptions {
    /**
     * Keep data in this folder between runs: DynamoDB tables and items (`dynamodb/`), SQS queues and
     * messages with their receive counts and in-flight state (`sqs/`, fauxqs's SQLite file), and the
     * emails the SES emulator accepted (`ses/emails.json`, written when the emulators stop).
     * Defaults to in-memory.
     */
    readonly dataDir?: string;
    /** Ports to listen on; 0 (the default) picks free ones. */
    readonly ports?: Partial<Record<keyof EmulatorEndpoints, number>>;
    /**
     * Run the emulators on a worker thread of their own, so that they use another core than the
     * code that calls them (a worker thread, not a child process: it shares the process, so a
     * signal to the process group reaches only the main thread). Defaults to false.
     */
    readonly thread?: boolean;
}

function urlOf(server: Server): string {
    return `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
}

function listen(server: Server, port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, LOOPBACK, () => resolve(server));
    });
}

function close(server: Server): Promise<void> {
    return new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
    });
}

/**
 * Starts DynamoDB (dynalite), SQS (fauxqs) and SES (aws-ses-v2-local) on 127.0.0.1. Each listens on
 * its own port (0 = any free one) and only on the loopback interface.
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
    if (options.thread) return startEmulatorThread(options);
    const stops: Array<() => Promise<void>> = [];
    const stop = async () => {
        const pending = stops.splice(0).reverse();
        for (const s of pending) await s();
    };
    try {
        // dynalite: tables become ACTIVE at once instead of after its default 500 ms.
        const dynalite = require("dynalite") as (opts: object) => Server;
        const dynamo = await listen(
            dynalite({
                createTableMs: 0,
                deleteTableMs: 0,
                updateTableMs: 0,
                ...(options.dataDir ? { path: path.join(options.dataDir, "dynamodb") } : {}),
            }),
            options.ports?.dynamodb ?? 0,
        );
        stops.push(() => close(dynamo));

        // fauxqs is ESM-only; buildApp + listen on loopback (startFauxqs binds every interface).
        const { buildApp } = await import("fauxqs");
        const persistent = options.dataDir ? await persistentFauxqsStores(path.join(options.dataDir, "sqs")) : undefined;
        if (persistent) stops.push(async () => persistent.close());
        const sqsApp = buildApp({
            logger: false,
            defaultRegion: "us-east-1",
            ...(persistent ? { stores: persistent.stores as NonNullable<Parameters<typeof buildApp>[0]>["stores"] } : {}),
        });
        await sqsApp.listen({ host: LOOPBACK, port: options.ports?.sqs ?? 0 });
        stops.push(() => sqsApp.close());

        // Loaded here, not at the top: with `thread`, only the emulators' thread needs it (and its mail stack).
        const { default: sesServer } = require("aws-ses-v2-local") as typeof import("aws-ses-v2-local");
        const ses = await sesServer({ host: LOOPBACK, port: options.ports?.ses ?? 0 });
        stops.push(() => close(ses));
        if (options.dataDir) {
            // The SES emulator keeps emails in memory only: save them at stop, put them back at start.
            const emailsFile = path.join(options.dataDir, "ses", "emails.json");
            restoreEmails(emailsFile);
            stops.push(async () => void saveEmails(emailsFile));
        }

        return {
            endpoints: { dynamodb: urlOf(dynamo), sqs: urlOf(sqsApp.server), ses: urlOf(ses) },
            stop,
            countEmailsFrom: async (sender, sinceEpochSeconds) => countEmailsFrom(sender, sinceEpochSeconds),
        };
    } catch (err) {
        await stop();
        throw err;
    }
}

/** {@link startEmulators} on a worker thread: the same emulators, answering from another core. */
async function startEmulatorThread(options: EmulatorOptions): Promise<Emulators> {
    const { thread: _thread, ...threadOptions } = options;
    const { worker, ready, exited } = await startSourceThread<EmulatorThreadReply>(path.join(__dirname, "emulator-thread.ts"), threadOptions, {
        thread: "the emulator thread",
        service: "the emulators",
    });
    const request = (message: EmulatorThreadRequest) => worker.postMessage(message);
    const pendingCounts = new Map<number, (count: number) => void>();
    let nextId = 0;
    let stopped: () => void = () => {};
    const stoppedReply = new Promise<void>((resolve) => (stopped = resolve));
    worker.on("message", (reply: EmulatorThreadReply) => {
        if (reply.type === "stopped") stopped();
        if (reply.type !== "emails") return;
        pendingCounts.get(reply.id)?.(reply.count);
        pendingCounts.delete(reply.id);
    });
    let stopping: Promise<void> | undefined;
    return {
        endpoints: ready.endpoints as unknown as EmulatorEndpoints,
        stop: () =>
            (stopping ??= (async () => {
                request({ type: "stop" });
                // Once the emulators (and their data files) are shut, nothing in the thread matters.
                await Promise.race([stoppedReply, exited]);
                await worker.terminate();
            })()),
        countEmailsFrom: (sender, sinceEpochSeconds = 0) =>
            new Promise<number>((resolve, reject) => {
                if (stopping) return reject(new Error("the emulators are stopped"));
                const id = nextId++;
                pendingCounts.set(id, resolve);
                request({ type: "count-emails", id, sender, sinceEpochSeconds });
            }),
    };
}

/**
 * Points the AWS SDK of this process at the emulators: the SDK reads `AWS_ENDPOINT_URL_<SERVICE>`,
 * and needs a region and credentials (any value; the emulators do not check signatures).
 */
export function useEmulatorsInEnv(endpoints: EmulatorEndpoints, env: NodeJS.ProcessEnv = process.env): void {
    env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
    env.AWS_ENDPOINT_URL_SQS = endpoints.sqs;
    env.AWS_ENDPOINT_URL_SES = endpoints.ses;
    env.AWS_ENDPOINT_URL_SESV2 = endpoints.ses;
    env.AWS_REGION = "us-east-1";
    env.AWS_ACCESS_KEY_ID = "local";
    env.AWS_SECRET_ACCESS_KEY = "local";
}
