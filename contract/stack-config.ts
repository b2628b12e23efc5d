/**
 * The stack configuration: every `pulumi config` key of the stack program, and the one mapping
 * from those keys to OrderPipeline arguments. `index.ts` feeds it `pulumi.Config`; local mode feeds
 * it a stack file (`npm start -- --stack dev`), so both read a stack the same way.
 */
import type { OrderPipelineArgs } from "./args";
import { DASHBOARD, LOG_RETENTION_DAYS, SETTINGS, TRACING, VISIBILITY_TIMEOUT_SECONDS, type SettingPath } from "./defaults";
import { DEFAULT_COMPONENT_NAME } from "./naming";
import { AUTH_DEFAULTS, type MfaMode } from "./options/auth";
import { EVENTS_SETTINGS, type EventsSubscriber } from "./options/events";
import { WORKFLOW_LOG_LEVEL, WORKFLOWS_SETTINGS, type WorkflowLogLevel } from "./options/workflows";

/** The project name, which namespaces the keys: `order-pipeline:<key>`. */
export const CONFIG_NAMESPACE = "order-pipeline";

/** How a key's text is read: as pulumi.Config's `get`, `getNumber`, `getBoolean` and `getObject` read it. */
export type StackConfigType = "string" | "number" | "boolean" | "json";

/** One stack configuration key. */
export interface StackConfigKey {
    readonly type: StackConfigType;
    /** What it sets, in one sentence. */
    readonly description: string;
    /** The argument it sets, when it maps to one setting of {@link OrderPipelineArgs}. */
    readonly arg?: string;
    /** The value used when the key is unset, as the docs show it. */
    readonly default: string;
}

function settingKey(arg: SettingPath, description: string): StackConfigKey {
    return { type: "number", description, arg, default: String(SETTINGS[arg].default) };
}

