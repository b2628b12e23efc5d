import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import type { PipelineSettings } from "../../contract/settings";
import { readBatchResponse } from "./batch-response";
import { FunctionInvocationError } from "../lambda/lambda-sandbox";
import { toSqsEvent, type EventSourceQueue } from "./sqs-event";

/** SQS returns at most 10 messages per ReceiveMessage and deletes at most 10 per DeleteMessageBatch. */
const SQS_BATCH_LIMIT = 10;

/**
 * Pause after an empty short poll while a batching window is open. The window's end gets a poll of
 * its own, so the batch holds whatever arrived by then however long the pause; a shorter pause only
 * costs more empty receives (each a signed request and an answer) while a batch waits to fill.
 */
const WINDOW_POLL_PAUSE_MS = 200;

/** Pause after a failed ReceiveMessage before polling again. */
const POLL_ERROR_PAUSE_MS = 1000;

/** Pause after an empty short poll of a draining worker (see {@link DrainingSqsWorker.drainOnStop}). */
const DRAIN_POLL_PAUSE_MS = 100;

/** Settings of {@link startSqsWorker}: `processing` is what the component gives the event source mapping. */
export interface SqsWorkerOptions {
    readonly sqs: SQSClient;
    readonly queueUrl: string;
    readonly queue: EventSourceQueue;
    /** Invokes the function with an SQS event; rejects when the invocation fails or times out. */
    readonly invoke: (event: SQSEvent) => Promise<unknown>;
    /**
     * Records per invocation, seconds spent gathering records before invoking with a partial batch,
     * and most concurrent invocations, as resolved for the pipeline.
     */
    readonly processing: PipelineSettings["processing"];
    /**
     * Long-poll wait of an empty receive, in seconds. Lambda waits 20; local mode defaults to 1 so
     * that a shutdown, which lets outstanding receives return, takes about a second.
     */
    readonly pollWaitSeconds?: number;
    /** Called after each batch with what happened to it. */
    readonly onBatch?: (report: BatchReport) => void;
    /** Called when polling or deleting fails (the worker carries on). */
    readonly onError?: (error: Error) => void;
}

/** What happened to one batch. */
export interface BatchReport {
    readonly messageIds: readonly string[];
    /** `ApproximateReceiveCount` of each record, in the same order. */
    readonly receiveCounts: readonly number[];
    /**
     * `ok`: every record succeeded; `partial`: some were reported in batchItemFailures;
     * `error`/`timeout`/`invalid-response`: the whole batch failed and returns after the visibility
     * timeout; `abandoned`: the worker was abandoned mid-batch and deleted nothing.
     */
    readonly outcome: "ok" | "partial" | "error" | "timeout" | "invalid-response" | "abandoned";
    /** Records deleted from the queue. */
    readonly deleted: readonly string[];
    /** Records left to the visibility timeout. */
    readonly failed: readonly string[];
    /** Why the batch failed as a whole, if it did. */
    readonly reason?: string;
}

/** Running totals of a worker. */
export interface SqsWorkerCounts {
    batches: number;
    received: number;
    deleted: number;
    failed: number;
    /** Records in invocations that have not finished. */
    inFlight: number;
    /** Largest number of concurrent invocations seen. */
    peakConcurrency: number;
    errors: number;
}

/** A running event source mapping. */
export interface SqsWorker {
    readonly counts: SqsWorkerCounts;
    /**
     * Stops polling; receives already under way return and their messages are invoked; waits for
     * invocations in progress to finish and their records to be deleted, up to `graceMs`. Records
     * still in progress after that stay in flight on the queue and return after the visibility
     * timeout: a received message is never dropped.
     */
    stop(graceMs?: number): Promise<void>;
    /**
     * Simulates the worker's process dying: stops at once and never deletes another record, so
     * that every message it holds returns after the visibility timeout.
     */
    abandon(): void;
}

/** A worker that can also be told that what feeds its queue is stopping. */
export interface DrainingSqsWorker extends SqsWorker {
    /**
     * From now on polls without a long-poll wait (pausing briefly after an empty receive), and a
     * later {@link SqsWorker.stop} returns once a receive comes back empty: the stop waits for no
     * long poll, and takes what is left on the queue. The long polls under way keep their wait.
     * For a queue whose senders are being stopped, so that its stop need not follow theirs.
     */
    drainOnStop(): void;
}

/**
 * Polls an SQS queue and invokes a function the way Lambda's SQS event source mapping does:
 * `maxConcurrency` pollers long-poll ReceiveMessage (all system and message attributes), gather
 * up to `batchSize` records within the batching window, invoke the function with a real SQS event,
 * and delete (DeleteMessageBatch) the records not reported in `batchItemFailures`. A failed,
 * timed-out or malformed invocation leaves the whole batch to the visibility timeout, so a record
 * that keeps failing reaches the DLQ after maxReceiveCount receives.
 */
