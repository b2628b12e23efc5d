/**
 * The one settings resolver: OrderPipeline arguments in, every default applied and every problem
 * found out. The component deploys what it returns and local mode runs it, so both check the same
 * things in the same words. No Pulumi, no AWS SDK: a value known only at deployment passes through.
 */
import type { OrderPipelineArgs } from "./args";
import {
    BATCH_SIZE,
    BUNDLE_AWS_SDK,
    CORS_ALLOW_HEADERS,
    CORS_EXPOSE_HEADERS,
    CORS_MAX_AGE_SECONDS,
    DASHBOARD,
    DLQ_RETENTION_SECONDS,
    GET_TIMEOUT_SECONDS,
    isProductionStack,
    LOG_RETENTION_DAYS,
    LOG_RETENTION_VALUES,
    MAX_BATCHING_WINDOW_SECONDS,
    MAX_CONCURRENCY,
    MAX_RECEIVE_COUNT,
    MEMORY_MB,
    minVisibilityTimeoutSeconds,
    OLDEST_MESSAGE_ALARM_SECONDS,
    PROCESS_TIMEOUT_SECONDS,
    QUEUE_RETENTION_SECONDS,
    REFUND_TIMEOUT_SECONDS,
    EMAIL_EVENTS_TIMEOUT_SECONDS,
    SETTINGS,
    SUBMIT_TIMEOUT_SECONDS,
    THROTTLE_BURST_LIMIT,
    THROTTLE_RATE_LIMIT,
    TRACING,
    VISIBILITY_TIMEOUT_RANGE,
} from "./defaults";
import { isKnownString, type Deferred } from "./deferred";
import { COMPONENT_NAME_PATTERN, MAX_COMPONENT_NAME_LENGTH } from "./naming";
import { resolveAuthArgs, type AuthSettings } from "./options/auth";
import { resolveEventsArgs, type EventsSettings } from "./options/events";
import { resolveWorkflowsArgs, type WorkflowsSettings } from "./options/workflows";
import { deferredArgumentProblems } from "./plain-args";
import { OrderPipelineArgsError, Problems } from "./problems";

/** What the resolver needs to know of where the pipeline runs. */
export interface SettingsContext {
    /** The stack's name: production-looking stacks get deletion protection by default. */
    readonly stack: string;
}

/** Email is on, with the sender and, optionally, an existing identity to send as. */
export interface EmailOn<S = Deferred<string>> {
    readonly enabled: true;
    readonly sender: S;
    readonly identityArn: S | undefined;
    /** The sending domain (domain identity with Easy DKIM and a custom MAIL FROM), if one is set. */
    readonly domain: string | undefined;
    /** The Route 53 hosted zone the domain's records are created in, if one is given. */
    readonly hostedZoneId: string | undefined;
}

/** The arguments with every default applied: what the component builds from. */
export interface PipelineSettings<S = Deferred<string>, Tags = Deferred<Record<string, S>>> {
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
        readonly timeouts: { readonly submit: number; readonly process: number; readonly get: number; readonly refund: number; readonly "email-events": number };
        readonly bundleAwsSdk: boolean;
    };
    readonly table: { readonly deletionProtection: boolean };
    readonly email: EmailOn<S> | { readonly enabled: false };
    readonly alarms: { readonly email: S | undefined; readonly oldestMessageAgeSeconds: number };
    readonly kmsKeyArn: S | undefined;
    readonly tracing: boolean;
    readonly dashboard: boolean;
    readonly logRetentionDays: number;
    readonly tags: Tags | undefined;
    /** Event fan-out on EventBridge; undefined when off. */
    readonly events: EventsSettings<S> | undefined;
    /** Sign-in with Cognito; undefined when off. */
    readonly auth: AuthSettings<S> | undefined;
    /** The shipping and refund workflows on Step Functions; undefined when off. */
    readonly workflows: WorkflowsSettings | undefined;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const SES_IDENTITY_ARN_PATTERN = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/[^\s]+$/;
const ORIGIN_PATTERN = /^(\*|https?:\/\/[^\s/]+)$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const HOSTED_ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;

/**
 * Whether an address is in a domain: its domain part is the domain itself (the custom MAIL FROM
 * and DKIM are set up for it, so DMARC aligns).
 */
export function senderInDomain(sender: string, domain: string): boolean {
    const at = sender.lastIndexOf("@");
    return at >= 0 && sender.slice(at + 1).toLowerCase() === domain.toLowerCase();
}

/**
 * Applies every default of {@link OrderPipelineArgs} (the one place where `??` meets an argument)
 * and validates the result. All problems are collected and thrown together as an
 * {@link OrderPipelineArgsError}, so that one run shows everything to fix.
 */
