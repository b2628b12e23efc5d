import * as pulumi from "@pulumi/pulumi";
import type { OrderPipelineArgs } from "./args";
import * as defaults from "./defaults";
import { resolveAuthArgs, type AuthSettings } from "./auth";
import { resolveEventsArgs, type EventsSettings } from "./events";
import { resolveWorkflowsArgs, type WorkflowsSettings } from "./workflows/workflows";
import { COMPONENT_NAME_PATTERN, MAX_COMPONENT_NAME_LENGTH } from "./naming";

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_VALUES: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** API Gateway HTTP APIs end an integration after 30 seconds, so an API function may not run longer. */
export const API_INTEGRATION_TIMEOUT_SECONDS = 30;

/** Email is on, with the sender and, optionally, an existing identity to send as. */
export interface EmailOn {
    readonly enabled: true;
    readonly sender: pulumi.Input<string>;
    readonly identityArn: pulumi.Input<string> | undefined;
}

/** The arguments with every default applied: what the component builds from. */
export interface PipelineSettings {
    readonly name: string;
    readonly api: {
        readonly burstLimit: number;
        readonly rateLimit: number;
        readonly cors:
            | {
                  readonly allowOrigins: readonly string[];
                  readonly allowHeaders: readonly string[];
                  readonly exposeHeaders: readonly string[];
                  readonly maxAgeSeconds: number;
              }
            | undefined;
    };
    readonly queue: {
        readonly visibilityTimeoutSeconds: number;
        readonly maxReceiveCount: number;
        readonly retentionSeconds: number;
        readonly dlqRetentionSeconds: number;
    };
    readonly processing: {
        readonly batchSize: number;
        readonly maxBatchingWindowSeconds: number;
        readonly maximumConcurrency: number;
    };
    readonly functions: {
        readonly memoryMb: number;
        readonly timeouts: { readonly submit: number; readonly process: number; readonly get: number; readonly refund: number };
        readonly bundleAwsSdk: boolean;
    };
    readonly table: { readonly deletionProtection: boolean };
    readonly email: EmailOn | { readonly enabled: false };
    readonly alarms: { readonly email: pulumi.Input<string> | undefined; readonly oldestMessageAgeSeconds: number };
    readonly kmsKeyArn: pulumi.Input<string> | undefined;
    readonly tracing: boolean;
    readonly logRetentionDays: number;
    readonly tags: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined;
    /** Event fan-out on EventBridge; undefined when off. */
    readonly events: EventsSettings | undefined;
    /** Sign-in with Cognito; undefined when off. */
    readonly auth: AuthSettings | undefined;
    /** The shipping and refund workflows on Step Functions; undefined when off. */
    readonly workflows: WorkflowsSettings | undefined;
}