export function startSqsWorker(options: SqsWorkerOptions): DrainingSqsWorker {
    const { batchSize, maximumConcurrency: concurrency } = options.processing;
    const windowMs = options.processing.maxBatchingWindowSeconds * 1000;
    const pollWaitSeconds = options.pollWaitSeconds ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`maximumConcurrency must be a positive integer, got ${concurrency}`);

    const counts: SqsWorkerCounts = { batches: 0, received: 0, deleted: 0, failed: 0, inFlight: 0, peakConcurrency: 0, errors: 0 };
    let invoking = 0;
    let stopping = false;
    let draining = false;
    let abandoned = false;
    const wakers = new Set<() => void>();
    const wakeAll = () => {
        for (const wake of wakers) wake();
        wakers.clear();
    };

    /** Waits `ms`, or less when the worker is told to stop. */
    const pause = (ms: number) =>
        new Promise<void>((resolve) => {
            if (stopping) return resolve();
            const timer = setTimeout(() => {
                wakers.delete(done);
                resolve();
            }, ms);
            const done = () => {
                clearTimeout(timer);
                resolve();
            };
            wakers.add(done);
        });

    const report = (error: unknown) => {
        counts.errors++;
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
    };

    const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
        const { Messages } = await options.sqs.send(
            new ReceiveMessageCommand({
                QueueUrl: options.queueUrl,
                MaxNumberOfMessages: max,
                WaitTimeSeconds: waitSeconds,
                MessageSystemAttributeNames: ["All"],
                MessageAttributeNames: ["All"],
            }),
        );
        return Messages ?? [];
    };

    /** Gathers one batch: a long poll, then short polls until the batch is full or the window closes (with a last poll at its end). */
    const gather = async (): Promise<Message[]> => {
        const batch = await receive(Math.min(SQS_BATCH_LIMIT, batchSize), draining ? 0 : pollWaitSeconds);
        if (batch.length === 0 || windowMs <= 0) return batch;
        const windowEnd = Date.now() + windowMs;
        while (batch.length < batchSize && !stopping) {
            const more = await receive(Math.min(SQS_BATCH_LIMIT, batchSize - batch.length), 0);
            batch.push(...more);
            const left = windowEnd - Date.now();
            if (left <= 0) break;
            if (more.length === 0) await pause(Math.min(WINDOW_POLL_PAUSE_MS, left));
        }
        return batch;
    };

    const deleteRecords = async (messages: readonly Message[]): Promise<string[]> => {
        const deleted: string[] = [];
        for (let i = 0; i < messages.length; i += SQS_BATCH_LIMIT) {
            const chunk = messages.slice(i, i + SQS_BATCH_LIMIT);
            try {
                const result = await options.sqs.send(
                    new DeleteMessageBatchCommand({
                        QueueUrl: options.queueUrl,
                        Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle! })),
                    }),
                );
                for (const ok of result.Successful ?? []) deleted.push(chunk[Number(ok.Id)].MessageId!);
                for (const failed of result.Failed ?? []) report(new Error(`DeleteMessageBatch failed for ${chunk[Number(failed.Id)].MessageId}: ${failed.Message}`));
            } catch (err) {
                // Not deleted: the record is processed again after the visibility timeout (idempotent).
                report(err);
            }
        }
        return deleted;
    };

    const runBatch = async (messages: Message[]): Promise<void> => {
        const messageIds = messages.map((m) => m.MessageId!);
        const receiveCounts = messages.map((m) => Number(m.Attributes?.ApproximateReceiveCount ?? 1));
        counts.batches++;
        counts.received += messages.length;
        counts.inFlight += messages.length;
        invoking++;
        counts.peakConcurrency = Math.max(counts.peakConcurrency, invoking);
        let outcome: BatchReport["outcome"];
        let reason: string | undefined;
        let succeeded: Message[] = [];
        try {
            const response = await options.invoke(toSqsEvent(messages, options.queue));
            const verdict = readBatchResponse(response, messageIds);
            if ("invalid" in verdict) {
                outcome = "invalid-response";
                reason = verdict.invalid;
            } else {
                succeeded = messages.filter((m) => !verdict.failed.has(m.MessageId!));
                outcome = verdict.failed.size === 0 ? "ok" : "partial";
            }
        } catch (err) {
            outcome = err instanceof FunctionInvocationError && err.timedOut ? "timeout" : "error";
            reason = err instanceof Error ? err.message : String(err);
        } finally {
            invoking--;
        }
        if (abandoned) {
            outcome = "abandoned";
            succeeded = [];
        }
        const deleted = await deleteRecords(succeeded);
        const deletedSet = new Set(deleted);
        const failed = messageIds.filter((id) => !deletedSet.has(id));
        counts.deleted += deleted.length;
        counts.failed += failed.length;
        counts.inFlight -= messages.length;
        options.onBatch?.({ messageIds, receiveCounts, outcome, deleted, failed, ...(reason ? { reason } : {}) });
    };

    const poll = async (): Promise<void> => {
        // A draining worker polls on after the stop, until a receive comes back empty.
        while (!stopping || draining) {
            let batch: Message[];
            try {
                batch = await gather();
            } catch (err) {
                if (stopping) return;
                report(err);
                await pause(POLL_ERROR_PAUSE_MS);
                continue;
            }
            // A dead worker does nothing with what it received: those messages return after the timeout.
            if (abandoned) return;
            if (batch.length > 0) await runBatch(batch);
            else if (stopping) return;
            else if (draining) await pause(DRAIN_POLL_PAUSE_MS);
        }
    };

    const pollers = Promise.all(Array.from({ length: concurrency }, () => poll()));

    return {
        counts,
        async stop(graceMs = 30_000) {
            stopping = true;
            wakeAll();
            let timer: NodeJS.Timeout | undefined;
            const graceOver = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
            const finished = await Promise.race([pollers.then(() => "done" as const), graceOver]);
            clearTimeout(timer);
            if (finished === "late") abandoned = true;
        },
        abandon() {
            abandoned = true;
            stopping = true;
            draining = false;
            wakeAll();
        },
        drainOnStop() {
            draining = true;
        },
    };
}