/** Every key the stack program reads, with its type, meaning and default. */
export const STACK_CONFIG_KEYS = {
    name: { type: "string", description: "Prefix of every resource name (letters, digits, hyphens; at most 40).", default: DEFAULT_COMPONENT_NAME },
    emailSender: {
        type: "string",
        description: "The From address of confirmation emails, verified in SES; setting it turns email on.",
        arg: "email.sender",
        default: "unset (email off)",
    },
    emailIdentityArn: {
        type: "string",
        description: "An existing verified SES identity (address or domain) to send as, instead of creating one.",
        arg: "email.identityArn",
        default: "unset (an identity is created for emailSender)",
    },
    emailDomain: {
        type: "string",
        description: "A sending domain (Easy DKIM, custom MAIL FROM, DMARC); emailSender must be an address in it.",
        arg: "email.domain",
        default: "unset (an address identity)",
    },
    emailHostedZoneId: {
        type: "string",
        description: "The Route 53 hosted zone of emailDomain, in which its DKIM and MAIL FROM records are created.",
        arg: "email.hostedZoneId",
        default: "unset (records are outputs)",
    },
    emailEnabled: {
        type: "boolean",
        description: "false turns email off while emailSender stays configured.",
        arg: "email.enabled",
        default: "true when emailSender is set",
    },
    alarmEmail: {
        type: "string",
        description: "Address subscribed to the alarm topic (it must confirm the SNS subscription).",
        arg: "alarms.email",
        default: "unset (topic only)",
    },
    throttleBurstLimit: settingKey("api.throttle.burstLimit", "HTTP API default-route throttling: requests the bucket holds for bursts."),
    throttleRateLimit: settingKey("api.throttle.rateLimit", "HTTP API default-route throttling: steady-state requests per second."),
    corsAllowOrigins: {
        type: "json",
        description: 'Browser origins allowed by CORS, a JSON list such as ["https://shop.example.com"].',
        arg: "api.cors.allowOrigins",
        default: "unset (no CORS)",
    },
    batchSize: settingKey("processing.batchSize", "Records per ProcessOrder invocation."),
    maxBatchingWindowSeconds: settingKey("processing.maxBatchingWindowSeconds", "Seconds the event source mapping waits to fill a batch."),
    maximumConcurrency: settingKey("processing.maximumConcurrency", "Concurrent ProcessOrder invocations (the load-levelling cap)."),
    maxReceiveCount: settingKey("queue.maxReceiveCount", "Receives of an order before it moves to the dead-letter queue."),
    visibilityTimeoutSeconds: {
        type: "number",
        description: "The order queue's visibility timeout; at least 6x ProcessOrder's timeout plus the batching window.",
        arg: "queue.visibilityTimeoutSeconds",
        default: `${VISIBILITY_TIMEOUT_SECONDS} (derived)`,
    },
    kmsKeyArn: {
        type: "string",
        description: "A customer managed KMS key for the queues, the table and the event bus.",
        arg: "encryption.kmsKeyArn",
        default: "unset (AWS-managed keys)",
    },
    tracing: { type: "boolean", description: "Active X-Ray tracing of every function and state machine.", arg: "tracing", default: String(TRACING) },
    dashboard: { type: "boolean", description: "A CloudWatch dashboard of the pipeline's metrics and alarms ($3 a month).", arg: "dashboard", default: String(DASHBOARD) },
    deletionProtection: {
        type: "boolean",
        description: "Deletion protection of the orders table.",
        arg: "table.deletionProtection",
        default: 'true when the stack name contains "prod", else false',
    },
    logRetentionDays: {
        type: "number",
        description: "Retention of every log group, in days (one of CloudWatch Logs' periods).",
        arg: "logRetentionDays",
        default: String(LOG_RETENTION_DAYS),
    },
    workflows: {
        type: "boolean",
        description: "Shipping and refund workflows on Step Functions, with POST /orders/{orderId}/refund.",
        arg: "workflows",
        default: "false (true when shipmentTimeoutSeconds or workflowLogLevel is set)",
    },
    shipmentTimeoutSeconds: {
        type: "number",
        description: "Seconds the shipping workflow waits for the warehouse's callback.",
        arg: "workflows.shipmentTimeoutSeconds",
        default: String(WORKFLOWS_SETTINGS.shipmentTimeoutSeconds.default),
    },
    workflowLogLevel: {
        type: "string",
        description: "Execution log level of the workflows: ERROR, ALL or FATAL (execution data is never logged).",
        arg: "workflows.logLevel",
        default: WORKFLOW_LOG_LEVEL,
    },
    events: {
        type: "boolean",
        description: "Event fan-out on an EventBridge bus with an archive.",
        arg: "events",
        default: "false (true when eventArchiveRetentionDays or eventSubscribers is set)",
    },
    eventArchiveRetentionDays: {
        type: "number",
        description: "Days the event archive keeps events for replay.",
        arg: "events.archiveRetentionDays",
        default: String(EVENTS_SETTINGS.archiveRetentionDays.default),
    },
    eventSubscribers: {
        type: "json",
        description: "Rules and targets on the bus, a JSON list of { name, pattern, target: { queueArn | functionArn | eventBusArn } }.",
        arg: "events.subscribers",
        default: "no subscribers",
    },
    auth: {
        type: "boolean",
        description: "Sign-in with a new Cognito user pool and app client, and a JWT authorizer on every route.",
        arg: "auth",
        default: "false (true when authUserPoolId is set)",
    },
    authPasswordMinimumLength: {
        type: "number",
        description: "Shortest password a created user pool accepts.",
        arg: "auth.cognito.passwordMinimumLength",
        default: String(AUTH_DEFAULTS.passwordMinimumLength),
    },
    authMfa: { type: "string", description: "MFA of a created user pool: OFF, OPTIONAL or ON.", arg: "auth.cognito.mfa", default: AUTH_DEFAULTS.mfa },
    authUserPoolId: {
        type: "string",
        description: "Trust an existing user pool instead of creating one (with authUserPoolClientIds).",
        arg: "auth.cognito.userPoolId",
        default: "unset (a pool is created)",
    },
    authUserPoolClientIds: {
        type: "json",
        description: "The existing pool's app clients whose tokens the API accepts, a JSON list.",
        arg: "auth.cognito.userPoolClientIds",
        default: "required with authUserPoolId",
    },
} as const satisfies Record<string, StackConfigKey>;

/** A key of {@link STACK_CONFIG_KEYS}. */
export type StackConfigKeyName = keyof typeof STACK_CONFIG_KEYS;

/** Reads the raw text of a key (without the namespace), or undefined when the stack does not set it. */
export type ConfigSource = (key: StackConfigKeyName) => string | undefined;

/** Thrown when stack configuration values cannot be read as their type; lists every one. */
export class StackConfigError extends Error {
    readonly problems: readonly string[];
    constructor(problems: readonly string[]) {
        super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "StackConfigError";
        this.problems = problems;
    }
}

/** Reads keys as their declared type, collecting every value that is not of it. */
class ConfigReader {
    readonly problems: string[] = [];
    constructor(private readonly source: ConfigSource) {}

    private text(key: StackConfigKeyName, type: StackConfigType): string | undefined {
        if (STACK_CONFIG_KEYS[key].type !== type) throw new Error(`stack key ${key} is declared ${STACK_CONFIG_KEYS[key].type}, read as ${type}`);
        return this.source(key);
    }

    private problem(key: StackConfigKeyName, expected: string, text: string): undefined {
        this.problems.push(`${CONFIG_NAMESPACE}:${key} must be ${expected}, got ${JSON.stringify(text)}`);
        return undefined;
    }

