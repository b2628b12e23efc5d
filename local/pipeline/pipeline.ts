import type { EmulatorEndpoints, Emulators } from "../emulators/emulators";
import { startEmulators } from "../emulators/emulators";
import { countEmailsFrom } from "../emulators/email-store";
import type { LogListener } from "../lambda/function-logs";
import { startHttpApi, type HttpApi } from "../api/http-api";
import { LOCAL_REGION } from "../lambda/lambda-environment";
import type { LocalFunction } from "../lambda/lambda-sandbox";
import { createLocalClients } from "./local-clients";
import { functionEnvironment } from "../../contract/environment";
import { BASE_FUNCTION_KINDS, type BaseFunctionKind } from "../../contract/functions";
import { DEFAULT_COMPONENT_NAME } from "../../contract/naming";
import { createLocalFunction, localFunctionOptions, type LocalFunctionSettings } from "../lambda/local-functions";
import { localRetryBackoff, resolveLocalSettings, type LocalArgs, type LocalOverrides, type LocalSettings } from "./local-settings";
import { countMessages, createStoredCounter, emailEventStats, type ApiCounts, type FunctionStats, type PipelineStats } from "./pipeline-stats";
import { createPipelineResources, type LocalResources } from "./resources";
import { startSqsWorker, type BatchReport, type SqsWorker, type SqsWorkerCounts } from "../worker/sqs-worker";
import { startThreadedSqsWorker, type FunctionCounts } from "../worker/threaded-worker";
import type { FunctionKind } from "../../contract/functions";
import type { WarehouseMode } from "../warehouse/warehouse";
import { optionStats, startLocalOptions, type LocalOptions } from "./local-options";
import { defaultLocalDir } from "./state-file";
import { emailEventQueueSettings, EMAIL_EVENT_TYPES, localConfigurationSetName, startLocalEmailEvents, type LocalEmailEvents } from "./email-events";
import type { OrdinaryRecipients } from "../emulators/ses-event-records";
import { LOCAL_STACK } from "./local-settings";

