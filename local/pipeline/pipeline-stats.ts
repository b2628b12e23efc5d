import { ScanCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { LogListener, LogVolume } from "../lambda/function-logs";
import type { BaseFunctionKind } from "../../contract/functions";
import type { SqsWorkerCounts } from "../worker/sqs-worker";

/** HTTP answers of the local API since start. */
export interface ApiCounts {
    /** 202 answers to `POST /orders`: orders the pipeline now owes. */
    accepted: number;
    /** Other 2xx answers (e.g. `GET /orders/{id}` 200). */
    ok: number;
    /** 4xx answers: the client's mistake, nothing accepted. */
    rejected: number;
    /** 5xx answers. */
    failed: number;
}

/** Per-function invocation counts and log volume. */
export interface FunctionStats {
    invocations: number;
    errors: number;
    timeouts: number;
    log: LogVolume;
}

/** A snapshot of a local pipeline. */
export interface PipelineStats {
    readonly api: ApiCounts;
    /** Orders ProcessOrder stored for the first time since start (its `processed` metric). */
    readonly stored: number;
    /** Confirmation emails the SES emulator accepted from the pipeline's sender since start. */
    readonly emails: number;
    /** Messages on the order queue, waiting or being processed. */
    readonly queued: number;
    /** Records in ProcessOrder invocations right now. */
    readonly processing: number;
    /** Messages in the DLQ. */
    readonly dlq: number;
    readonly worker: SqsWorkerCounts;
    readonly functions: Readonly<Record<BaseFunctionKind, FunctionStats>> & { readonly refund?: FunctionStats; readonly emailEvents?: FunctionStats };
    /** Workflow executions, with workflows on. */
    readonly executions?: { readonly started: number; readonly running: number; readonly succeeded: number; readonly failed: number };
    /** Events on the local bus and deliveries to its targets, with events on. */
    readonly events?: { readonly published: number; readonly delivered: number; readonly failed: number };
    /** SES delivery events, with email on. */
    readonly emailEvents?: EmailEventCounts;
}

/** SES delivery events on their way to the orders. */
export interface EmailEventCounts {
    /** Events the mailbox simulator published to the email-events topic since start. */
    readonly published: number;
    /** Events it could not publish. */
    readonly failed: number;
    /** Events of emails sent, not published yet. */
    readonly publishing: number;
    /** Messages on the email-events queue, waiting or being processed. */
    readonly queued: number;
    /** Messages in the email-events DLQ. */
    readonly dlq: number;
}

/** Reads the email-events counts: the simulator's, and the two queues'. */
export async function emailEventStats(
    sqs: SQSClient,
    path: { readonly resources: { readonly queueUrl: string; readonly dlqUrl: string }; readonly simulator: { readonly counts: { readonly published: number; readonly failed: number; readonly publishing: number } } },
): Promise<EmailEventCounts> {
    const [queued, dlq] = await Promise.all([countMessages(sqs, path.resources.queueUrl), countMessages(sqs, path.resources.dlqUrl)]);
    const { published, failed, publishing } = path.simulator.counts;
    return { published, failed, publishing, queued, dlq };
}

/**
 * Counts the orders ProcessOrder stored for the first time, from the `processed` member of its
 * Embedded Metric Format lines (one per invocation, written once every record settled).
 */
export function createStoredCounter(): { readonly stored: number; listener(next?: LogListener): LogListener } {
    let stored = 0;
    return {
        get stored() {
            return stored;
        },
        listener: (next) => (functionName, line) => {
            if (line.startsWith('{"_aws"')) {
                const processed = (JSON.parse(line) as { processed?: unknown }).processed;
                if (typeof processed === "number") stored += processed;
            }
            next?.(functionName, line);
        },
    };
}

/** Counts the items of a table with paged `Scan`s (`Select: COUNT`); dynalite keeps no ItemCount. */
export async function countItems(dynamodb: DynamoDBClient, tableName: string): Promise<number> {
    let count = 0;
    let startKey: Record<string, any> | undefined;
    do {
        const page = await dynamodb.send(new ScanCommand({ TableName: tableName, Select: "COUNT", ExclusiveStartKey: startKey }));
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
}

/** Messages on a queue: visible, in flight and delayed. */
export async function countMessages(sqs: SQSClient, queueUrl: string): Promise<number> {
    const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
        }),
    );
    return (
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
    );
}

/**
 * The one status line local mode shows, e.g. `accepted 12 · stored 12 · emails 12 · in flight 0 · DLQ 0`,
 * with email `· email events 12 (0 queued, DLQ 0)`, with workflows `· executions 3 (1 running, 0 failed)`,
 * with events `· events 5 (5 delivered)`.
 */
export function formatStatus(stats: PipelineStats): string {
    const { executions, events, emailEvents } = stats;
    return [
        `accepted ${stats.api.accepted}`,
        `stored ${stats.stored}`,
        `emails ${stats.emails}`,
        `in flight ${stats.queued}`,
        `DLQ ${stats.dlq}`,
        ...(emailEvents ? [`email events ${emailEvents.published} (${emailEvents.queued} queued, DLQ ${emailEvents.dlq}${emailEvents.failed > 0 ? `, ${emailEvents.failed} unpublished` : ""})`] : []),
        ...(executions ? [`executions ${executions.started} (${executions.running} running, ${executions.failed} failed)`] : []),
        ...(events ? [`events ${events.published} (${events.delivered} delivered${events.failed > 0 ? `, ${events.failed} failed` : ""})`] : []),
    ].join(" · ");
}
