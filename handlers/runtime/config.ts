import { ENV } from "../../components/defaults";

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

/** SubmitOrder's configuration. */
export interface SubmitOrderConfig {
    readonly queueUrl: string;
}

/** ProcessOrder's configuration; `emailSender` is set exactly when email is enabled. */
export interface ProcessOrderConfig {
    readonly tableName: string;
    readonly email: { readonly enabled: true; readonly sender: string } | { readonly enabled: false };
}

/** GetOrder's configuration. */
export interface GetOrderConfig {
    readonly tableName: string;
}

/** Reads SubmitOrder's configuration; throws a {@link ConfigurationError} naming a bad variable. */
export function readSubmitOrderConfig(env: Env): SubmitOrderConfig {
    return { queueUrl: queueUrl(env) };
}

/** Reads ProcessOrder's configuration; EMAIL_SENDER is required only when EMAIL_ENABLED is "true". */
export function readProcessOrderConfig(env: Env): ProcessOrderConfig {
    const table = tableName(env);
    return { tableName: table, email: emailEnabled(env) ? { enabled: true, sender: emailSender(env) } : { enabled: false } };
}

/** Reads GetOrder's configuration. */
export function readGetOrderConfig(env: Env): GetOrderConfig {
    return { tableName: tableName(env) };
}
