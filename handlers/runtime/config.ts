import { ENV } from "../../contract/environment";

/** Environment variables as a handler reads them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown at module load when configuration is missing or malformed; names the variable. */
export class ConfigurationError extends Error {
    override readonly name = "ConfigurationError";
}

function required(env: Env, name: string): string {
    const value = env[name]?.trim();
    if (!value) throw new ConfigurationError(`environment variable ${name} is required but not set`);
    return value;
}

/** A DynamoDB table name: 3 to 255 of [a-zA-Z0-9_.-] (DynamoDB naming rules). */
function tableName(env: Env): string {
    const value = required(env, ENV.tableName);
    if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(value)) {
        throw new ConfigurationError(`environment variable ${ENV.tableName} is not a valid DynamoDB table name: ${JSON.stringify(value)}`);
    }
    return value;
}

function queueUrl(env: Env): string {
    const value = required(env, ENV.queueUrl);
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new ConfigurationError(`environment variable ${ENV.queueUrl} is not a URL: ${JSON.stringify(value)}`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new ConfigurationError(`environment variable ${ENV.queueUrl} must be an http(s) URL: ${JSON.stringify(value)}`);
    }
    return value;
}

function emailEnabled(env: Env): boolean {
    const value = required(env, ENV.emailEnabled).toLowerCase();
    if (value === "true") return true;
    if (value === "false") return false;
    throw new ConfigurationError(`environment variable ${ENV.emailEnabled} must be "true" or "false", not ${JSON.stringify(env[ENV.emailEnabled])}`);
}

/** A sender SES accepts as `Source`: `shop@example.com` or `Shop <shop@example.com>`. */
function emailSender(env: Env): string {
    const value = required(env, ENV.emailSender);
    if (!/^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(value)) {
        throw new ConfigurationError(`environment variable ${ENV.emailSender} is not an email address: ${JSON.stringify(value)}`);
    }
    return value;
}

/** "true" or "false"; unset reads as false. */
function optionalFlag(env: Env, name: string): boolean {
    const value = env[name]?.trim().toLowerCase();
    if (value === undefined || value === "" || value === "false") return false;
    if (value === "true") return true;
    throw new ConfigurationError(`environment variable ${name} must be "true" or "false", not ${JSON.stringify(env[name])}`);
}

/** An EventBridge bus name: 1 to 256 of [.\-_A-Za-z0-9] (EventBridge naming rules); unset when events are off. */
function optionalEventBusName(env: Env): string | undefined {
    const value = env[ENV.eventBusName]?.trim();
    if (!value) return undefined;
    if (!/^[.\-_A-Za-z0-9]{1,256}$/.test(value)) {
        throw new ConfigurationError(`environment variable ${ENV.eventBusName} is not a valid event bus name: ${JSON.stringify(value)}`);
    }
    return value;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

/** A Step Functions state machine ARN, or undefined when unset and not required. */
function stateMachineArn(env: Env, name: string, isRequired: boolean): string | undefined {
    const value = isRequired ? required(env, name) : env[name]?.trim();
    if (!value) return undefined;
    if (!STATE_MACHINE_ARN.test(value)) {
        throw new ConfigurationError(`environment variable ${name} is not a state machine ARN: ${JSON.stringify(value)}`);
    }
    return value;
}

/** SubmitOrder's configuration. */
export interface SubmitOrderConfig {
    readonly queueUrl: string;
    /** The API has a JWT authorizer: the caller's `sub` becomes the order's customer. */
    readonly authEnabled: boolean;
}

/** A whole number of seconds from 0 to 43200 (SQS's longest visibility timeout), or undefined when unset. */
function optionalSeconds(env: Env, name: string): number | undefined {
    const text = env[name]?.trim();
    if (!text) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > 43200) {
        throw new ConfigurationError(`environment variable ${name} must be a whole number of seconds from 0 to 43200, not ${JSON.stringify(env[name])}`);
    }
    return value;
}

