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
import type { PipelineSettings } from "../../contract/settings";
import type { EmulatorEndpoints } from "../emulators/emulators";
import type { OrdinaryRecipients, SesEventType } from "../emulators/ses-event-records";
import { snsPublisher, startSesMailboxSimulator, type SesMailboxSimulator } from "../emulators/ses-mailbox-simulator";
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from "../lambda/lambda-environment";
import { startSqsWorker, type BatchReport, type SqsWorker } from "../worker/sqs-worker";
import { createEmailEventResources, type EmailEventQueueSettings, type EmailEventResources } from "./email-event-resources";

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
    /** The event source mapping's batch size, window and concurrency. */
    readonly processing: PipelineSettings["processing"];
    /** Invokes the email-events function; undefined: no worker (the events stay on the queue). */
    readonly invoke: ((event: SQSEvent) => Promise<unknown>) | undefined;
    /** Grace for the worker's invocations in progress at stop, in ms. */
    readonly stopGraceMs: number;
    readonly pollWaitSeconds?: number;
    readonly onBatch?: (report: BatchReport) => void;
    readonly onError?: (error: Error) => void;
}

/** The running email-events path. */
export interface LocalEmailEvents {
    readonly resources: EmailEventResources;
    readonly simulator: SesMailboxSimulator;
    readonly worker: SqsWorker | undefined;
    /** The configuration set whose events are published. */
    readonly configurationSetName: string;
    /** Waits until the events of every email sent so far are on the topic. */
    published(): Promise<void>;
    /** Stops the worker (its batches in progress finish); the simulator keeps passing requests. */
    drain(): Promise<void>;
    /** Drains, then stops the simulator and closes the SNS client. */
    stop(): Promise<void>;
}

/** Creates the topic, queue and DLQ, starts the mailbox simulator and, with `invoke`, the worker. */
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
        simulator = await startSesMailboxSimulator({
            sesEndpoint: inputs.endpoints.ses,
            events: {
                accountId: LOCAL_ACCOUNT_ID,
                region: LOCAL_REGION,
                configurationSetName: inputs.configurationSetName,
                matchingEventTypes: inputs.matchingEventTypes,
                ordinaryRecipients: inputs.ordinaryRecipients,
            },
            publish: snsPublisher(sns, resources.topicArn),
            ...(inputs.onError ? { onError: inputs.onError } : {}),
        });
        const worker = inputs.invoke
            ? startSqsWorker({
                  sqs: inputs.sqs,
                  queueUrl: resources.queueUrl,
                  queue: { arn: resources.queueArn, region: LOCAL_REGION },
                  invoke: inputs.invoke,
                  processing: inputs.processing,
                  ...(inputs.pollWaitSeconds !== undefined ? { pollWaitSeconds: inputs.pollWaitSeconds } : {}),
                  ...(inputs.onBatch ? { onBatch: inputs.onBatch } : {}),
                  ...(inputs.onError ? { onError: inputs.onError } : {}),
              })
            : undefined;
        const running = simulator;
        let draining: Promise<void> | undefined;
        const drain = () =>
            (draining ??= (async () => {
                await running.idle();
                await worker?.stop(inputs.stopGraceMs);
            })());
        let stopping: Promise<void> | undefined;
        return {
            resources,
            simulator: running,
            worker,
            configurationSetName: inputs.configurationSetName,
            published: () => running.idle(),
            drain,
            stop: () =>
                (stopping ??= (async () => {
                    await drain();
                    await running.stop();
                    sns.destroy();
                })()),
        };
    } catch (err) {
        await simulator?.stop();
        sns.destroy();
        throw err;
    }
}
