import { ENV } from "../../contract/environment";

/** The environment variable naming the peer's idempotency table (the pipeline has no such table). */
export const IDEMPOTENCY_TABLE_ENV = "IDEMPOTENCY_TABLE_NAME";

function required(name: string): string {
    const value = process.env[name];
    if (value === undefined || value === "") throw new Error(`peer: environment variable ${name} is not set`);
    return value;
}

/** The peer's configuration, read once per container from the same variables the pipeline uses. */
export const peerEnvironment = {
    tableName: () => required(ENV.tableName),
    queueUrl: () => required(ENV.queueUrl),
    idempotencyTableName: () => required(IDEMPOTENCY_TABLE_ENV),
    emailEnabled: () => required(ENV.emailEnabled) === "true",
    emailSender: () => required(ENV.emailSender),
};
