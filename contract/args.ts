/**
 * The arguments of the OrderPipeline component, written once: generic in how a value known only at
 * deployment is typed (`S` for strings, `Tags` for the tag map), so that the component can take
 * Pulumi Inputs and local mode plain strings, and one resolver serves both.
 */
import type { Deferred } from "./deferred";
import type { Array as List } from "./list";
import type { AuthArgs } from "./options/auth";
import type { EventsArgs } from "./options/events";
import type { WorkflowsArgs } from "./options/workflows";

/** HTTP API default-route throttling (API Gateway token bucket). */
export interface ThrottleArgs {
    /** Requests the bucket holds for bursts. Defaults to 100 (`THROTTLE_BURST_LIMIT`). */
    readonly burstLimit?: number;
    /** Steady-state requests per second. Defaults to 50 (`THROTTLE_RATE_LIMIT`). */
    readonly rateLimit?: number;
}

/** Cross-origin access for browser clients. Omitted: no CORS headers, browsers on other origins are refused. */
export interface CorsArgs {
    /** Origins allowed to call the API, e.g. `["https://shop.example.com"]`. Required, at least one. */
    readonly allowOrigins: List<string>;
    /** Request headers a browser may send. Defaults to `content-type`, `idempotency-key`, `x-correlation-id`. */
    readonly allowHeaders?: List<string>;
    /** Response headers a browser may read. Defaults to `location`, `x-correlation-id`, `retry-after`. */
    readonly exposeHeaders?: List<string>;
    /** Seconds a browser may cache a preflight answer. Defaults to 300. */
    readonly maxAgeSeconds?: number;
}

/** The HTTP API in front of SubmitOrder and GetOrder. */
export interface ApiArgs {
    /** Default-route throttling. Each field has its default. */
    readonly throttle?: ThrottleArgs;
    /** CORS configuration. Defaults to none. */
    readonly cors?: CorsArgs;
}

/** The order queue and its dead-letter queue. */
export interface QueueArgs {
    /**
     * Order queue visibility timeout in seconds. Defaults to 6x ProcessOrder's timeout plus the
     * batching window (181 with the defaults); a lower value is rejected.
     */
    readonly visibilityTimeoutSeconds?: number;
    /** Receives before a message moves to the DLQ. Defaults to 3 (`MAX_RECEIVE_COUNT`). */
    readonly maxReceiveCount?: number;
    /** Seconds the order queue keeps a message. Defaults to 345600 (4 days, `QUEUE_RETENTION_SECONDS`). */
    readonly retentionSeconds?: number;
    /** Seconds the DLQ keeps a message. Defaults to 1209600 (14 days, the SQS maximum, `DLQ_RETENTION_SECONDS`). */
    readonly dlqRetentionSeconds?: number;
}

/** How ProcessOrder consumes the order queue (the SQS event source mapping). */
export interface ProcessingArgs {
    /** Records per invocation. Defaults to 10 (`BATCH_SIZE`). */
    readonly batchSize?: number;
    /** Seconds to wait to fill a batch. Defaults to 1 (`MAX_BATCHING_WINDOW_SECONDS`). */
    readonly maxBatchingWindowSeconds?: number;
    /** Concurrent ProcessOrder invocations the mapping may run. Defaults to 5 (`MAX_CONCURRENCY`). */
    readonly maximumConcurrency?: number;
}

/** The three Lambda functions. */
export interface FunctionsArgs {
    /** Memory of each function in MB. Defaults to 256 (`MEMORY_MB`). */
    readonly memoryMb?: number;
    /** SubmitOrder timeout in seconds. Defaults to 10 (`SUBMIT_TIMEOUT_SECONDS`). */
    readonly submitTimeoutSeconds?: number;
    /** ProcessOrder timeout in seconds. Defaults to 30 (`PROCESS_TIMEOUT_SECONDS`). */
    readonly processTimeoutSeconds?: number;
    /** GetOrder timeout in seconds. Defaults to 10 (`GET_TIMEOUT_SECONDS`). */
    readonly getTimeoutSeconds?: number;
    /** RefundOrder timeout in seconds (with `workflows`). Defaults to 10 (`REFUND_TIMEOUT_SECONDS`). */
    readonly refundTimeoutSeconds?: number;
    /** The email-events function's timeout in seconds (with email). Defaults to 10 (`EMAIL_EVENTS_TIMEOUT_SECONDS`). */
    readonly emailEventsTimeoutSeconds?: number;
    /** Bundle the AWS SDK into each handler rather than use the runtime's copy. Defaults to false (BUNDLE_AWS_SDK). */
    readonly bundleAwsSdk?: boolean;
}

/** The orders table. */
export interface TableArgs {
    /** Refuse deletion of the table. Defaults to true for stacks whose name contains "prod", else false. */
    readonly deletionProtection?: boolean;
}

