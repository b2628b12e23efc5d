/**
 * The one source of truth for the pipeline's settings: the component deploys these, local mode
 * runs with them, and the policy pack expects them. Pure data and arithmetic, no AWS import, so
 * that handlers, local mode and policies can load it without pulling in Pulumi.
 */

/** Receives before SQS moves a message to the DLQ. */
export const MAX_RECEIVE_COUNT = 3;

/** Records per ProcessOrder invocation (the SQS event source mapping's batch size). */
export const BATCH_SIZE = 10;

/**
 * Seconds the event source mapping waits to fill a batch. One second trades a little latency on a
 * quiet queue for fuller batches (fewer invocations) under load; the 202 does not wait for it.
 */
export const MAX_BATCHING_WINDOW_SECONDS = 1;

/**
 * Concurrent ProcessOrder invocations the event source mapping may run (AWS minimum is 2). This is
 * the load-levelling lever: 5 x 10 records caps the write rate on DynamoDB and the send rate on
 * SES (whose default production quota is 14 emails/s) while the queue absorbs bursts.
 */
export const MAX_CONCURRENCY = 5;

/** Function timeouts in seconds. */
export const SUBMIT_TIMEOUT_SECONDS = 10;
export const PROCESS_TIMEOUT_SECONDS = 30;
export const GET_TIMEOUT_SECONDS = 10;
export const REFUND_TIMEOUT_SECONDS = 10;

/** Function memory in MB; 256 MB is enough for a bundled handler and keeps the cold start short. */
export const MEMORY_MB = 256;

/** CloudWatch Logs retention for every log group the component creates. */
export const LOG_RETENTION_DAYS = 30;

/** Queue retention: the order queue keeps 4 days (SQS default), the DLQ the maximum of 14. */
export const QUEUE_RETENTION_SECONDS = 4 * 24 * 3600;
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/** HTTP API default-route throttling. */
export const THROTTLE_BURST_LIMIT = 100;
export const THROTTLE_RATE_LIMIT = 50;

/** Alarm when the oldest message on the order queue is older than this. */
export const OLDEST_MESSAGE_ALARM_SECONDS = 300;

/**
 * The smallest visibility timeout that keeps a message invisible while a worker may still hold it:
 * at least 6x the function timeout plus the batching window (Lambda's SQS guidance).
 */
export function minVisibilityTimeoutSeconds(
    functionTimeoutSeconds: number,
    batchingWindowSeconds: number,
): number {
    return 6 * functionTimeoutSeconds + batchingWindowSeconds;
}

/** The order queue's default visibility timeout, derived from ProcessOrder's defaults. */
export const VISIBILITY_TIMEOUT_SECONDS = minVisibilityTimeoutSeconds(
    PROCESS_TIMEOUT_SECONDS,
    MAX_BATCHING_WINDOW_SECONDS,
);

/**
 * Environment variables the component sets on the functions and the handlers read at start.
 * Shared so that a rename cannot leave the two sides disagreeing.
 */
export const ENV = {
    /** DynamoDB table holding one item per order, partition key `orderId` (S). */
    tableName: "ORDERS_TABLE_NAME",
    /** URL of the SQS order queue that SubmitOrder sends to. */
    queueUrl: "ORDER_QUEUE_URL",
    /** "true" or "false": whether ProcessOrder sends confirmation emails. */
    emailEnabled: "EMAIL_ENABLED",
    /** The verified SES sender address, required when email is enabled. */
    emailSender: "EMAIL_SENDER",
    /** Name of the custom EventBridge bus ProcessOrder publishes to; unset when events are off. */
    eventBusName: "ORDER_EVENT_BUS_NAME",
    /** ARN of the shipping state machine ProcessOrder starts; unset when workflows are off. */
    shippingStateMachineArn: "SHIPPING_STATE_MACHINE_ARN",
    /** ARN of the refund state machine RefundOrder starts. */
    refundStateMachineArn: "REFUND_STATE_MACHINE_ARN",
    /** "true" when the API has a JWT authorizer: handlers then require a caller and check ownership. */
    authEnabled: "AUTH_ENABLED",
} as const;

/** Days the event archive keeps events: longer than a subscriber's DLQ keeps them (14 days), so an event lost past its DLQ can still be replayed. */
export const EVENTS_ARCHIVE_RETENTION_DAYS = 30;
/** Delivery retries of an event subscriber's target (EventBridge RetryPolicy: 0 to 185; 185 is its default). */
export const EVENTS_MAX_RETRY_ATTEMPTS = 185;
/** How long EventBridge keeps retrying a subscriber's target (RetryPolicy: 60 s to 24 h; 24 h is its default). */
export const EVENTS_MAX_EVENT_AGE_SECONDS = 86_400;

/** The order table's partition key. */
export const TABLE_KEY = "orderId";

/** Handler entry points, relative to the package root; each exports `handler`. */
export const HANDLER_ENTRIES = {
    submit: "handlers/submit-order.ts",
    process: "handlers/process-order.ts",
    get: "handlers/get-order.ts",
} as const;

/** Entry points of the functions an option adds: RefundOrder comes with `workflows`. */
export const OPTIONAL_HANDLER_ENTRIES = {
    refund: "handlers/refund-order.ts",
} as const;

/** The Lambda runtime and architecture every function uses. */
export const LAMBDA_RUNTIME = "nodejs24.x";
export const LAMBDA_ARCHITECTURE = "arm64";

/** CORS, when enabled: the request headers a browser client of this API sends. */
export const CORS_ALLOW_HEADERS: readonly string[] = ["content-type", "idempotency-key", "x-correlation-id"];
/**
 * CORS, when enabled: the response headers a browser client may read: where the new order is, the
 * id to quote when asking about a request, and when to retry after a 503.
 */
export const CORS_EXPOSE_HEADERS: readonly string[] = ["location", "x-correlation-id", "retry-after"];
/** CORS, when enabled: seconds a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 300;

/** Alarm evaluation period: one minute, the finest period of standard-resolution AWS metrics. */
export const ALARM_PERIOD_SECONDS = 60;

/**
 * Stacks whose name matches this get deletion protection on the orders table by default, so that
 * a mistaken `pulumi destroy` or replacement cannot drop production orders.
 */
export const PRODUCTION_STACK_PATTERN = /prod/i;

/**
 * Leave the AWS SDK v3 to the copy in the Lambda runtime instead of bundling it. Measured by
 * `npm run bench` (cold module load, 20 fresh processes per variant, four full runs): starts were
 * 0-18% faster and bundles 3.6-7.3x smaller with the runtime's SDK. The price is that the SDK
 * version is the runtime's rather than the one tested here.
 */
export const BUNDLE_AWS_SDK = false;
