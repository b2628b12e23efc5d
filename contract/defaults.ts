/**
 * Every default of the pipeline with its valid range: the component deploys these, local mode
 * runs with them, the policy pack checks against them and the docs show them. Pure data and
 * arithmetic: no Pulumi, no AWS SDK.
 */
import { integerRange, numberRange, type Range } from "./problems";

/** A number setting: its default and the range an argument may take. */
export interface NumberSetting extends Range {
    readonly default: number;
}

function integerSetting(defaultValue: number, min: number, max: number, why?: string): NumberSetting {
    return { default: defaultValue, ...integerRange(min, max, why) };
}

/** API Gateway ends an HTTP API integration after 30 seconds, so an API function may not run longer. */
export const API_INTEGRATION_TIMEOUT_SECONDS = 30;

const API_FUNCTION_TIMEOUT_WHY = ` (API Gateway ends HTTP API integrations after ${API_INTEGRATION_TIMEOUT_SECONDS} s)`;

/** The SQS limit on message retention, in seconds (14 days). */
const SQS_MAX_RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * The number settings of {@link OrderPipelineArgs}, by argument path. The ranges are AWS's limits
 * unless the `why` says otherwise.
 */
export const SETTINGS = {
    /** HTTP API default-route throttling: requests the token bucket holds for bursts. */
    "api.throttle.burstLimit": integerSetting(100, 1, 5000, " (API Gateway's default account burst)"),
    /** HTTP API default-route throttling: steady-state requests per second. */
    "api.throttle.rateLimit": { default: 50, ...numberRange(0, 10000, { exclusiveMin: true, why: " requests per second" }) },
    /** CORS, when enabled: seconds a browser may cache a preflight answer. */
    "api.cors.maxAgeSeconds": integerSetting(300, 0, 86400),
    /** Receives before SQS moves a message to the DLQ (RedrivePolicy maxReceiveCount). */
    "queue.maxReceiveCount": integerSetting(3, 1, 1000),
    /** Seconds the order queue keeps a message: 4 days, the SQS default. */
    "queue.retentionSeconds": integerSetting(4 * 24 * 3600, 60, SQS_MAX_RETENTION_SECONDS),
    /** Seconds the DLQ keeps a message: 14 days, the SQS maximum. */
    "queue.dlqRetentionSeconds": integerSetting(SQS_MAX_RETENTION_SECONDS, 60, SQS_MAX_RETENTION_SECONDS),
    /** Records per ProcessOrder invocation (the event source mapping's batch size; Lambda allows up to 10000 for standard queues). */
    "processing.batchSize": integerSetting(10, 1, 10000),
    /**
     * Seconds the event source mapping waits to fill a batch. One second trades a little latency on
     * a quiet queue for fuller batches (fewer invocations) under load; the 202 does not wait for it.
     */
    "processing.maxBatchingWindowSeconds": integerSetting(1, 0, 300),
    /**
     * Concurrent ProcessOrder invocations the event source mapping may run. The load-levelling
     * lever: 5 x 10 records caps the write rate on DynamoDB and the send rate on SES (whose default
     * production quota is 14 emails/s) while the queue absorbs bursts.
     */
    "processing.maximumConcurrency": integerSetting(5, 2, 1000, " (Lambda's range for SQS)"),
    /** Memory of each function in MB; 256 MB is enough for a bundled handler and keeps the cold start short. */
    "functions.memoryMb": integerSetting(256, 128, 10240),
    /** SubmitOrder's timeout in seconds. */
    "functions.submitTimeoutSeconds": integerSetting(10, 1, API_INTEGRATION_TIMEOUT_SECONDS, API_FUNCTION_TIMEOUT_WHY),
    /** ProcessOrder's timeout in seconds. */
    "functions.processTimeoutSeconds": integerSetting(30, 1, 900),
    /** GetOrder's timeout in seconds. */
    "functions.getTimeoutSeconds": integerSetting(10, 1, API_INTEGRATION_TIMEOUT_SECONDS, API_FUNCTION_TIMEOUT_WHY),
    /** RefundOrder's timeout in seconds (with workflows). */
    "functions.refundTimeoutSeconds": integerSetting(10, 1, API_INTEGRATION_TIMEOUT_SECONDS, API_FUNCTION_TIMEOUT_WHY),
    /**
     * The email-events function's timeout in seconds (with email): one conditional write per SES
     * event, and a read when it is refused. Its queue's visibility timeout is derived from it.
     */
    "functions.emailEventsTimeoutSeconds": integerSetting(10, 1, 900),
    /** Alarm when the oldest message on the order queue is older than this many seconds. */
    "alarms.oldestMessageAgeSeconds": integerSetting(300, 60, SQS_MAX_RETENTION_SECONDS),
} as const satisfies Record<string, NumberSetting>;

/** An argument path of {@link SETTINGS}. */
export type SettingPath = keyof typeof SETTINGS;