/** Settings of {@link startLocalPipeline}: the component's arguments, and what only local mode has. */
export interface LocalPipelineOptions {
    /** API port on 127.0.0.1; 0 (the default) picks a free one. */
    readonly port?: number;
    /** Keep tables, queues and emails in this folder between runs (not used with `emulators`). Defaults to in-memory. */
    readonly dataDir?: string;
    /** Use these running emulators instead of starting (and later stopping) our own. */
    readonly emulators?: Emulators;
    /** The component's name: prefix of table, queue and function names. Defaults to "orders". */
    readonly name?: string;
    /**
     * OrderPipeline arguments, resolved by the component's own resolver: the same names, defaults
     * and checks (so email is off unless `email.sender` is set). Defaults to none.
     */
    readonly args?: LocalArgs;
    /** The stack the arguments are resolved for (its name decides some defaults). Defaults to "local". */
    readonly stack?: string;
    /** Test-speed overrides that a deployment would refuse (see {@link LocalOverrides}). */
    readonly overrides?: LocalOverrides;
    /** The worker's long-poll wait in seconds. Defaults to 1. */
    readonly pollWaitSeconds?: number;
    /**
     * Where the handlers' SDK clients send their requests, per service, instead of straight to the
     * emulators: e.g. through a fault-injecting proxy. Local mode's own calls always go direct.
     */
    readonly handlerEndpoints?: Partial<EmulatorEndpoints>;
    /** Start the SQS worker (the event source mapping). Defaults to true. */
    readonly worker?: boolean;
    /**
     * Run that worker and its ProcessOrder on a thread of their own, so that batches never hold up
     * the API's answers (their logs, batch reports and counts come back to this thread). Workers
     * added later with `startWorker` run on the main thread. Defaults to false: on a busy 2-core
     * machine the third busy thread took CPU from the API (see bench/run-local-pipeline.ts).
     */
    readonly workerThread?: boolean;
    /** Bundle the AWS SDK into the handlers, as the component does by default. Defaults to true. */
    readonly bundleAwsSdk?: boolean;
    /** Receives each line a function logs. By default function logs are counted and dropped. */
    readonly onLog?: LogListener;
    /** Called after each batch the worker(s) processed. */
    readonly onBatch?: (report: BatchReport) => void;
    /** Called when a worker fails to poll or delete (it carries on). */
    readonly onWorkerError?: (error: Error) => void;
    /** Folder of the local user pool's signing key (sign-in). Defaults to `.local-data`. */
    readonly localDir?: string;
    /** With workflows: how the local warehouse answers shipment requests, and how long it packs (ms). Defaults to ship after 2 s. */
    readonly warehouse?: { readonly mode?: WarehouseMode; readonly packingMs?: number };
    /** Told of what the options do (the warehouse's answers). */
    readonly onActivity?: (line: string) => void;
    /**
     * What an email to an address outside SES's mailbox simulator produces on the email-events path:
     * `"deliver"` publishes a Delivery event, as SES does once the receiving server accepts it;
     * `"ignore"` publishes nothing. Defaults to "deliver".
     */
    readonly ordinaryRecipients?: OrdinaryRecipients;
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
    /** The settings in use, resolved from the arguments as the component resolves them. */
    readonly settings: LocalSettings;
    /** The From address of confirmation emails; undefined when email is off. */
    readonly emailSender: string | undefined;
    /** The data folder, when data is kept on disk. */
    readonly dataDir: string | undefined;
    /** The functions the API and the first worker invoke. */
    readonly functions: Readonly<Record<BaseFunctionKind, LocalFunction>>;
    /** The worker started with the pipeline, if any. */
    readonly worker: SqsWorker | undefined;
    /** RefundOrder (`POST /orders/{orderId}/refund`), with workflows. */
    readonly refund: LocalFunction | undefined;
    /** The options that are on (events, workflows, auth), on their emulators. */
    readonly options: LocalOptions;
    /**
     * With email on: the email-events topic, queue and DLQ, the SES mailbox simulator in front of the
     * SES emulator (the handlers' SES endpoint), and the worker of the email-events function.
     */
    readonly emailEvents: LocalEmailEvents | undefined;
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
    const settings = resolveLocalSettings(options.name ?? DEFAULT_COMPONENT_NAME, options.args, options.overrides, options.stack);
    try {
        const ownEmulators = options.emulators === undefined;
        // The emulators get a thread of their own: the handlers, the API and the worker keep this one.
        const emulators = options.emulators ?? (await startEmulators({ thread: true, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }));
        if (ownEmulators) cleanups.push(() => emulators.stop());

        const clients = createLocalClients(emulators.endpoints);
        cleanups.push(() => clients.destroy());
        const resources = await createPipelineResources(clients, settings);
        // Orders stored, from ProcessOrder's own metric lines: a table Scan per status line or
        // drain poll grows with the table (and a kept one), a counter does not.
        const storedCount = createStoredCounter();
        const localOptions = await startLocalOptions({
            settings,
            endpoints: emulators.endpoints,
            sqs: clients.sqs,
            tableName: resources.tableName,
            localDir: options.localDir ?? defaultLocalDir(),
            ...(options.warehouse ? { warehouse: options.warehouse } : {}),
            ...(options.pollWaitSeconds !== undefined ? { pollWaitSeconds: options.pollWaitSeconds } : {}),
            ...(options.onActivity ? { onActivity: options.onActivity } : {}),
            ...(options.onWorkerError ? { onError: options.onWorkerError } : {}),
        });
        cleanups.push(() => localOptions.stop());

        const { email } = settings;
        // With email on, SES's event publishing runs too: the handlers send through the mailbox
        // simulator, which publishes the events of each email to the email-events topic.
        const emailEvents = email.enabled
            ? await startLocalEmailEvents({
                  prefix: settings.name,
                  endpoints: emulators.endpoints,
                  sqs: clients.sqs,
                  configurationSetName: localConfigurationSetName(settings.name, options.stack ?? LOCAL_STACK),
                  matchingEventTypes: EMAIL_EVENT_TYPES,
                  ordinaryRecipients: options.ordinaryRecipients ?? "deliver",
                  queue: emailEventQueueSettings(settings, options.overrides),
                  ...(options.pollWaitSeconds !== undefined ? { pollWaitSeconds: options.pollWaitSeconds } : {}),
                  ...(options.onBatch ? { onBatch: options.onBatch } : {}),
                  ...(options.onWorkerError ? { onError: options.onWorkerError } : {}),
              })
            : undefined;
        if (emailEvents) cleanups.push(() => emailEvents.stop());
        const handlerEndpoints: EmulatorEndpoints = { ...emulators.endpoints, ...(emailEvents ? { ses: emailEvents.simulator.endpoint } : {}), ...options.handlerEndpoints };
        const environmentOf = (kind: FunctionKind) =>
            functionEnvironment(kind, {
                tableName: resources.tableName,
                queueUrl: resources.queueUrl,
                ...(email.enabled ? { emailSender: email.sender } : {}),
                ...(emailEvents ? { emailConfigurationSet: emailEvents.configurationSetName } : {}),
                ...(localOptions.events ? { eventBusName: localOptions.events.busName } : {}),
                ...(localOptions.workflows
                    ? { shippingStateMachineArn: localOptions.workflows.shippingStateMachineArn, refundStateMachineArn: localOptions.workflows.refundStateMachineArn }
                    : {}),
                authEnabled: localOptions.auth !== undefined,
                retry: localRetryBackoff(settings, options.overrides),
            });
        const functionSettings = (kind: FunctionKind, overrides: WorkerOverrides = {}): LocalFunctionSettings => ({
            prefix: settings.name,
            // The option services' endpoints (the bus, Step Functions) join the emulators'.
            variables: { ...environmentOf(kind), ...localOptions.handlerVariables },
            endpoints: { ...handlerEndpoints, ...overrides.endpoints },
            timeoutSeconds: overrides.timeoutSeconds ?? settings.functions.timeouts[kind],
            memoryMb: settings.functions.memoryMb,
            // The sandbox has no runtime SDK of its own to lend an unbundled handler.
            bundleAwsSdk: options.bundleAwsSdk ?? true,
            onLog: kind === "process" ? storedCount.listener(options.onLog) : options.onLog,
        });
        const makeFunction = (kind: FunctionKind, overrides: WorkerOverrides = {}) => createLocalFunction(kind, functionSettings(kind, overrides));
        const functions = Object.fromEntries(BASE_FUNCTION_KINDS.map((kind) => [kind, makeFunction(kind)])) as Record<BaseFunctionKind, LocalFunction>;
        const processFunctions: FunctionCounts[] = [functions.process];
        const refund = localOptions.workflows ? makeFunction("refund") : undefined;
        const signIn = localOptions.auth !== undefined;

        const api: ApiCounts = { accepted: 0, ok: 0, rejected: 0, failed: 0 };
        const httpApi: HttpApi = await startHttpApi({
            port: options.port ?? 0,
            routes: [
                { method: "POST", path: "/orders", invoke: (event) => functions.submit.invoke(event), requireSignIn: signIn },
                { method: "GET", path: "/orders/{orderId}", invoke: (event) => functions.get.invoke(event), requireSignIn: signIn },
                ...(refund ? [{ method: "POST", path: "/orders/{orderId}/refund", invoke: (event: unknown) => refund.invoke(event), requireSignIn: signIn }] : []),
            ],
            ...(localOptions.auth ? { authorizer: localOptions.auth.authorizer } : {}),
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
            const timeoutSeconds = overrides.timeoutSeconds ?? settings.functions.timeouts.process;
            const worker = startSqsWorker({
                sqs: clients.sqs,
                queueUrl: resources.queueUrl,
                queue: { arn: resources.queueArn, region: LOCAL_REGION },
                invoke: (event) => fn.invoke(event),
                processing: settings.processing,
                ...(options.pollWaitSeconds !== undefined ? { pollWaitSeconds: options.pollWaitSeconds } : {}),
                ...(options.onBatch ? { onBatch: options.onBatch } : {}),
                ...(options.onWorkerError ? { onError: options.onWorkerError } : {}),
            });
            workers.push(worker);
            // Invocations in progress may run to their timeout; then their records stay on the queue.
            workerStops.push(() => worker.stop(timeoutSeconds * 1000 + 2_000));
            return worker;
        };
        const startThreadedWorker = async (): Promise<SqsWorker> => {
            const { onLog, ...fn } = localFunctionOptions("process", functionSettings("process"));
            const threaded = await startThreadedSqsWorker({
                endpoints: emulators.endpoints,
                queueUrl: resources.queueUrl,
                queue: { arn: resources.queueArn, region: LOCAL_REGION },
                processing: settings.processing,
                fn,
                ...(onLog ? { onLog } : {}),
                ...(options.pollWaitSeconds !== undefined ? { pollWaitSeconds: options.pollWaitSeconds } : {}),
                ...(options.onBatch ? { onBatch: options.onBatch } : {}),
                ...(options.onWorkerError ? { onError: options.onWorkerError } : {}),
            });
            processFunctions.push(threaded.fn);
            workers.push(threaded);
            workerStops.push(() => threaded.stop(settings.functions.timeouts.process * 1000 + 2_000));
            return threaded;
        };
        const worker = options.worker === false ? undefined : options.workerThread ? await startThreadedWorker() : startWorker({}, functions.process);
        const emailEventsFunction = emailEvents ? makeFunction("email-events") : undefined;
        if (emailEvents && emailEventsFunction && options.worker !== false) {
            emailEvents.startWorker((event) => emailEventsFunction.invoke(event), settings.functions.timeouts["email-events"] * 1000 + 2_000);
        }

        const stats = async (): Promise<PipelineStats> => {
            const [queued, dlq, emails, emailEventCounts] = await Promise.all([
                countMessages(clients.sqs, resources.queueUrl),
                countMessages(clients.sqs, resources.dlqUrl),
                !email.enabled ? 0 : (emulators.countEmailsFrom?.(email.sender, startedAt) ?? countEmailsFrom(email.sender, startedAt)),
                emailEvents ? emailEventStats(clients.sqs, emailEvents) : undefined,
            ]);
            const workerCounts: SqsWorkerCounts = { batches: 0, received: 0, deleted: 0, failed: 0, inFlight: 0, peakConcurrency: 0, errors: 0 };
            for (const w of workers) {
                for (const key of Object.keys(workerCounts) as Array<keyof SqsWorkerCounts>) {
                    workerCounts[key] = key === "peakConcurrency" ? Math.max(workerCounts[key], w.counts[key]) : workerCounts[key] + w.counts[key];
                }
            }
            const functionStats = (fns: readonly FunctionCounts[]): FunctionStats => ({
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
                stored: storedCount.stored,
                emails,
                queued,
                processing: workerCounts.inFlight,
                dlq,
                worker: workerCounts,
                functions: {
                    submit: functionStats([functions.submit]),
                    process: functionStats(processFunctions),
                    get: functionStats([functions.get]),
                    ...(refund ? { refund: functionStats([refund]) } : {}),
                    ...(emailEventsFunction ? { emailEvents: functionStats([emailEventsFunction]) } : {}),
                },
                ...(emailEventCounts ? { emailEvents: emailEventCounts } : {}),
                ...optionStats(localOptions),
            };
        };

        // The API stops taking orders first, then the workers finish what they hold, then the rest.
        let draining: Promise<void> | undefined;
        const drain = () =>
            (draining ??= (async () => {
                await httpApi.close();
                // The email-events worker stops waiting on long polls now, while ProcessOrder's
                // workers wait out theirs: its own stop below then waits for none.
                emailEvents?.beginDrain();
                await Promise.all(workerStops.map((stop) => stop()));
                // ProcessOrder sends no more email: publish what it sent, then stop the email-events worker.
                await emailEvents?.drain();
                await localOptions.drain();
            })());
        cleanups.push(drain);

        let stopping: Promise<void> | undefined;
        return {
            apiUrl: httpApi.url,
            emailViewerUrl: `${emulators.endpoints.ses}/`,
            endpoints: emulators.endpoints,
            resources,
            settings,
            emailSender: email.enabled ? email.sender : undefined,
            dataDir: options.dataDir,
            functions,
            worker,
            refund,
            options: localOptions,
            emailEvents,
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
