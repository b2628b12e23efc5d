/**
 * Per-message retry backoff of ProcessOrder: a record that failed for a transient reason
 * (throttling, a 5xx answer or a timeout from DynamoDB, SES or EventBridge) is made visible again
 * after an exponential delay with jitter (ChangeMessageVisibility) instead of after the queue's
 * whole visibility timeout. Any other failure (an invalid message, an order that cannot move) keeps
 * the visibility timeout, so it still reaches the DLQ after maxReceiveCount receives.
 */
import { ChangeMessageVisibilityBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";

/** How long a transient failure waits before its retry. */
export interface BackoffPolicy {
    /** The delay after the first receive, before jitter, in seconds. */
    readonly baseDelaySeconds: number;
    /** The longest delay, in seconds: below the queue's visibility timeout. */
    readonly maxDelaySeconds: number;
}

/** Error names AWS services and the SDK give throttling. */
const THROTTLING_NAMES = new Set([
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "LimitExceededException",
    "SlowDown",
]);

/** Error names and Node.js codes of a request that got no answer in time or lost its connection. */
const TIMEOUT_NAMES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "AbortError"]);
const NETWORK_CODES = new Set(["ETIMEDOUT", "ECONNRESET", "ECONNREFUSED", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED", "EHOSTUNREACH", "ENETUNREACH"]);

/** Why a failure counts as transient, or undefined when it does not. */
export type TransientReason = "throttling" | "server-error" | "timeout";

/**
 * Classifies a failure: throttling, a 5xx answer, or a timeout or lost connection is transient
 * (the same request can succeed later); anything else is not. Looks through `cause` chains, since
 * a handler may wrap the SDK's error.
 */
export function transientReason(err: unknown): TransientReason | undefined {
    for (let e: unknown = err, depth = 0; e !== null && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
        const error = e as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown }; $retryable?: { throttling?: boolean } };
        const name = typeof error.name === "string" ? error.name : "";
        const status = typeof error.$metadata?.httpStatusCode === "number" ? error.$metadata.httpStatusCode : undefined;
        if (THROTTLING_NAMES.has(name) || status === 429 || error.$retryable?.throttling === true) return "throttling";
        if (status !== undefined && status >= 500 && status <= 599) return "server-error";
        if (TIMEOUT_NAMES.has(name) || (typeof error.code === "string" && NETWORK_CODES.has(error.code))) return "timeout";
    }
    return undefined;
}

/**
 * The delay before the retry of a record received `receiveCount` times: the base doubled per
 * earlier receive, capped at the maximum, with equal jitter (half fixed, half random), so that
 * records failed together do not all come back at once and none comes back at once. Whole seconds,
 * as SQS takes them; at least 1.
 */
export function backoffDelaySeconds(policy: BackoffPolicy, receiveCount: number, random: () => number = Math.random): number {
    const attempt = Math.max(1, Math.floor(receiveCount) || 1);
    const ceiling = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (attempt - 1));
    const delay = ceiling / 2 + random() * (ceiling / 2);
    return Math.max(1, Math.min(Math.floor(policy.maxDelaySeconds), Math.ceil(delay)));
}

/** The first recheck of a copy of an order whose email another invocation is sending, in seconds. */
export const CLAIM_RECHECK_FIRST_SECONDS = 2;

/**
 * The delay before a copy of an order comes back when another invocation holds the order's email
 * claim (a duplicate delivery processed at the same time). The holder usually finishes within a
 * second, so the first recheck comes after {@link CLAIM_RECHECK_FIRST_SECONDS}; a later one waits
 * until the claim runs out, when it is decided either way (sent, or free to take over). So a copy
 * uses at most two receives on a claim, as it did when it waited the whole visibility timeout.
 */
export function claimRecheckDelaySeconds(policy: BackoffPolicy, receiveCount: number, leaseUntilMs: number, nowMs: number): number {
    const untilLeaseEnds = Math.min(Math.floor(policy.maxDelaySeconds), Math.max(1, Math.ceil((leaseUntilMs - nowMs) / 1000)));
    return receiveCount <= 1 ? Math.min(untilLeaseEnds, CLAIM_RECHECK_FIRST_SECONDS) : untilLeaseEnds;
}

/** One record to delay, and by how much. */
export interface DeferredRetry {
    readonly record: SQSRecord;
    readonly delaySeconds: number;
    /** A transient failure, or `claim-held`: another invocation is sending the order's email. */
    readonly reason: TransientReason | "claim-held";
}

/** SQS changes the visibility of at most 10 messages per batch call. */
const SQS_BATCH_LIMIT = 10;

/**
 * Makes the records visible again after their delays (ChangeMessageVisibilityBatch on the order
 * queue). Returns the message ids whose change failed: those keep the visibility timeout, which is
 * what they had before, so a failure here loses nothing.
 */
export async function deferRetries(sqs: SQSClient, queueUrl: string, retries: readonly DeferredRetry[]): Promise<string[]> {
    const failed: string[] = [];
    for (let i = 0; i < retries.length; i += SQS_BATCH_LIMIT) {
        const chunk = retries.slice(i, i + SQS_BATCH_LIMIT);
        try {
            const answer = await sqs.send(
                new ChangeMessageVisibilityBatchCommand({
                    QueueUrl: queueUrl,
                    Entries: chunk.map((retry, n) => ({ Id: String(n), ReceiptHandle: retry.record.receiptHandle, VisibilityTimeout: retry.delaySeconds })),
                }),
            );
            for (const bad of answer.Failed ?? []) failed.push(chunk[Number(bad.Id)].record.messageId);
        } catch {
            failed.push(...chunk.map((retry) => retry.record.messageId));
        }
    }
    return failed;
}