/** Thrown when OrderPipeline arguments are invalid; lists every problem, one per line. */
export class OrderPipelineArgsError extends Error {
    /** Each problem, starting with the argument it concerns. */
    readonly problems: readonly string[];
    constructor(name: string, problems: readonly string[]) {
        super(`Invalid arguments for OrderPipeline "${name}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "OrderPipelineArgsError";
        this.problems = problems;
    }
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const SES_IDENTITY_ARN_PATTERN = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/[^\s]+$/;
const ORIGIN_PATTERN = /^(\*|https?:\/\/[^\s/]+)$/;

/** Whether a stack name looks like production (then the orders table is deletion-protected by default). */
export function isProductionStack(stack: string): boolean {
    return defaults.PRODUCTION_STACK_PATTERN.test(stack);
}

/** Collects problems; each check names the argument it concerns. */
class Problems {
    readonly list: string[] = [];

    add(problem: string): void {
        this.list.push(problem);
    }

    /** An integer within [min, max]. */
    integer(arg: string, value: number, min: number, max: number, why = ""): void {
        if (!Number.isInteger(value) || value < min || value > max) {
            this.add(`${arg} must be an integer from ${min} to ${max}${why}, got ${value}`);
        }
    }

    /** A plain string (not an Output) that must match a pattern; Outputs are checked by AWS at deploy time. */
    pattern(arg: string, value: pulumi.Input<string> | undefined, pattern: RegExp, expected: string): void {
        if (typeof value === "string" && !pattern.test(value)) {
            this.add(`${arg} must be ${expected}, got "${value}"`);
        }
    }
}

/**
 * Applies every default of {@link OrderPipelineArgs} (the one place where `??` meets an argument)
 * and validates the result. All problems are collected and thrown together as an
 * {@link OrderPipelineArgsError}, so that one run shows everything to fix.
 */
export function resolveSettings(name: string, args: OrderPipelineArgs): PipelineSettings {
    const problems = new Problems();

    const cors = args.api?.cors;
    const processTimeout = args.functions?.processTimeoutSeconds ?? defaults.PROCESS_TIMEOUT_SECONDS;
    const batchingWindow = args.processing?.maxBatchingWindowSeconds ?? defaults.MAX_BATCHING_WINDOW_SECONDS;
    const minVisibility = defaults.minVisibilityTimeoutSeconds(processTimeout, batchingWindow);
    const emailEnabled = args.email?.enabled ?? args.email?.sender !== undefined;
    const events = args.events === undefined ? undefined : resolveEventsArgs(args.events);
    for (const problem of events?.problems ?? []) problems.add(problem);
    const auth = args.auth === undefined ? undefined : resolveAuthArgs(args.auth, pulumi.getStack());
    for (const problem of auth?.problems ?? []) problems.add(problem);
    const workflows = args.workflows === undefined ? undefined : resolveWorkflowsArgs(args.workflows);
    for (const problem of workflows?.problems ?? []) problems.add(problem);

    const settings: PipelineSettings = {
        name,
        api: {
            burstLimit: args.api?.throttle?.burstLimit ?? defaults.THROTTLE_BURST_LIMIT,
            rateLimit: args.api?.throttle?.rateLimit ?? defaults.THROTTLE_RATE_LIMIT,
            cors: cors && {
                allowOrigins: cors.allowOrigins,
                allowHeaders: cors.allowHeaders ?? defaults.CORS_ALLOW_HEADERS,
                exposeHeaders: cors.exposeHeaders ?? defaults.CORS_EXPOSE_HEADERS,
                maxAgeSeconds: cors.maxAgeSeconds ?? defaults.CORS_MAX_AGE_SECONDS,
            },
        },
        queue: {
            visibilityTimeoutSeconds: args.queue?.visibilityTimeoutSeconds ?? minVisibility,
            maxReceiveCount: args.queue?.maxReceiveCount ?? defaults.MAX_RECEIVE_COUNT,
            retentionSeconds: args.queue?.retentionSeconds ?? defaults.QUEUE_RETENTION_SECONDS,
            dlqRetentionSeconds: args.queue?.dlqRetentionSeconds ?? defaults.DLQ_RETENTION_SECONDS,
        },
        processing: {
            batchSize: args.processing?.batchSize ?? defaults.BATCH_SIZE,
            maxBatchingWindowSeconds: batchingWindow,
            maximumConcurrency: args.processing?.maximumConcurrency ?? defaults.MAX_CONCURRENCY,
        },
        functions: {
            memoryMb: args.functions?.memoryMb ?? defaults.MEMORY_MB,
            timeouts: {
                submit: args.functions?.submitTimeoutSeconds ?? defaults.SUBMIT_TIMEOUT_SECONDS,
                process: processTimeout,
                get: args.functions?.getTimeoutSeconds ?? defaults.GET_TIMEOUT_SECONDS,
                refund: args.functions?.refundTimeoutSeconds ?? defaults.REFUND_TIMEOUT_SECONDS,
            },
            bundleAwsSdk: args.functions?.bundleAwsSdk ?? defaults.BUNDLE_AWS_SDK,
        },
        table: {
            deletionProtection: args.table?.deletionProtection ?? isProductionStack(pulumi.getStack()),
        },
        email:
            emailEnabled && args.email?.sender !== undefined
                ? { enabled: true, sender: args.email.sender, identityArn: args.email.identityArn }
                : { enabled: false },
        alarms: {
            email: args.alarms?.email,
            oldestMessageAgeSeconds: args.alarms?.oldestMessageAgeSeconds ?? defaults.OLDEST_MESSAGE_ALARM_SECONDS,
        },
        kmsKeyArn: args.encryption?.kmsKeyArn,
        tracing: args.tracing ?? false,
        logRetentionDays: args.logRetentionDays ?? defaults.LOG_RETENTION_DAYS,
        tags: args.tags,
        events: events?.settings,
        auth: auth?.settings,
        workflows: workflows?.settings,
    };

    // Names: every physical name we derive must stay within AWS limits and character sets.
    if (!COMPONENT_NAME_PATTERN.test(name) || name.length > MAX_COMPONENT_NAME_LENGTH) {
        problems.add(
            `name must be 1 to ${MAX_COMPONENT_NAME_LENGTH} letters, digits or hyphens starting with a letter ` +
                `(it prefixes AWS names with tighter limits), got "${name}"`,
        );
    }

    // API.
    const { api, queue, processing, functions, alarms } = settings;
    problems.integer("api.throttle.burstLimit", api.burstLimit, 1, 5000, " (API Gateway's default account burst)");
    if (!(Number.isFinite(api.rateLimit) && api.rateLimit > 0 && api.rateLimit <= 10000)) {
        problems.add(`api.throttle.rateLimit must be above 0 and at most 10000 requests per second, got ${api.rateLimit}`);
    }
    if (api.cors) {
        if (api.cors.allowOrigins.length === 0) {
            problems.add("api.cors.allowOrigins must name at least one origin (omit api.cors to disable CORS)");
        }
        for (const origin of api.cors.allowOrigins) {
            problems.pattern("api.cors.allowOrigins", origin, ORIGIN_PATTERN, `"*" or a scheme and host such as "https://shop.example.com"`);
        }
        problems.integer("api.cors.maxAgeSeconds", api.cors.maxAgeSeconds, 0, 86400);
    }

    // Queue: SQS limits, and the visibility timeout that keeps in-flight messages hidden.
    problems.integer("queue.visibilityTimeoutSeconds", queue.visibilityTimeoutSeconds, 0, 43200);
    if (queue.visibilityTimeoutSeconds < minVisibility) {
        problems.add(
            `queue.visibilityTimeoutSeconds (${queue.visibilityTimeoutSeconds}) must be at least ${minVisibility}: ` +
                `6x functions.processTimeoutSeconds (${processTimeout}) plus processing.maxBatchingWindowSeconds ` +
                `(${batchingWindow}), Lambda's guidance for SQS event sources, or a message still being processed ` +
                `becomes visible again and is processed twice`,
        );
    }
    problems.integer("queue.maxReceiveCount", queue.maxReceiveCount, 1, 1000);
    problems.integer("queue.retentionSeconds", queue.retentionSeconds, 60, 1209600);
    problems.integer("queue.dlqRetentionSeconds", queue.dlqRetentionSeconds, 60, 1209600);
    if (queue.dlqRetentionSeconds < queue.retentionSeconds) {
        problems.add(
            `queue.dlqRetentionSeconds (${queue.dlqRetentionSeconds}) must not be shorter than queue.retentionSeconds ` +
                `(${queue.retentionSeconds}): a message keeps its original enqueue time in the DLQ, so a shorter DLQ ` +
                `retention deletes failed orders before anyone can look at them`,
        );
    }

