/**
 * Error names and the Retry/Catch entries the workflows' Tasks share. Pure data.
 *
 * Error names: Step Functions "Handling errors" (States.*), and the optimized integrations'
 * `<Service>.<Exception>` names (e.g. `DynamoDB.ConditionalCheckFailedException`,
 * `SQS.AmazonSQSException`, `EventBridge.FailedEntry`).
 */
import type { Catcher, Retrier } from "./asl";
import { TASK_RETRY } from "./workflow-defaults";

/** The conditional status write found the order in another status: it moved on, nothing to do. */
export const CONDITIONAL_CHECK_FAILED = "DynamoDB.ConditionalCheckFailedException";

/** Any error of a Task except `States.Timeout` (ASL: "States.TaskFailed" acts as a wildcard). */
export const TASK_FAILED = "States.TaskFailed";

/** A Task ran longer than its `TimeoutSeconds` (for a callback: no answer in time). */
export const TIMEOUT = "States.Timeout";

/**
 * SQS errors of `sqs:sendMessage` (client-side and service-side). Listed by name rather than as
 * `States.TaskFailed` on the callback Task: a `SendTaskFailure` from the warehouse fails the same
 * Task, and a refusal must not send the request again.
 */
export const SQS_SEND_ERRORS: readonly string[] = ["SQS.SdkClientException", "SQS.AmazonSQSException"];

/** Where a caught error goes in the state's data: beside the input, so the execution history shows both. */
export const ERROR_RESULT_PATH = "$.error";

/** Retries `errors` with the shared backoff and full jitter. */
export function retryTransient(errors: readonly string[]): Retrier {
    return { ErrorEquals: errors, ...TASK_RETRY };
}

/**
 * Never retries `errors`. Placed before a broader retrier, it stops that one from matching: the
 * first retrier whose ErrorEquals matches is the one applied (ASL "Retrying after an error").
 */
export function neverRetry(errors: readonly string[]): Retrier {
    return { ErrorEquals: errors, MaxAttempts: 0 };
}

/** Sends `errors` to `next`, keeping the input and adding the error under {@link ERROR_RESULT_PATH}. */
export function catchTo(errors: readonly string[], next: string): Catcher {
    return { ErrorEquals: errors, Next: next, ResultPath: ERROR_RESULT_PATH };
}
