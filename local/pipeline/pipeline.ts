import type { EmulatorEndpoints, Emulators } from "../emulators/emulators";
import { startEmulators } from "../emulators/emulators";
import { countEmailsFrom } from "../emulators/email-store";
import type { LogListener } from "../lambda/function-logs";
import { startHttpApi, type HttpApi } from "../api/http-api";
import { LOCAL_REGION } from "../lambda/lambda-environment";
import type { LocalFunction } from "../lambda/lambda-sandbox";
import { createLocalClients } from "./local-clients";
import { createLocalFunction, DEFAULT_TIMEOUTS, FUNCTION_KINDS, type FunctionKind, type LocalEmailSettings } from "../lambda/local-functions";
import { countItems, countMessages, type ApiCounts, type FunctionStats, type PipelineStats } from "./pipeline-stats";
import { createPipelineResources, type LocalResources } from "./resources";
import { startSqsWorker, type BatchReport, type SqsWorker, type SqsWorkerCounts } from "../worker/sqs-worker";

/** The sender local mode's confirmation emails come from, unless told otherwise. */
export const DEFAULT_LOCAL_SENDER = "orders@example.com";

/** Settings of {@link startLocalPipeline}; every processing default is the component's. */
export interface LocalPipelineOptions {
    /** API port on 127.0.0.1; 0 (the default) picks a free one. */
    readonly port?: number;
    /** Keep tables, queues and emails in this folder between runs (not used with `emulators`). Defaults to in-memory. */
    readonly dataDir?: string;
    /** Use these running emulators instead of starting (and later stopping) our own. */
    readonly emulators?: Emulators;
    /** Prefix of table, queue and function names. Defaults to "orders". */
    readonly prefix?: string;
    /** Confirmation emails: on by default, from {@link DEFAULT_LOCAL_SENDER}. */
    readonly email?: { readonly enabled?: boolean; readonly sender?: string };
    /** The order queue's visibility timeout. Defaults to the component's (derived from ProcessOrder's timeout). */
    readonly visibilityTimeoutSeconds?: number;
    /** Receives before a message moves to the DLQ. Defaults to MAX_RECEIVE_COUNT. */
    readonly maxReceiveCount?: number;
    /** Records per ProcessOrder invocation. Defaults to BATCH_SIZE. */
    readonly batchSize?: number;
    /** Defaults to MAX_BATCHING_WINDOW_SECONDS. */
    readonly batchingWindowSeconds?: number;
    /** Defaults to MAX_CONCURRENCY. */
    readonly maxConcurrency?: number;
    /** The worker's long-poll wait in seconds. Defaults to 1. */
    readonly pollWaitSeconds?: number;
    /** Function timeouts in seconds. Each defaults to the component's. */
    readonly timeouts?: Partial<Record<FunctionKind, number>>;
    /**
     * Where the handlers' SDK clients send their requests, per service, instead of straight to the
     * emulators: e.g. through a fault-injecting proxy. Local mode's own calls always go direct.
     */
    readonly handlerEndpoints?: Partial<EmulatorEndpoints>;
    /** Start the SQS worker (the event source mapping). Defaults to true. */
    readonly worker?: boolean;
    /** Bundle the AWS SDK into the handlers, as the component does by default. Defaults to true. */
    readonly bundleAwsSdk?: boolean;
    /** Receives each line a function logs. By default function logs are counted and dropped. */
    readonly onLog?: LogListener;
    /** Called after each batch the worker(s) processed. */
    readonly onBatch?: (report: BatchReport) => void;
    /** Called when a worker fails to poll or delete (it carries on). */
    readonly onWorkerError?: (error: Error) => void;
}

/** Overrides for one more worker (see {@link LocalPipeline.startWorker}). */
export interface WorkerOverrides {
    /** Where this worker's ProcessOrder sends its SDK requests. */
    readonly endpoints?: Partial<EmulatorEndpoints>;
    /** ProcessOrder's timeout for this worker. */
    readonly timeoutSeconds?: number;
}