export const THROTTLE_BURST_LIMIT = SETTINGS["api.throttle.burstLimit"].default;
export const THROTTLE_RATE_LIMIT = SETTINGS["api.throttle.rateLimit"].default;
export const CORS_MAX_AGE_SECONDS = SETTINGS["api.cors.maxAgeSeconds"].default;
export const MAX_RECEIVE_COUNT = SETTINGS["queue.maxReceiveCount"].default;
export const QUEUE_RETENTION_SECONDS = SETTINGS["queue.retentionSeconds"].default;
export const DLQ_RETENTION_SECONDS = SETTINGS["queue.dlqRetentionSeconds"].default;
export const BATCH_SIZE = SETTINGS["processing.batchSize"].default;
export const MAX_BATCHING_WINDOW_SECONDS = SETTINGS["processing.maxBatchingWindowSeconds"].default;
export const MAX_CONCURRENCY = SETTINGS["processing.maximumConcurrency"].default;
export const MEMORY_MB = SETTINGS["functions.memoryMb"].default;
export const SUBMIT_TIMEOUT_SECONDS = SETTINGS["functions.submitTimeoutSeconds"].default;
export const PROCESS_TIMEOUT_SECONDS = SETTINGS["functions.processTimeoutSeconds"].default;
export const GET_TIMEOUT_SECONDS = SETTINGS["functions.getTimeoutSeconds"].default;
export const REFUND_TIMEOUT_SECONDS = SETTINGS["functions.refundTimeoutSeconds"].default;
export const EMAIL_EVENTS_TIMEOUT_SECONDS = SETTINGS["functions.emailEventsTimeoutSeconds"].default;
export const OLDEST_MESSAGE_ALARM_SECONDS = SETTINGS["alarms.oldestMessageAgeSeconds"].default;

/**
 * The smallest visibility timeout that keeps a message invisible while a worker may still hold it:
 * at least 6x the function timeout plus the batching window (Lambda's SQS guidance).
 */
export function minVisibilityTimeoutSeconds(functionTimeoutSeconds: number, batchingWindowSeconds: number): number {
    return 6 * functionTimeoutSeconds + batchingWindowSeconds;
}

/** The order queue's default visibility timeout, derived from ProcessOrder's defaults (181 s). */
export const VISIBILITY_TIMEOUT_SECONDS = minVisibilityTimeoutSeconds(PROCESS_TIMEOUT_SECONDS, MAX_BATCHING_WINDOW_SECONDS);

/** SQS's range for a queue's visibility timeout (0 to 12 hours); the derived minimum applies as well. */
export const VISIBILITY_TIMEOUT_RANGE = integerRange(0, 43200);

/** CloudWatch Logs accepts only these retention periods in days (PutRetentionPolicy). */
export const LOG_RETENTION_VALUES: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** CloudWatch Logs retention in days of every log group the component creates. */
export const LOG_RETENTION_DAYS = 30;

/** The order table's partition key (a string). */
export const TABLE_KEY = "orderId";

/** CORS, when enabled: the request headers a browser client of this API sends. */
export const CORS_ALLOW_HEADERS: readonly string[] = ["content-type", "idempotency-key", "x-correlation-id"];

/**
 * CORS, when enabled: the response headers a browser client may read: where the new order is, the
 * id to quote when asking about a request, and when to retry after a 503.
 */
export const CORS_EXPOSE_HEADERS: readonly string[] = ["location", "x-correlation-id", "retry-after"];

/** Alarm evaluation period: one minute, the finest period of standard-resolution AWS metrics. */
export const ALARM_PERIOD_SECONDS = 60;

/** Active X-Ray tracing of every function, by default off. */
export const TRACING = false;

/**
 * The CloudWatch dashboard, by default off: at $3 a month it would be most of an idle deployment's
 * bill, and the alarms, not a dashboard, are what tell an operator something is wrong.
 */
export const DASHBOARD = false;

/**
 * Stacks whose name matches this get deletion protection on the orders table (and a created user
 * pool) by default, so that a mistaken `pulumi destroy` or replacement cannot drop production data.
 */
export const PRODUCTION_STACK_PATTERN = /prod/i;

/** Whether a stack name looks like production (then deletion protection is on by default). */
export function isProductionStack(stack: string): boolean {
    return PRODUCTION_STACK_PATTERN.test(stack);
}

/**
 * Leave the AWS SDK v3 to the copy in the Lambda runtime instead of bundling it. Measured by
 * `npm run bench` (cold module load, 20 fresh processes per variant, four full runs): starts were
 * 0-18% faster and bundles 3.6-7.3x smaller with the runtime's SDK. The price is that the SDK
 * version is the runtime's rather than the one tested here.
 */
export const BUNDLE_AWS_SDK = false;

/**
 * ProcessOrder's retry backoff after a transient failure (throttling, a 5xx answer, a timeout): the
 * first retry comes after 15 to 30 s (base 30 s, equal jitter), each later one after twice as long,
 * so that with 3 receives an order rides out an outage of at least 45 s before it reaches the DLQ,
 * instead of waiting the full visibility timeout (181 s) before every retry.
 */
export const RETRY_BASE_DELAY_SECONDS = 30;

/**
 * The longest retry delay: one second below the queue's visibility timeout, so that a backed-off
 * record never comes back later than it would without backoff.
 */
export function retryMaxDelaySeconds(visibilityTimeoutSeconds: number): number {
    return Math.max(0, visibilityTimeoutSeconds - 1);
}
