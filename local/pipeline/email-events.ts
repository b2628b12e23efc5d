/**
 * Email delivery events in local mode, on the path they take on AWS: SES (here the mailbox
 * simulator in front of the SES emulator) publishes each event of an email that names the
 * pipeline's configuration set to the email-events SNS topic; the topic delivers it, in its SNS
 * envelope, to the email-events queue (DLQ after `maxReceiveCount` receives); a worker, as the event
 * source mapping does, invokes the email-events function from its bundle with partial batch
 * responses. Topic, queue and subscription live on fauxqs, created through the real SNS and SQS APIs.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { minVisibilityTimeoutSeconds } from "../../contract/defaults";
import type { PipelineSettings } from "../../contract/settings";
import { RECORDED_EVENT_TYPES } from "../../handlers/email-events/ses-event";
import type { EmulatorEndpoints } from "../emulators/emulators";
import type { OrdinaryRecipients, SesEventType } from "../emulators/ses-event-records";
import { startSesMailboxSimulatorThread, type SesMailboxSimulator } from "../emulators/ses-mailbox-simulator";
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from "../lambda/lambda-environment";
import { startSqsWorker, type BatchReport, type DrainingSqsWorker, type SqsWorker } from "../worker/sqs-worker";
import { createEmailEventResources, type EmailEventQueueSettings, type EmailEventResources } from "./email-event-resources";
import type { LocalOverrides, LocalSettings } from "./local-settings";

/** The event types the configuration set's event destination matches: those the handler records. */
export const EMAIL_EVENT_TYPES = Object.keys(RECORDED_EVENT_TYPES) as SesEventType[];

/**
 * The configuration set's name, by the component's rule (`configurationSetName` in
 * components/email-reputation.ts, which loads Pulumi: a test keeps the two equal).
 */