/** The whole pipeline running on this machine. */
export interface LocalPipeline {
    /** The HTTP API, `http://127.0.0.1:<port>`. */
    readonly apiUrl: string;
    /** The SES emulator's web page listing sent emails. */
    readonly emailViewerUrl: string;
    /** Where the emulators answer. */
    readonly endpoints: EmulatorEndpoints;
    /** Table and queues. */
    readonly resources: LocalResources;
    readonly email: LocalEmailSettings;
    /** The data folder, when data is kept on disk. */
    readonly dataDir: string | undefined;
    /** The functions the API and the first worker invoke. */
    readonly functions: Readonly<Record<FunctionKind, LocalFunction>>;
    /** The worker started with the pipeline, if any. */
    readonly worker: SqsWorker | undefined;
    /**
     * Starts one more worker with its own ProcessOrder instance (a fresh Lambda environment),
     * e.g. to take over from a worker that was abandoned. It is stopped with the pipeline.
     */
    startWorker(overrides?: WorkerOverrides): SqsWorker;
    /** Counts from the API, the table, the queues, the SES emulator and the functions. */
    stats(): Promise<PipelineStats>;
    /**
     * Stops taking work, leaving the emulators up (so that the final state can still be read): the
     * API stops accepting and finishes the requests in progress, then the workers stop polling and
     * finish their batches.
     */
    drain(): Promise<void>;
    /** Drains, then stops the emulators (when the pipeline started them). Safe to call twice. */
    stop(): Promise<void>;
}

/**
 * Starts the pipeline on 127.0.0.1: the emulators (unless given), the table and queues with the
 * component's settings, the three functions from their deployment bundles, the HTTP API
 * (`POST /orders`, `GET /orders/{orderId}`), and the SQS worker that feeds ProcessOrder.
 */
