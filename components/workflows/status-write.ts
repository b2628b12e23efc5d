/**
 * The Task that moves an order's status with a conditional DynamoDB UpdateItem, built from
 * `transitionCondition(to)`: the same condition the handlers' store uses, so the transition table
 * in `handlers/order/status.ts` is the only place the rules live.
 */
import { TABLE_KEY } from "../../contract/defaults";
import type { OrderStatus } from "../../handlers/order/status";
import { transitionCondition } from "../../handlers/store/transition-condition";
import type { ChoiceState, FailState, JsonValue, PayloadTemplate, TaskState } from "./asl";
import { catchTo, CONDITIONAL_CHECK_FAILED, ORDER_NOT_FOUND, retryAllBut } from "./task-errors";

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
    /** Where a failed condition goes: the order is missing, or no longer in a status that may precede `to`. */
    readonly onConditionFailed: string;
}

/**
 * A Task (`arn:<partition>:states:::dynamodb:updateItem`) that sets `status = to`,
 * `updatedAt = $$.State.EnteredTime` and the given attributes, only when the order exists and its
 * status may precede `to`. A failed condition is never retried (it cannot succeed later) and goes
 * to `onConditionFailed`; other failures are retried with backoff, then fail the execution at this
 * Task, so that a redrive writes again.
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
        Retry: retryAllBut([CONDITIONAL_CHECK_FAILED]),
        Catch: [catchTo([CONDITIONAL_CHECK_FAILED], spec.onConditionFailed)],
        Next: spec.next,
    };
}

/** Where the existence check puts what it read: only the status, no personal data. */
const FOUND = "$.found";

/** A Task that reads only the order's `status` (strongly consistent), into `$.found`. */
export function readStatusTask(tableName: string, partition: string, next: string): TaskState {
    return {
        Type: "Task",
        Comment: "Reads the order's status alone (no personal data enters the execution history).",
        Resource: `arn:${partition}:states:::dynamodb:getItem`,
        Parameters: {
            TableName: tableName,
            Key: { [TABLE_KEY]: stringFromPath("$.orderId") },
            ProjectionExpression: "#status",
            ExpressionAttributeNames: { "#status": "status" },
            ConsistentRead: true,
        },
        ResultPath: FOUND,
        Retry: retryAllBut([]),
        Next: next,
    };
}

/** State names of {@link orderExistsStates}. */
export interface OrderExistsNames {
    /** The GetItem Task. */
    readonly check: string;
    /** The Choice on what it found. */
    readonly choice: string;
    /** The Fail state of a missing order. */
    readonly notFound: string;
    /** Where an existing order goes (it moved on). */
    readonly exists: string;
}

/**
 * After a failed status condition: is the order there at all? A missing order fails the
 * execution visibly (`OrderNotFound`, which the failed-executions alarm counts); an existing one
 * has moved on, and goes to `names.exists`.
 */
export function orderExistsStates(tableName: string, partition: string, names: OrderExistsNames): Record<string, TaskState | ChoiceState | FailState> {
    return {
        [names.check]: readStatusTask(tableName, partition, names.choice),
        [names.choice]: {
            Type: "Choice",
            Comment: "GetItem answers no Item for a missing key.",
            Choices: [{ Variable: `${FOUND}.Item`, IsPresent: true, Next: names.exists }],
            Default: names.notFound,
        },
        [names.notFound]: { Type: "Fail", Error: ORDER_NOT_FOUND, Cause: "No order has the id this execution was started for." },
    };
}
