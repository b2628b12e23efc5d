/**
 * The refund workflow, as a typed definition:
 *
 * ```
 * MarkRefunded (REFUND_REQUESTED -> REFUNDED) -> [PublishEvent] -> [EmailCustomer] -> Refunded
 * ```
 *
 * Input: `{"orderId": "<uuid>"}`, started by RefundOrder once it has written REFUND_REQUESTED. A
 * failed status condition (the order is already REFUNDED: a second run) ends in `OrderMovedOn`
 * (Succeed); every other failure ends in a Fail state, which the alarms watch.
 */
import type { StateMachineDefinition } from "./asl";
import { notifyStates, type NotifyRefs } from "./notify";
import { STATE_ENTERED_TIME, statusWriteTask, stringFromPath } from "./status-write";

/** What the refund definition refers to, as plain values. */
export interface RefundDefinitionRefs extends NotifyRefs {
    /** Name of the orders table. */
    readonly tableName: string;
    /** The AWS partition of the integration ARNs. Defaults to "aws". */
    readonly partition?: string;
}

/** The state names of the refund workflow. */
export const REFUND_STATES = {
    markRefunded: "MarkRefunded",
    refunded: "Refunded",
    orderMovedOn: "OrderMovedOn",
    statusWriteFailed: "StatusWriteFailed",
    notifyFailed: "NotifyFailed",
} as const;

const REFUND = "$.refund";

/** Builds the refund workflow's definition. */
export function refundDefinition(refs: RefundDefinitionRefs): StateMachineDefinition {
    const partition = refs.partition ?? "aws";
    const S = REFUND_STATES;
    const notify = notifyStates(
        refs,
        {
            detailType: "OrderRefunded",
            detail: { "refundedAt.$": `${REFUND}.refundedAt` },
            occurredAtPath: `${REFUND}.refundedAt`,
            recipientPath: `${REFUND}.customerEmail`,
            subject: "Your order has been refunded",
            bodyExpression: `States.Format('Hello {}, your order {} has been refunded.', ${REFUND}.customerName, $.orderId)`,
            next: S.refunded,
            onError: S.notifyFailed,
            failureCause: "The order is REFUNDED, but its event or email could not be sent after retries.",
        },
        partition,
    );
    return {
        Comment: "Refunds one order: mark it refunded, notify.",
        StartAt: S.markRefunded,
        States: {
            [S.markRefunded]: statusWriteTask(
                {
                    tableName: refs.tableName,
                    to: "REFUNDED",
                    set: { refundedAt: stringFromPath(STATE_ENTERED_TIME) },
                    returnValues: "ALL_NEW",
                    resultSelector: {
                        "refundedAt.$": "$.Attributes.refundedAt.S",
                        "customerName.$": "$.Attributes.order.M.customer.M.name.S",
                        "customerEmail.$": "$.Attributes.order.M.customer.M.email.S",
                    },
                    resultPath: REFUND,
                    next: notify.first,
                    onConditionFailed: S.orderMovedOn,
                    onError: S.statusWriteFailed,
                },
                partition,
            ),
            ...notify.states,
            [S.refunded]: { Type: "Succeed", Comment: "The order is REFUNDED." },
            [S.orderMovedOn]: { Type: "Succeed", Comment: "The order was not REFUND_REQUESTED: already refunded by an earlier run." },
            [S.statusWriteFailed]: { Type: "Fail", Error: "StatusWriteFailed", Cause: "The order's status could not be written after retries." },
        },
    };
}