export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
    const startedAt = Math.floor(Date.now() / 1000);
    const cleanups: Array<() => Promise<void> | void> = [];
    const cleanup = async () => {
        for (const step of cleanups.splice(0).reverse()) await step();
    };
    try {
        const ownEmulators = options.emulators === undefined;
        const emulators = options.emulators ?? (await startEmulators(options.dataDir ? { dataDir: options.dataDir } : {}));
        if (ownEmulators) cleanups.push(() => emulators.stop());

        const clients = createLocalClients(emulators.endpoints);
        cleanups.push(() => clients.destroy());
        const resources = await createPipelineResources(clients, {
            prefix: options.prefix ?? "orders",
            ...(options.maxReceiveCount !== undefined ? { maxReceiveCount: options.maxReceiveCount } : {}),
            ...(options.visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds } : {}),
        });
        const storedAtStart = await countItems(clients.dynamodb, resources.tableName);

        const email: LocalEmailSettings = { enabled: options.email?.enabled ?? true, sender: options.email?.sender ?? DEFAULT_LOCAL_SENDER };
        const handlerEndpoints: EmulatorEndpoints = { ...emulators.endpoints, ...options.handlerEndpoints };
        const makeFunction = (kind: FunctionKind, overrides: WorkerOverrides = {}) =>
            createLocalFunction(kind, {
                prefix: options.prefix ?? "orders",
                resources,
                endpoints: { ...handlerEndpoints, ...overrides.endpoints },
                email,
                timeoutSeconds: overrides.timeoutSeconds ?? options.timeouts?.[kind] ?? DEFAULT_TIMEOUTS[kind],
                ...(options.bundleAwsSdk !== undefined ? { bundleAwsSdk: options.bundleAwsSdk } : {}),
                ...(options.onLog ? { onLog: options.onLog } : {}),
            });
        const functions = Object.fromEntries(FUNCTION_KINDS.map((kind) => [kind, makeFunction(kind)])) as Record<FunctionKind, LocalFunction>;
        const processFunctions = [functions.process];

        const api: ApiCounts = { accepted: 0, ok: 0, rejected: 0, failed: 0 };
        const httpApi: HttpApi = await startHttpApi({
            port: options.port ?? 0,
            routes: [
                { method: "POST", path: "/orders", invoke: (event) => functions.submit.invoke(event) },
                { method: "GET", path: "/orders/{orderId}", invoke: (event) => functions.get.invoke(event) },
            ],
            onResponse: (status, routeKey) => {
                if (status === 202 && routeKey === "POST /orders") api.accepted++;
                else if (status < 400) api.ok++;
                else if (status < 500) api.rejected++;
                else api.failed++;
            },
        });
        cleanups.push(() => httpApi.close());

        const workers: SqsWorker[] = [];
        const workerStops: Array<() => Promise<void>> = [];
        const startWorker = (overrides: WorkerOverrides = {}, fn: LocalFunction = makeFunction("process", overrides)): SqsWorker => {
            if (fn !== functions.process) processFunctions.push(fn);
            const timeoutSeconds = overrides.timeoutSeconds ?? options.timeouts?.process ?? DEFAULT_TIMEOUTS.process;
            const worker = startSqsWorker({
                sqs: clients.sqs,
                queueUrl: resources.queueUrl,
                queue: { arn: resources.queueArn, region: LOCAL_REGION },
                invoke: (event) => fn.invoke(event),
                ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
                ...(options.batchingWindowSeconds !== undefined ? { batchingWindowSeconds: options.batchingWindowSeconds } : {}),
                ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
                ...(options.pollWaitSeconds !== undefined ? { pollWaitSeconds: options.pollWaitSeconds } : {}),
                ...(options.onBatch ? { onBatch: options.onBatch } : {}),
                ...(options.onWorkerError ? { onError: options.onWorkerError } : {}),
            });
            workers.push(worker);
            // Invocations in progress may run to their timeout; then their records stay on the queue.
            workerStops.push(() => worker.stop(timeoutSeconds * 1000 + 2_000));
            return worker;
        };
        const worker = options.worker === false ? undefined : startWorker({}, functions.process);

        const stats = async (): Promise<PipelineStats> => {
            const [stored, queued, dlq] = await Promise.all([
                countItems(clients.dynamodb, resources.tableName),
                countMessages(clients.sqs, resources.queueUrl),
                countMessages(clients.sqs, resources.dlqUrl),
            ]);
            const workerCounts: SqsWorkerCounts = { batches: 0, received: 0, deleted: 0, failed: 0, inFlight: 0, peakConcurrency: 0, errors: 0 };
            for (const w of workers) {
                for (const key of Object.keys(workerCounts) as Array<keyof SqsWorkerCounts>) {
                    workerCounts[key] = key === "peakConcurrency" ? Math.max(workerCounts[key], w.counts[key]) : workerCounts[key] + w.counts[key];
                }
            }
            const functionStats = (fns: readonly LocalFunction[]): FunctionStats => ({
                invocations: fns.reduce((n, f) => n + f.counts.invocations, 0),
                errors: fns.reduce((n, f) => n + f.counts.errors, 0),
                timeouts: fns.reduce((n, f) => n + f.counts.timeouts, 0),
                log: {
                    bytes: fns.reduce((n, f) => n + f.log.volume.bytes, 0),
                    lines: fns.reduce((n, f) => n + f.log.volume.lines, 0),
                },
            });
            return {
                api: { ...api },
                stored: stored - storedAtStart,
                emails: email.enabled ? countEmailsFrom(email.sender, startedAt) : 0,
                queued,
                processing: workerCounts.inFlight,
                dlq,
                worker: workerCounts,
                functions: {
                    submit: functionStats([functions.submit]),
                    process: functionStats(processFunctions),
                    get: functionStats([functions.get]),
                },
            };
        };

        // The API stops taking orders first, then the workers finish what they hold, then the rest.
        let draining: Promise<void> | undefined;
        const drain = () =>
            (draining ??= (async () => {
                await httpApi.close();
                await Promise.all(workerStops.map((stop) => stop()));
            })());
        cleanups.push(drain);

        let stopping: Promise<void> | undefined;
        return {
            apiUrl: httpApi.url,
            emailViewerUrl: `${emulators.endpoints.ses}/`,
            endpoints: emulators.endpoints,
            resources,
            email,
            dataDir: options.dataDir,
            functions,
            worker,
            startWorker: (overrides) => startWorker(overrides),
            stats,
            drain,
            stop: () => (stopping ??= cleanup()),
        };
    } catch (err) {
        await cleanup();
        throw err;
    }
}
