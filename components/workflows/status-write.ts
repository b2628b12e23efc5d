/**
 * The Task that moves an order's status with a conditional DynamoDB UpdateItem, built from
 * `transitionCondition(to)`: the same condition the handlers' store uses, so the transition table
 * in `handlers/order/status.ts` is the only place the rules live.
 */
import { TABLE_KEY } from "../../contract/defaults";
import type { OrderStatus } from "../../handlers/order/status";
import { transitionCondition } from "../../handlers/store/transition-condition";
import { CATCH_ALL_ERROR, type JsonValue, type PayloadTemplate, type TaskState } from "./asl";
import { catchTo, CONDITIONAL_CHECK_FAILED, neverRetry, retryTransient, TASK_FAILED } from "./task-errors";

/** The context object path of the time the current state was entered (ISO 8601). */
export const STATE_ENTERED_TIME = "$$.State.EnteredTime";

/** The context object path of the execution's name (e.g. `ship-<orderId>`). */
export const EXECUTION_NAME = "$$.Execution.Name";

/** A DynamoDB string attribute value taken from a path: `{"S.$": path}`. */
export function stringFromPath(path: string): PayloadTemplate {
    return { "S.$": path };
}

/** The condition's plain string values in DynamoDB's JSON form (`{"S": "CONFIRMED"}`), as the integration sends them. */
export function marshalledConditionValues(to: OrderStatus): Record<string, { S: string }> {
    const values = transitionCondition(to).ExpressionAttributeValues;
    return Object.fromEntries(Object.entries(values).map(([placeholder, status]) => [placeholder, { S: status }]));
}

/** One status write. */
export interface StatusWriteSpec {
    readonly tableName: string;
    /** The status to move to. */
    readonly to: OrderStatus;
    /** Further attributes to set, by name, as DynamoDB attribute value templates. `updatedAt` is always set. */
    readonly set?: Readonly<Record<string, PayloadTemplate>>;
    /** `ALL_NEW` when the next states need the order, `UPDATED_NEW` when only the set attributes. */
    readonly returnValues: "ALL_NEW" | "UPDATED_NEW" | "NONE";
    /** Shapes the result (e.g. picks attributes out of `Attributes`). */
    readonly resultSelector?: PayloadTemplate;
    /** Where the (selected) result goes; null discards it. */
    readonly resultPath: string | null;
    readonly next: string;
    /** Where a failed condition goes: the order is no longer in a status that may precede `to`. */
    readonly onConditionFailed: string;
    /** Where every other error goes once retries are spent. */
    readonly onError: string;
}

/**
 * A Task (`arn:<partition>:states:::dynamodb:updateItem`) that sets `status = to`,
 * `updatedAt = $$.State.EnteredTime` and the given attributes, only when the order exists and its
 * status may precede `to`. A failed condition is never retried (it cannot succeed later) and goes
 * to `onConditionFailed`; other failures are retried with backoff, then go to `onError`.
 */
export function statusWriteTask(spec: StatusWriteSpec, partition: string): TaskState {
    const condition = transitionCondition(spec.to);
    const set: Record<string, PayloadTemplate> = { updatedAt: stringFromPath(STATE_ENTERED_TIME), ...spec.set };
    const names: Record<string, string> = { ...condition.ExpressionAttributeNames };
    const values: Record<string, JsonValue> = { ...marshalledConditionValues(spec.to) };
    const assignments = ["#status = :to"];
    for (const [attribute, value] of Object.entries(set)) {
        names[`#${attribute}`] = attribute;
        values[`:${attribute}`] = value;
        assignments.push(`#${attribute} = :${attribute}`);
    }
    return {
        Type: "Task",
        Comment: `Moves the order to ${spec.to} if its status may precede it.`,
        Resource: `arn:${partition}:states:::dynamodb:updateItem`,
        Parameters: {
            TableName: spec.tableName,
            Key: { [TABLE_KEY]: stringFromPath("$.orderId") },
            UpdateExpression: `SET ${assignments.join(", ")}`,
            ConditionExpression: condition.ConditionExpression,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: spec.returnValues,
        },
        ...(spec.resultSelector ? { ResultSelector: spec.resultSelector } : {}),
        ResultPath: spec.resultPath,
        Retry: [neverRetry([CONDITIONAL_CHECK_FAILED]), retryTransient([TASK_FAILED])],
        Catch: [catchTo([CONDITIONAL_CHECK_FAILED], spec.onConditionFailed), catchTo([CATCH_ALL_ERROR], spec.onError)],
        Next: spec.next,
    };
}