/** An SES configuration set name: 1 to 64 of [A-Za-z0-9_-] (SES naming rules); unset: none. */
function optionalConfigurationSet(env: Env): string | undefined {
    const value = env[ENV.emailConfigurationSet]?.trim();
    if (!value) return undefined;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
        throw new ConfigurationError(`environment variable ${ENV.emailConfigurationSet} is not a valid configuration set name: ${JSON.stringify(value)}`);
    }
    return value;
}

/** ProcessOrder's retry backoff: on when the queue URL and both delays are set. */
function optionalRetry(env: Env): ProcessOrderConfig["retry"] {
    const base = optionalSeconds(env, ENV.retryBaseDelaySeconds);
    const max = optionalSeconds(env, ENV.retryMaxDelaySeconds);
    if (base === undefined && max === undefined) return undefined;
    if (base === undefined || max === undefined) {
        throw new ConfigurationError(`environment variables ${ENV.retryBaseDelaySeconds} and ${ENV.retryMaxDelaySeconds} go together: set both, or neither`);
    }
    return { queueUrl: queueUrl(env), policy: { baseDelaySeconds: base, maxDelaySeconds: max } };
}

/** ProcessOrder's configuration; `emailSender` is set exactly when email is enabled. */
export interface ProcessOrderConfig {
    readonly tableName: string;
    readonly email: { readonly enabled: true; readonly sender: string; readonly configurationSetName?: string } | { readonly enabled: false };
    /** The order queue and the backoff of transient failures; undefined: failed records wait the visibility timeout. */
    readonly retry: { readonly queueUrl: string; readonly policy: { readonly baseDelaySeconds: number; readonly maxDelaySeconds: number } } | undefined;
    /** The bus to publish order events to; undefined when events are off. */
    readonly eventBusName: string | undefined;
    /** The shipping state machine to start for each confirmed order; undefined when workflows are off. */
    readonly shippingStateMachineArn: string | undefined;
}

/** GetOrder's configuration. */
export interface GetOrderConfig {
    readonly tableName: string;
    /** Only the caller's own orders are shown. */
    readonly authEnabled: boolean;
}

/** RefundOrder's configuration. */
export interface RefundOrderConfig {
    readonly tableName: string;
    readonly refundStateMachineArn: string;
    /** Only the caller's own orders may be refunded. */
    readonly authEnabled: boolean;
}

/** Reads SubmitOrder's configuration; throws a {@link ConfigurationError} naming a bad variable. */
export function readSubmitOrderConfig(env: Env): SubmitOrderConfig {
    return { queueUrl: queueUrl(env), authEnabled: optionalFlag(env, ENV.authEnabled) };
}

function emailOn(sender: string, configurationSetName: string | undefined): ProcessOrderConfig["email"] {
    return { enabled: true, sender, ...(configurationSetName === undefined ? {} : { configurationSetName }) };
}

/** Reads ProcessOrder's configuration; EMAIL_SENDER is required only when EMAIL_ENABLED is "true". */
export function readProcessOrderConfig(env: Env): ProcessOrderConfig {
    const table = tableName(env);
    return {
        tableName: table,
        email: emailEnabled(env) ? emailOn(emailSender(env), optionalConfigurationSet(env)) : { enabled: false },
        retry: optionalRetry(env),
        eventBusName: optionalEventBusName(env),
        shippingStateMachineArn: stateMachineArn(env, ENV.shippingStateMachineArn, false),
    };
}

/** Reads GetOrder's configuration. */
export function readGetOrderConfig(env: Env): GetOrderConfig {
    return { tableName: tableName(env), authEnabled: optionalFlag(env, ENV.authEnabled) };
}

/** Reads RefundOrder's configuration. */
export function readRefundOrderConfig(env: Env): RefundOrderConfig {
    return {
        tableName: tableName(env),
        refundStateMachineArn: stateMachineArn(env, ENV.refundStateMachineArn, true)!,
        authEnabled: optionalFlag(env, ENV.authEnabled),
    };
}

/** The email-events function's configuration. */
export interface EmailEventsConfig {
    readonly tableName: string;
}

/** Reads the email-events function's configuration. */
export function readEmailEventsConfig(env: Env): EmailEventsConfig {
    return { tableName: tableName(env) };
}