    // Event source mapping: Lambda's limits for standard SQS queues.
    problems.integer("processing.batchSize", processing.batchSize, 1, 10000);
    problems.integer("processing.maxBatchingWindowSeconds", processing.maxBatchingWindowSeconds, 0, 300);
    if (processing.batchSize > 10 && processing.maxBatchingWindowSeconds < 1) {
        problems.add(
            `processing.batchSize (${processing.batchSize}) above 10 needs processing.maxBatchingWindowSeconds of at ` +
                `least 1 (a Lambda rule for SQS event sources), got ${processing.maxBatchingWindowSeconds}`,
        );
    }
    problems.integer("processing.maximumConcurrency", processing.maximumConcurrency, 2, 1000, " (Lambda's range for SQS)");

    // Functions.
    problems.integer("functions.memoryMb", functions.memoryMb, 128, 10240);
    const apiLimit = ` (API Gateway ends HTTP API integrations after ${API_INTEGRATION_TIMEOUT_SECONDS} s)`;
    problems.integer("functions.submitTimeoutSeconds", functions.timeouts.submit, 1, API_INTEGRATION_TIMEOUT_SECONDS, apiLimit);
    problems.integer("functions.getTimeoutSeconds", functions.timeouts.get, 1, API_INTEGRATION_TIMEOUT_SECONDS, apiLimit);
    problems.integer("functions.refundTimeoutSeconds", functions.timeouts.refund, 1, API_INTEGRATION_TIMEOUT_SECONDS, apiLimit);
    problems.integer("functions.processTimeoutSeconds", functions.timeouts.process, 1, 900);

    // Email: the sender is what the SES policy condition names, so nothing works without it.
    const email = args.email;
    if (email?.enabled === true && email.sender === undefined) {
        problems.add("email.sender is required when email.enabled is true");
    }
    if (email?.enabled === false && (email.sender !== undefined || email.identityArn !== undefined)) {
        problems.add("email.enabled is false but email.sender or email.identityArn is set: remove them or enable email");
    }
    if (email?.identityArn !== undefined && email.sender === undefined) {
        problems.add("email.identityArn needs email.sender: the From address that the send permission is limited to");
    }
    problems.pattern("email.sender", email?.sender, EMAIL_PATTERN, "an email address");
    problems.pattern("email.identityArn", email?.identityArn, SES_IDENTITY_ARN_PATTERN, "an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<address or domain>)");

    // Alarms.
    problems.pattern("alarms.email", alarms.email, EMAIL_PATTERN, "an email address");
    problems.integer("alarms.oldestMessageAgeSeconds", alarms.oldestMessageAgeSeconds, 60, 1209600);
    if (alarms.oldestMessageAgeSeconds >= queue.retentionSeconds) {
        problems.add(
            `alarms.oldestMessageAgeSeconds (${alarms.oldestMessageAgeSeconds}) must be below queue.retentionSeconds ` +
                `(${queue.retentionSeconds}), or orders expire before the alarm fires`,
        );
    }

    // Encryption: IAM statements can only scope key use to a key ARN, never to an alias.
    problems.pattern(
        "encryption.kmsKeyArn",
        settings.kmsKeyArn,
        KMS_KEY_ARN_PATTERN,
        "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>; an alias cannot scope IAM permissions)",
    );

    if (!LOG_RETENTION_VALUES.includes(settings.logRetentionDays)) {
        problems.add(`logRetentionDays must be one of CloudWatch Logs' periods (${LOG_RETENTION_VALUES.join(", ")}), got ${settings.logRetentionDays}`);
    }

    if (problems.list.length > 0) throw new OrderPipelineArgsError(name, problems.list);
    return settings;
}
