import { TABLE_KEY } from "../../contract/defaults";
import { predecessorsOf, type OrderStatus } from "../order/status";

/** Thrown when a status change is not in the transition table for the order's current status. */
export class InvalidTransitionError extends Error {
    override readonly name = "InvalidTransitionError";
}

/** The parts of a DynamoDB write that moves an order's status to `to` (values as plain strings). */
export interface TransitionCondition {
    /** `attribute_exists(#key) AND #status IN (:from0, ...)`. */
    readonly ConditionExpression: string;
    readonly ExpressionAttributeNames: { readonly "#key": string; readonly "#status": "status" };
    /** `:from0`... the statuses that may precede `to`, and `:to`. */
    readonly ExpressionAttributeValues: Readonly<Record<string, OrderStatus>>;
}

/**
 * The condition under which an order may move to `to` in one step: it exists and its status is
 * one the transition table lets precede `to`. The store and the state machines both build their
 * status writes from it, so the table in `handlers/order/status.ts` is the only place the rules live.
 */
export function transitionCondition(to: OrderStatus): TransitionCondition {
    const from = predecessorsOf(to);
    if (from.length === 0) throw new InvalidTransitionError(`no status may move to ${to}`);
    const values: Record<string, OrderStatus> = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
    return {
        ConditionExpression: `attribute_exists(#key) AND #status IN (${Object.keys(values).join(", ")})`,
        ExpressionAttributeNames: { "#key": TABLE_KEY, "#status": "status" },
        ExpressionAttributeValues: { ...values, ":to": to },
    };
}
