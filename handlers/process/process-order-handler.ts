import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { PROCESS_TIMEOUT_SECONDS } from "../../contract/defaults";
import { parseOrderMessage } from "../order/message";
import { createLogger, errorFields, stdoutLineWriter, type LineWriter } from "../runtime/log";
import { emitMetrics, metricsFunctionName } from "../runtime/metrics";
import { OrderStore } from "../store/order-store";
import { toBatchResponse } from "./batch-response";
import type { WorkflowStarter } from "../workflows/execution-names";
import { sesEmailSender } from "./email-sender";
import { createFollowUps, type OrderEventPublisher } from "./follow-ups";
import { createRecordProcessor, EmailInProgressError, recordCorrelationId, type ParsedRecord, type RecordOutcome, type RecordTally } from "./process-record";
import { backoffDelaySeconds, claimRecheckDelaySeconds, deferRetries, transientReason, type BackoffPolicy, type DeferredRetry } from "./retry-backoff";

/** The service name in ProcessOrder's logs and metrics. */
export const PROCESS_ORDER_SERVICE = "process-order";

/**
 * Added to an email claim's lease beyond the invocation's deadline, for clock differences
 * between Lambda hosts: a claim must not look expired while its holder may still run.
 */
export const EMAIL_CLAIM_CLOCK_MARGIN_MS = 1000;

/** What ProcessOrder needs; the entry module builds it from the environment. */
export interface ProcessOrderDependencies {
    /** Created once per container. */
    readonly dynamodb: DynamoDBClient;
    readonly tableName: string;
    /** The SES client and verified sender; absent when email is disabled (no SES client at all). */
    readonly email?: {
        readonly ses: SESv2Client;
        readonly source: string;
        /** The SES configuration set every email names (bounce, complaint and delivery events); absent: none. */
        readonly configurationSetName?: string;
    };
    /**
     * Retry backoff: a record failed for a transient reason comes back after the policy's delay
     * (ChangeMessageVisibility on the order queue). Absent: every failed record waits the queue's
     * visibility timeout.
     */
    readonly retry?: { readonly sqs: SQSClient; readonly queueUrl: string; readonly policy: BackoffPolicy; readonly random?: () => number };
    /** Publishes OrderPlaced and OrderConflict; absent when events are off. */
    readonly events?: OrderEventPublisher;
    /** Starts the shipping workflow of a confirmed order; absent when workflows are off. */
    readonly startShipping?: WorkflowStarter;
    /** The clock; defaults to the system clock. */
    readonly now?: () => Date;
    /** Where log and metric lines go; defaults to stdout. */
    readonly writeLine?: LineWriter;
}

/** The parts of Lambda's context ProcessOrder reads. */
export type ProcessOrderContext = Pick<Context, "getRemainingTimeInMillis"> & Partial<Pick<Context, "awsRequestId">>;

/** ProcessOrder's Lambda handler: an SQS batch in, the records to retry out. */
export type ProcessOrderHandler = (event: SQSEvent, context: ProcessOrderContext) => Promise<SQSBatchResponse>;

/**
 * Runs records so that records of one order go one after another (a duplicate in the same batch
 * then finds the order stored instead of racing for it) and different orders run concurrently.
 * Never rejects: each record's result is settled in place.
 */