export function resolvePipelineSettings<S, Tags>(name: string, args: OrderPipelineArgs<S, Tags>, context: SettingsContext): PipelineSettings<S, Tags> {
    // First, and alone: an Output where a plain value belongs cannot be read, so no other check can.
    const deferred = deferredArgumentProblems(args);
    if (deferred.length > 0) throw new OrderPipelineArgsError(name, deferred);
    const problems = new Problems();

    const cors = args.api?.cors;
    const processTimeout = args.functions?.processTimeoutSeconds ?? PROCESS_TIMEOUT_SECONDS;
    const batchingWindow = args.processing?.maxBatchingWindowSeconds ?? MAX_BATCHING_WINDOW_SECONDS;
    const minVisibility = minVisibilityTimeoutSeconds(processTimeout, batchingWindow);
    const emailEnabled = args.email?.enabled ?? args.email?.sender !== undefined;
    const events = args.events === undefined ? undefined : resolveEventsArgs(args.events);
    for (const problem of events?.problems ?? []) problems.add(problem);
    const auth = args.auth === undefined ? undefined : resolveAuthArgs(args.auth, context.stack);
    for (const problem of auth?.problems ?? []) problems.add(problem);
    const workflows = args.workflows === undefined ? undefined : resolveWorkflowsArgs(args.workflows);
    for (const problem of workflows?.problems ?? []) problems.add(problem);

    const settings: PipelineSettings<S, Tags> = {
        name,
        api: {
            burstLimit: args.api?.throttle?.burstLimit ?? THROTTLE_BURST_LIMIT,
            rateLimit: args.api?.throttle?.rateLimit ?? THROTTLE_RATE_LIMIT,
            cors: cors && {
                allowOrigins: cors.allowOrigins,
                allowHeaders: cors.allowHeaders ?? CORS_ALLOW_HEADERS,
                exposeHeaders: cors.exposeHeaders ?? CORS_EXPOSE_HEADERS,
                maxAgeSeconds: cors.maxAgeSeconds ?? CORS_MAX_AGE_SECONDS,
            },
        },
        queue: {
            visibilityTimeoutSeconds: args.queue?.visibilityTimeoutSeconds ?? minVisibility,
            maxReceiveCount: args.queue?.maxReceiveCount ?? MAX_RECEIVE_COUNT,
            retentionSeconds: args.queue?.retentionSeconds ?? QUEUE_RETENTION_SECONDS,
            dlqRetentionSeconds: args.queue?.dlqRetentionSeconds ?? DLQ_RETENTION_SECONDS,
        },
        processing: {
            batchSize: args.processing?.batchSize ?? BATCH_SIZE,
            maxBatchingWindowSeconds: batchingWindow,
            maximumConcurrency: args.processing?.maximumConcurrency ?? MAX_CONCURRENCY,
        },
        functions: {
            memoryMb: args.functions?.memoryMb ?? MEMORY_MB,
            timeouts: {
                submit: args.functions?.submitTimeoutSeconds ?? SUBMIT_TIMEOUT_SECONDS,
                process: processTimeout,
                get: args.functions?.getTimeoutSeconds ?? GET_TIMEOUT_SECONDS,
                refund: args.functions?.refundTimeoutSeconds ?? REFUND_TIMEOUT_SECONDS,
                "email-events": args.functions?.emailEventsTimeoutSeconds ?? EMAIL_EVENTS_TIMEOUT_SECONDS,
            },
            bundleAwsSdk: args.functions?.bundleAwsSdk ?? BUNDLE_AWS_SDK,
        },
        table: {
            deletionProtection: args.table?.deletionProtection ?? isProductionStack(context.stack),
        },
        email:
            emailEnabled && args.email?.sender !== undefined
                ? { enabled: true, sender: args.email.sender, identityArn: args.email.identityArn, domain: args.email.domain, hostedZoneId: args.email.hostedZoneId }
                : { enabled: false },
        alarms: {
            email: args.alarms?.email,
            oldestMessageAgeSeconds: args.alarms?.oldestMessageAgeSeconds ?? OLDEST_MESSAGE_ALARM_SECONDS,
        },
        kmsKeyArn: args.encryption?.kmsKeyArn,
        tracing: args.tracing ?? TRACING,
        dashboard: args.dashboard ?? DASHBOARD,
        logRetentionDays: args.logRetentionDays ?? LOG_RETENTION_DAYS,
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
    problems.range("api.throttle.burstLimit", api.burstLimit, SETTINGS["api.throttle.burstLimit"]);
    problems.range("api.throttle.rateLimit", api.rateLimit, SETTINGS["api.throttle.rateLimit"]);
    if (api.cors) {
        if (api.cors.allowOrigins.length === 0) {
            problems.add("api.cors.allowOrigins must name at least one origin (omit api.cors to disable CORS)");
        }
        for (const origin of api.cors.allowOrigins) {
            problems.pattern("api.cors.allowOrigins", origin, ORIGIN_PATTERN, `"*" or a scheme and host such as "https://shop.example.com"`);
        }
        problems.range("api.cors.maxAgeSeconds", api.cors.maxAgeSeconds, SETTINGS["api.cors.maxAgeSeconds"]);
    }

    // Queue: SQS limits, and the visibility timeout that keeps in-flight messages hidden.
    problems.range("queue.visibilityTimeoutSeconds", queue.visibilityTimeoutSeconds, VISIBILITY_TIMEOUT_RANGE);
    if (queue.visibilityTimeoutSeconds < minVisibility) {
        problems.add(
            `queue.visibilityTimeoutSeconds (${queue.visibilityTimeoutSeconds}) must be at least ${minVisibility}: ` +
                `6x functions.processTimeoutSeconds (${processTimeout}) plus processing.maxBatchingWindowSeconds ` +
                `(${batchingWindow}), Lambda's guidance for SQS event sources, or a message still being processed ` +
                `becomes visible again and is processed twice`,
        );
    }
    problems.range("queue.maxReceiveCount", queue.maxReceiveCount, SETTINGS["queue.maxReceiveCount"]);
    problems.range("queue.retentionSeconds", queue.retentionSeconds, SETTINGS["queue.retentionSeconds"]);
    problems.range("queue.dlqRetentionSeconds", queue.dlqRetentionSeconds, SETTINGS["queue.dlqRetentionSeconds"]);
    if (queue.dlqRetentionSeconds < queue.retentionSeconds) {
        problems.add(
            `queue.dlqRetentionSeconds (${queue.dlqRetentionSeconds}) must not be shorter than queue.retentionSeconds ` +
                `(${queue.retentionSeconds}): a message keeps its original enqueue time in the DLQ, so a shorter DLQ ` +
                `retention deletes failed orders before anyone can look at them`,
        );
    }

    // Event source mapping: Lambda's limits for standard SQS queues.
    problems.range("processing.batchSize", processing.batchSize, SETTINGS["processing.batchSize"]);
    problems.range("processing.maxBatchingWindowSeconds", processing.maxBatchingWindowSeconds, SETTINGS["processing.maxBatchingWindowSeconds"]);
    if (processing.batchSize > 10 && processing.maxBatchingWindowSeconds < 1) {
        problems.add(
            `processing.batchSize (${processing.batchSize}) above 10 needs processing.maxBatchingWindowSeconds of at ` +
                `least 1 (a Lambda rule for SQS event sources), got ${processing.maxBatchingWindowSeconds}`,
        );
    }
    problems.range("processing.maximumConcurrency", processing.maximumConcurrency, SETTINGS["processing.maximumConcurrency"]);

    // Functions.
    problems.range("functions.memoryMb", functions.memoryMb, SETTINGS["functions.memoryMb"]);
    problems.range("functions.submitTimeoutSeconds", functions.timeouts.submit, SETTINGS["functions.submitTimeoutSeconds"]);
    problems.range("functions.getTimeoutSeconds", functions.timeouts.get, SETTINGS["functions.getTimeoutSeconds"]);
    problems.range("functions.refundTimeoutSeconds", functions.timeouts.refund, SETTINGS["functions.refundTimeoutSeconds"]);
    problems.range("functions.processTimeoutSeconds", functions.timeouts.process, SETTINGS["functions.processTimeoutSeconds"]);
    problems.range("functions.emailEventsTimeoutSeconds", functions.timeouts["email-events"], SETTINGS["functions.emailEventsTimeoutSeconds"]);

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
    if (email?.enabled === false && (email.domain !== undefined || email.hostedZoneId !== undefined)) {
        problems.add("email.enabled is false but email.domain or email.hostedZoneId is set: remove them or enable email");
    }
    if (email?.domain !== undefined && email.identityArn !== undefined) {
        problems.add("email.domain and email.identityArn are mutually exclusive: the domain creates its own identity");
    }
    if (email?.hostedZoneId !== undefined && email.domain === undefined) {
        problems.add("email.hostedZoneId needs email.domain: the records it would hold are the domain's");
    }
    problems.pattern("email.domain", email?.domain, DOMAIN_PATTERN, "a domain name such as example.com");
    problems.pattern("email.hostedZoneId", email?.hostedZoneId, HOSTED_ZONE_ID_PATTERN, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
    if (isKnownString(email?.sender) && isKnownString(email?.domain) && EMAIL_PATTERN.test(email.sender) && !senderInDomain(email.sender, email.domain)) {
        problems.add(`email.sender (${email.sender}) must be an address in email.domain (${email.domain}): SES signs and aligns only mail from the domain`);
    }
    problems.pattern("email.sender", email?.sender, EMAIL_PATTERN, "an email address");
    problems.pattern("email.identityArn", email?.identityArn, SES_IDENTITY_ARN_PATTERN, "an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<address or domain>)");

    // Alarms.
    problems.pattern("alarms.email", alarms.email, EMAIL_PATTERN, "an email address");
    problems.range("alarms.oldestMessageAgeSeconds", alarms.oldestMessageAgeSeconds, SETTINGS["alarms.oldestMessageAgeSeconds"]);
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

    problems.throwIfAny(name);
    return settings;
}
