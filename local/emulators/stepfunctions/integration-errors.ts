/**
 * How Step Functions names the error a service integration fails with, so that Retry and Catch
 * entries written for AWS match the same failures here.
 *
 * - Optimized integrations (`arn:aws:states:::dynamodb:updateItem`, `sqs:sendMessage`,
 *   `events:putEvents`): `<Service>.<Exception>`, e.g. `DynamoDB.ConditionalCheckFailedException`;
 *   an answer the service did not model (a 5xx) is `<Service>.Amazon<Service>Exception`, a request
 *   that got no answer `<Service>.SdkClientException` (Step Functions Developer Guide, the
 *   integration pages and "Handling errors").
 * - AWS SDK integrations (`arn:aws:states:::aws-sdk:sesv2:sendEmail`): `<ServiceName>.<ErrorName>`,
 *   both in PascalCase, the error name always ending in `Exception` ("Learning to use AWS service
 *   SDK integrations": `S3.BucketAlreadyExists` becomes `S3.BucketAlreadyExistsException`).
 */

/** An integration's failure, under the name a Retry or Catch matches. */
export class IntegrationError extends Error {
    constructor(name: string, cause: string) {
        super(cause);
        this.name = name;
    }
}

/** What an SDK v3 error carries that tells a modeled answer from a lost request. */
interface SdkErrorLike {
    readonly name?: string;
    readonly message?: string;
    readonly $fault?: "client" | "server";
    readonly $metadata?: { readonly httpStatusCode?: number };
}

/** The `Exception` suffix Step Functions puts on every error name. */
function withExceptionSuffix(name: string): string {
    return name.endsWith("Exception") ? name : `${name}Exception`;
}

/**
 * The error name of an optimized integration of `service` (`DynamoDB`, `SQS`, `EventBridge`):
 * the SDK's modeled error name, else the service's generic name for an unmodeled answer, else
 * `SdkClientException` for a request that never got an answer.
 */
export function optimizedIntegrationError(service: "DynamoDB" | "SQS" | "EventBridge", err: unknown): IntegrationError {
    const e = (err ?? {}) as SdkErrorLike;
    const message = e.message ?? String(err);
    const status = e.$metadata?.httpStatusCode;
    if (status === undefined) return new IntegrationError(`${service}.SdkClientException`, message);
    const generic = `${service}.Amazon${service}Exception`;
    const modeled = e.name !== undefined && e.name !== "Error" && !/^(InternalFailure|ServiceUnavailable|UnknownError|InternalServerError|Unknown)$/.test(e.name);
    if (!modeled || status >= 500) {
        // The service's own 5xx names (InternalServerError, ...) are modeled by some SDKs; keep
        // them when they are, else the generic name.
        return modeled ? new IntegrationError(`${service}.${withExceptionSuffix(e.name!)}`, message) : new IntegrationError(generic, `${message} (HTTP ${status})`);
    }
    return new IntegrationError(`${service}.${withExceptionSuffix(e.name!)}`, message);
}

/** The error name of an AWS SDK integration of `serviceName` (PascalCase, e.g. `SesV2`, `Sfn`). */
export function sdkIntegrationError(serviceName: string, err: unknown): IntegrationError {
    const e = (err ?? {}) as SdkErrorLike;
    const message = e.message ?? String(err);
    if (e.$metadata?.httpStatusCode === undefined) return new IntegrationError(`${serviceName}.SdkClientException`, message);
    const name = e.name && e.name !== "Error" ? e.name : "Unknown";
    return new IntegrationError(`${serviceName}.${withExceptionSuffix(name)}`, message);
}
