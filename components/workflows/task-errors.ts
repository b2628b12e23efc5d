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
 * The error the warehouse answers `SendTaskFailure` with when it will not ship an order. It is
 * the one error of the callback Task that is not retried: every other one (throttling, KMS, a 5xx,
 * a lost connection: `SQS.*` names that Step Functions does not list exhaustively) is retried
 * through `States.TaskFailed`, which a failed status condition or a refusal never reaches.
 */
export const SHIPMENT_REFUSED = "ShipmentRefused";

/** The order id a workflow was started for is not in the table (Fail state error). */
export const ORDER_NOT_FOUND = "OrderNotFound";

/** Where a caught error goes in the state's data: beside the input, so the execution history shows both. */
export const ERROR_RESULT_PATH = "$.error";

/**
 * The Retry list of a Task whose every error but `except` is transient: `except` never retried
 * (listed first, so the broader retrier does not match it), the rest with backoff. Errors left
 * after retries fail the execution AT this Task, so that RedriveExecution runs it again.
 */
export function retryAllBut(except: readonly string[]): Retrier[] {
    return [...(except.length > 0 ? [neverRetry(except)] : []), retryTransient([TASK_FAILED])];
}

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