    string<T extends string = string>(key: StackConfigKeyName): T | undefined {
        return this.text(key, "string") as T | undefined;
    }

    number(key: StackConfigKeyName): number | undefined {
        const text = this.text(key, "number");
        if (text === undefined) return undefined;
        const value = Number(text);
        return text.trim() !== "" && Number.isFinite(value) ? value : this.problem(key, "a number", text);
    }

    boolean(key: StackConfigKeyName): boolean | undefined {
        const text = this.text(key, "boolean");
        if (text === undefined) return undefined;
        if (text === "true" || text === "false") return text === "true";
        return this.problem(key, '"true" or "false"', text);
    }

    json<T>(key: StackConfigKeyName): T | undefined {
        const text = this.text(key, "json");
        if (text === undefined) return undefined;
        try {
            return JSON.parse(text) as T;
        } catch {
            return this.problem(key, "JSON", text);
        }
    }
}

/** The component's name and arguments a stack's configuration asks for. */
export interface StackArgs {
    readonly name: string;
    readonly args: OrderPipelineArgs<string, Record<string, string>>;
}

/**
 * Turns a stack's configuration into the component's name and arguments. Unset keys stay unset, so
 * that the resolver applies the one default. Throws a {@link StackConfigError} listing every value
 * that cannot be read as its type.
 */
export function stackArgs(source: ConfigSource, stack: string): StackArgs {
    const config = new ConfigReader(source);
    const corsAllowOrigins = config.json<string[]>("corsAllowOrigins");
    const eventSubscribers = config.json<EventsSubscriber<string>[]>("eventSubscribers");
    const archiveRetentionDays = config.number("eventArchiveRetentionDays");
    const shipmentTimeoutSeconds = config.number("shipmentTimeoutSeconds");
    const workflowLogLevel = config.string<WorkflowLogLevel>("workflowLogLevel");
    const existingUserPoolId = config.string("authUserPoolId");
    const eventsOn = config.boolean("events") ?? (eventSubscribers !== undefined || archiveRetentionDays !== undefined);
    const workflowsOn = config.boolean("workflows") ?? (shipmentTimeoutSeconds !== undefined || workflowLogLevel !== undefined);
    const authOn = config.boolean("auth") ?? existingUserPoolId !== undefined;
    const emailEnabled = config.boolean("emailEnabled");
    const emailSender = config.string("emailSender");
    const emailIdentityArn = config.string("emailIdentityArn");
    const emailDomain = config.string("emailDomain");
    const emailHostedZoneId = config.string("emailHostedZoneId");

    const args: StackArgs["args"] = {
        api: {
            throttle: { burstLimit: config.number("throttleBurstLimit"), rateLimit: config.number("throttleRateLimit") },
            cors: corsAllowOrigins === undefined ? undefined : { allowOrigins: corsAllowOrigins },
        },
        queue: { maxReceiveCount: config.number("maxReceiveCount"), visibilityTimeoutSeconds: config.number("visibilityTimeoutSeconds") },
        processing: {
            batchSize: config.number("batchSize"),
            maxBatchingWindowSeconds: config.number("maxBatchingWindowSeconds"),
            maximumConcurrency: config.number("maximumConcurrency"),
        },
        table: { deletionProtection: config.boolean("deletionProtection") },
        // emailEnabled=false turns email off while the sender stays configured for later.
        email: emailEnabled === false ? { enabled: false } : { enabled: emailEnabled, sender: emailSender, identityArn: emailIdentityArn, domain: emailDomain, hostedZoneId: emailHostedZoneId },
        alarms: { email: config.string("alarmEmail") },
        encryption: { kmsKeyArn: config.string("kmsKeyArn") },
        tracing: config.boolean("tracing"),
        dashboard: config.boolean("dashboard"),
        logRetentionDays: config.number("logRetentionDays"),
        tags: { application: CONFIG_NAMESPACE, stack },
        events: eventsOn ? { archiveRetentionDays, subscribers: eventSubscribers } : undefined,
        workflows: workflowsOn ? { shipmentTimeoutSeconds, logLevel: workflowLogLevel } : undefined,
        auth: authOn
            ? {
                  cognito:
                      existingUserPoolId === undefined
                          ? { passwordMinimumLength: config.number("authPasswordMinimumLength"), mfa: config.string<MfaMode>("authMfa") }
                          : { userPoolId: existingUserPoolId, userPoolClientIds: config.json<string[]>("authUserPoolClientIds") },
              }
            : undefined,
    };
    const name = config.string("name") ?? DEFAULT_COMPONENT_NAME;
    if (config.problems.length > 0) throw new StackConfigError(config.problems);
    return { name, args };
}