async function settleByOrder(
    records: readonly ParsedRecord[],
    run: (record: ParsedRecord) => Promise<RecordOutcome>,
): Promise<PromiseSettledResult<RecordOutcome>[]> {
    const results: PromiseSettledResult<RecordOutcome>[] = new Array(records.length);
    const groups = new Map<string, number[]>();
    records.forEach((record, i) => {
        const key = record.parsed.ok ? `order:${record.parsed.message.orderId}` : `record:${i}`;
        groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    await Promise.all(
        [...groups.values()].map(async (indices) => {
            for (const i of indices) {
                try {
                    results[i] = { status: "fulfilled", value: await run(records[i]) };
                } catch (reason) {
                    results[i] = { status: "rejected", reason };
                }
            }
        }),
    );
    return results;
}

/**
 * When a failed record comes back: after the backoff for a transient failure, soon (then when the
 * claim runs out) for a copy whose email another invocation is sending; undefined: after the
 * visibility timeout.
 */
function retryOf(
    retry: NonNullable<ProcessOrderDependencies["retry"]>,
    reason: unknown,
    receiveCount: number,
    nowMs: number,
): Omit<DeferredRetry, "record"> | undefined {
    if (reason instanceof EmailInProgressError && reason.leaseUntil !== undefined) {
        return { reason: "claim-held", delaySeconds: claimRecheckDelaySeconds(retry.policy, receiveCount, reason.leaseUntil, nowMs) };
    }
    const transient = transientReason(reason);
    return transient ? { reason: transient, delaySeconds: backoffDelaySeconds(retry.policy, receiveCount, retry.random) } : undefined;
}

/**
 * Creates ProcessOrder: each record of the SQS batch is processed on its own (store once, email at
 * most once, confirm, then publish OrderPlaced and start the shipping workflow when those options
 * are on), and the response lists exactly the records that failed, so SQS retries
 * those and, after maxReceiveCount receives, moves them to the DLQ. It never throws a batch away.
 */
export function createProcessOrderHandler(deps: ProcessOrderDependencies): ProcessOrderHandler {
    const now = deps.now ?? (() => new Date());
    const write = deps.writeLine ?? stdoutLineWriter;
    const log = createLogger(write);
    const functionName = metricsFunctionName(PROCESS_ORDER_SERVICE);
    const processRecord = createRecordProcessor({
        store: new OrderStore(deps.dynamodb, deps.tableName),
        sendEmail: deps.email ? sesEmailSender(deps.email.ses, deps.email.source, deps.email.configurationSetName) : undefined,
        followUps: createFollowUps({ events: deps.events, startShipping: deps.startShipping }),
        now,
        log,
    });

    return async (event, context) => {
        const records: SQSRecord[] = Array.isArray(event?.Records) ? event.Records : [];
        try {
            // An email claim taken in this invocation lasts until the invocation's deadline: after
            // it, Lambda has stopped this invocation, so the claim is stale and may be taken over.
            const remainingMs =
                typeof context?.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : PROCESS_TIMEOUT_SECONDS * 1000;
            const leaseUntil = now().getTime() + remainingMs + EMAIL_CLAIM_CLOCK_MARGIN_MS;
            const parsed = records.map((record): ParsedRecord => ({ record, parsed: parseOrderMessage(String(record.body ?? "")) }));
            const tally: RecordTally = { processed: 0, duplicates: 0, conflicts: 0, emailsSent: 0, ordersFailed: 0 };
            const results = await settleByOrder(parsed, (record) => processRecord(record, leaseUntil, tally));

            let failures = 0;
            const retries: DeferredRetry[] = [];
            results.forEach((result, i) => {
                if (result.status === "fulfilled") return;
                failures++;
                const record = records[i];
                const message = parsed[i].parsed;
                const orderId = message.ok ? message.message.orderId : undefined;
                const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 0);
                const retry = deps.retry && retryOf(deps.retry, result.reason, receiveCount, now().getTime());
                const transient = retry?.reason;
                const retryInSeconds = retry?.delaySeconds;
                if (retry) retries.push({ record, ...retry });
                // The DLQ tool reads this line's messageId and error to show why a message failed.
                log.error("record failed; SQS will redeliver it (or move it to the DLQ after the last receive)", {
                    orderId,
                    correlationId: recordCorrelationId(record),
                    messageId: record.messageId,
                    receiveCount,
                    requestId: context?.awsRequestId,
                    ...(transient ? { transient, retryInSeconds } : {}),
                    ...errorFields(result.reason),
                });
            });
            if (deps.retry && retries.length > 0) {
                const notDeferred = await deferRetries(deps.retry.sqs, deps.retry.queueUrl, retries);
                if (notDeferred.length > 0) log.warn("retry backoff not applied; these records wait the visibility timeout", { messageIds: notDeferred.join(",") });
            }
            emitMetrics(functionName, { ...tally, failures }, write);
            return toBatchResponse(records, results);
        } catch (err) {
            // Only a fault in this function itself gets here; report every record so none is lost.
            try {
                log.error("batch failed; every record will be redelivered", { requestId: context?.awsRequestId, ...errorFields(err) });
            } catch {
                // Nothing left to report to.
            }
            return { batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })) };
        }
    };
}