/** Order confirmation emails sent by ProcessOrder through SES. */
export interface EmailArgs<S = Deferred<string>> {
    /** Send confirmation emails. Defaults to true when `sender` is set, else false. */
    readonly enabled?: boolean;
    /** The From address, e.g. `orders@example.com`. Required when email is enabled. */
    readonly sender?: S;
    /**
     * ARN of an existing verified SES identity (an address or a domain) that covers `sender`.
     * Defaults to none: the component creates an email identity for `sender`.
     */
    readonly identityArn?: S;
    /**
     * A sending domain, e.g. `example.com`: a domain identity with Easy DKIM, a custom MAIL FROM
     * subdomain (`mail.<domain>`) and the DNS records to publish (DKIM CNAMEs, MX and SPF, DMARC).
     * `sender` must be an address in it. Defaults to none: an address identity for `sender`.
     */
    readonly domain?: string;
    /**
     * A Route 53 hosted zone of `domain`, in which the DKIM CNAMEs and the MAIL FROM MX and SPF
     * records are created. Defaults to none: the records are outputs to publish by hand.
     */
    readonly hostedZoneId?: string;
}

/** Alarms on the failures users would otherwise miss. */
export interface AlarmsArgs<S = Deferred<string>> {
    /** Address subscribed to the alarm topic (it must confirm the subscription). Defaults to none. */
    readonly email?: S;
    /** Alarm when the oldest order waits longer than this many seconds. Defaults to 300 (`OLDEST_MESSAGE_ALARM_SECONDS`). */
    readonly oldestMessageAgeSeconds?: number;
}

/** Encryption at rest. */
export interface EncryptionArgs<S = Deferred<string>> {
    /**
     * ARN of a customer managed KMS key (`arn:aws:kms:<region>:<account>:key/<id>`) for the queues
     * and the table. Defaults to none: SQS-managed keys for the queues, an AWS-owned key for the table.
     */
    readonly kmsKeyArn?: S;
}

/**
 * The types of the options that hold deferred values, as one record: {@link OrderPipelineArgs}
 * takes its own record in place of this one so that a caller can name non-generic types for them
 * (the component does: Pulumi's schema inference reads named, non-generic interfaces only).
 */
export interface DeferredArgTypes<S = Deferred<string>> {
    readonly email: EmailArgs<S>;
    readonly alarms: AlarmsArgs<S>;
    readonly encryption: EncryptionArgs<S>;
    readonly events: EventsArgs<S>;
    readonly auth: AuthArgs<S>;
}

/** Arguments of {@link OrderPipeline}. Every field is optional; the defaults are a working, secure pipeline. */
export interface OrderPipelineArgs<S = Deferred<string>, Tags = Deferred<Record<string, S>>, T extends DeferredArgTypes<S> = DeferredArgTypes<S>> {
    /** The HTTP API: throttling and CORS. Defaults to the throttling defaults and no CORS. */
    readonly api?: ApiArgs;
    /** The order queue and DLQ. Each field has its default. */
    readonly queue?: QueueArgs;
    /** The queue-to-ProcessOrder event source mapping. Each field has its default. */
    readonly processing?: ProcessingArgs;
    /** The Lambda functions: memory, timeouts, SDK bundling. Each field has its default. */
    readonly functions?: FunctionsArgs;
    /** The orders table. Defaults to deletion protection on production-named stacks only. */
    readonly table?: TableArgs;
    /** Confirmation emails. Defaults to off unless `email.sender` is set. */
    readonly email?: T["email"];
    /** Alarms and their SNS topic. Defaults to the topic without a subscription. */
    readonly alarms?: T["alarms"];
    /** Encryption at rest. Defaults to AWS-managed keys (SQS-managed for queues, AWS-owned for the table). */
    readonly encryption?: T["encryption"];
    /** Active X-Ray tracing on every function. Defaults to false. */
    readonly tracing?: boolean;
    /** A CloudWatch dashboard of the pipeline's metrics and alarms ($3 a month). Defaults to false. */
    readonly dashboard?: boolean;
    /** Retention in days of every log group created (functions and API access logs). Defaults to 30 (`LOG_RETENTION_DAYS`). */
    readonly logRetentionDays?: number;
    /** Tags added to every taggable resource. Defaults to none. */
    readonly tags?: Tags;
    /**
     * Event fan-out: a custom EventBridge bus with an archive, on which ProcessOrder and the workflows
     * publish OrderPlaced, OrderShipped, OrderRefunded and OrderConflict, and rules for subscribers.
     * Defaults to off.
     */
    readonly events?: T["events"];
    /**
     * Sign-in: a Cognito user pool and app client (or existing ones) and a JWT authorizer on every
     * route; orders belong to the caller's `sub`. Defaults to off.
     */
    readonly auth?: T["auth"];
    /**
     * Workflows on Step Functions: a shipping workflow started for each confirmed order (waits for the
     * warehouse's callback) and a refund workflow started by `POST /orders/{orderId}/refund`, which
     * this option adds with its RefundOrder function. Defaults to off.
     */
    readonly workflows?: WorkflowsArgs;
}