export function localConfigurationSetName(name: string, stack: string): string {
    return `${name}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64);
}

/**
 * The email-events function's event source mapping, as the component creates it
 * (`EMAIL_EVENTS_BATCH_SIZE`, `EMAIL_EVENTS_MAX_CONCURRENCY` in components/order-pipeline.ts, which
 * loads Pulumi: a test keeps the two equal): batches of 10, no batching window, two at a time.
 */
export const EMAIL_EVENTS_PROCESSING: PipelineSettings["processing"] = { batchSize: 10, maxBatchingWindowSeconds: 0, maximumConcurrency: 2 };

/**
 * The email-events queue's settings, as the component's: the visibility timeout derived from the
 * email-events function's timeout (6x the timeout, no batching window: Lambda's SQS guidance)
 * unless a test overrides it; the order queue's receive count and retention periods.
 */
export function emailEventQueueSettings(settings: Pick<LocalSettings, "queue" | "functions">, overrides: LocalOverrides = {}): EmailEventQueueSettings {
    return {
        visibilityTimeoutSeconds:
            overrides.emailEventsVisibilityTimeoutSeconds ??
            minVisibilityTimeoutSeconds(settings.functions.timeouts["email-events"], EMAIL_EVENTS_PROCESSING.maxBatchingWindowSeconds),
        maxReceiveCount: settings.queue.maxReceiveCount,
        retentionSeconds: settings.queue.retentionSeconds,
        dlqRetentionSeconds: settings.queue.dlqRetentionSeconds,
    };
}

/** What the email-events path needs from the pipeline. */
export interface LocalEmailEventsInputs {
    /** The pipeline's name: prefix of the topic and queue names. */
    readonly prefix: string;
    /** The emulators (local mode's own calls go there directly). */
    readonly endpoints: EmulatorEndpoints;
    readonly sqs: SQSClient;
    /** The configuration set ProcessOrder's emails name; the event destination is on it. */
    readonly configurationSetName: string;
    /** The event types the event destination matches. */
    readonly matchingEventTypes: readonly SesEventType[];
    /** What an email to an address outside the mailbox simulator produces. */
    readonly ordinaryRecipients: OrdinaryRecipients;
    readonly queue: EmailEventQueueSettings;
    /** The event source mapping's batch size, window and concurrency. Defaults to {@link EMAIL_EVENTS_PROCESSING}. */
    readonly processing?: PipelineSettings["processing"];
    readonly pollWaitSeconds?: number;
    readonly onBatch?: (report: BatchReport) => void;
    readonly onError?: (error: Error) => void;
}

/** The running email-events path. */
export interface LocalEmailEvents {
    readonly resources: EmailEventResources;
    readonly simulator: SesMailboxSimulator;
    /** The worker, once started. */
    readonly worker: SqsWorker | undefined;
    /** The configuration set whose events are published. */
    readonly configurationSetName: string;
    /** Waits until the events of every email sent so far are on the topic. */
    published(): Promise<void>;
    /**
     * Starts the worker that invokes the email-events function, as its event source mapping does;
     * `stopGraceMs` bounds the wait for invocations in progress at stop.
     */
    startWorker(invoke: (event: SQSEvent) => Promise<unknown>, stopGraceMs: number): SqsWorker;
    /**
     * Says that the senders of email are being stopped: the worker polls without a long-poll wait
     * from now on, so that {@link drain} that follows their stop waits for no long poll after theirs.
     */
    beginDrain(): void;
    /** Waits for the events in progress, then stops the worker once the queue is empty (its batches in progress finish). */
    drain(): Promise<void>;
    /** Drains, then stops the simulator and closes the SNS client. */
    stop(): Promise<void>;
}

/** Creates the topic, queue and DLQ and starts the mailbox simulator; the worker comes with {@link LocalEmailEvents.startWorker}. */
export async function startLocalEmailEvents(inputs: LocalEmailEventsInputs): Promise<LocalEmailEvents> {
    const sns = new SNSClient({
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        // fauxqs answers SNS on the same port as SQS.
        endpoint: inputs.endpoints.sqs,
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
    });
    let simulator: SesMailboxSimulator | undefined;
    try {
        const resources = await createEmailEventResources({ sns, sqs: inputs.sqs }, inputs.prefix, inputs.queue);
        sns.destroy();
        // On a thread of its own, with its own SNS client: see startSesMailboxSimulatorThread.
        simulator = await startSesMailboxSimulatorThread(
            {
                sesEndpoint: inputs.endpoints.ses,
                events: {
                    accountId: LOCAL_ACCOUNT_ID,
                    region: LOCAL_REGION,
                    configurationSetName: inputs.configurationSetName,
                    matchingEventTypes: inputs.matchingEventTypes,
                    ordinaryRecipients: inputs.ordinaryRecipients,
                },
                sns: { endpoint: inputs.endpoints.sqs, region: LOCAL_REGION, topicArn: resources.topicArn },
            },
            inputs.onError,
        );
        let worker: { readonly worker: DrainingSqsWorker; readonly graceMs: number } | undefined;
        const startWorker = (invoke: (event: SQSEvent) => Promise<unknown>, stopGraceMs: number): SqsWorker => {
            if (worker) throw new Error("the email-events worker is running already");
            const started = startSqsWorker({
                sqs: inputs.sqs,
                queueUrl: resources.queueUrl,
                queue: { arn: resources.queueArn, region: LOCAL_REGION },
                invoke,
                processing: inputs.processing ?? EMAIL_EVENTS_PROCESSING,
                ...(inputs.pollWaitSeconds !== undefined ? { pollWaitSeconds: inputs.pollWaitSeconds } : {}),
                ...(inputs.onBatch ? { onBatch: inputs.onBatch } : {}),
                ...(inputs.onError ? { onError: inputs.onError } : {}),
            });
            worker = { worker: started, graceMs: stopGraceMs };
            return started;
        };
        const running = simulator;
        let draining: Promise<void> | undefined;
        const drain = () =>
            (draining ??= (async () => {
                await running.idle();
                await worker?.worker.stop(worker.graceMs);
            })());
        let stopping: Promise<void> | undefined;
        return {
            resources,
            simulator: running,
            get worker() {
                return worker?.worker;
            },
            configurationSetName: inputs.configurationSetName,
            published: () => running.idle(),
            startWorker,
            beginDrain: () => worker?.worker.drainOnStop(),
            drain,
            stop: () =>
                (stopping ??= (async () => {
                    await drain();
                    await running.stop();
                })()),
        };
    } catch (err) {
        await simulator?.stop();
        sns.destroy();
        throw err;
    }
}
