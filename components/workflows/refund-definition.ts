/**
 * The refund workflow, as a typed definition:
 *
 * ```
 * ReadShipping -> ShippingUnderway? --yes--> StopShipping -> CancelShipment --+
 *                        |                                                   v
 *                        +--no-------------------------------------> MarkRefunded (REFUND_REQUESTED -> REFUNDED)
 *                                                                     -> [PublishEvent] -> [ReadRecipient -> EmailCustomer] -> Refunded
 * ```
 *
 * Input: `{"orderId": "<uuid>"}`, started by RefundOrder once it has written REFUND_REQUESTED.
 *
 * The shop's rule for an order refunded while it is PREPARING (the shipping workflow waits for
 * the warehouse): the refund wins. The refund stops the shipping execution (`ship-<orderId>`,
 * StopExecution, so it neither times out nor fails: no alarm) and sends the warehouse a
 * cancellation on the shipment-requests queue (`{version: 2, type: "ShipmentCancelled", orderId}`);
 * the warehouse must not ship it. A warehouse whose parcel already left finds its SendTaskSuccess
 * refused (TaskTimedOut: the execution is stopped), and the order stays REFUNDED: a return for
 * the shop, never a SHIPPED refunded order (MarkShipped's condition refuses it in any case).
 *
 * A missing order fails with `OrderNotFound`; an order already REFUNDED (a second run) ends in
 * `OrderMovedOn`. Every other error is retried, then fails the execution at its Task, for a redrive.
 */
import type { StateMachineDefinition } from "./asl";
import { notifyStates, type NotifyRefs } from "./notify";
import { readStatusTask, STATE_ENTERED_TIME, statusWriteTask, stringFromPath } from "./status-write";
import { ORDER_NOT_FOUND, retryAllBut } from "./task-errors";
import { SHIPMENT_CANCELLED_TYPE, SHIPMENT_REQUEST_VERSION } from "./workflow-defaults";
import { shippingExecutionName } from "../../handlers/workflows/execution-names";

/** What the refund definition refers to, as plain values. */
export interface RefundDefinitionRefs extends NotifyRefs {
    /** Name of the orders table. */
    readonly tableName: string;
    /** URL of the shipment-requests queue, where the warehouse is told of a cancellation. */
    readonly shipmentQueueUrl: string;
    /** ARN of the shipping state machine, whose `ship-<orderId>` execution a refund stops. */
    readonly shippingStateMachineArn: string;
    /** The AWS partition of the integration ARNs. Defaults to "aws". */
    readonly partition?: string;
}

/** The state names of the refund workflow. */
export const REFUND_STATES = {
    readShipping: "ReadShipping",
    shippingUnderway: "ShippingUnderway",
    stopShipping: "StopShipping",
    cancelShipment: "CancelShipment",
    markRefunded: "MarkRefunded",
    refunded: "Refunded",
    orderNotFound: "OrderNotFound",
    orderMovedOn: "OrderMovedOn",
} as const;

const REFUND = "$.refund";
const SHIPPING = "$.shipping";

/** The error and cause a refund stops the shipping execution with (shown in its history). */
export const SHIPPING_STOPPED_BY_REFUND = { error: "OrderRefunded", cause: "The order was refunded before it shipped." } as const;

/** `arn:...:execution:<machine>:` of a state machine's executions. */
export function executionArnPrefix(stateMachineArn: string): string {
    const parts = stateMachineArn.split(":");
    if (parts.length !== 7 || parts[5] !== "stateMachine") throw new TypeError(`not a state machine ARN: ${stateMachineArn}`);
    return `${parts.slice(0, 5).join(":")}:execution:${parts[6]}:`;
}

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
            tableName: refs.tableName,
            subject: "Your order has been refunded",
            bodyExpression: `States.Format('Hello, your order {} has been refunded.', $.orderId)`,
            next: S.refunded,
        },
        partition,
    );
    const shipping = readStatusTask(refs.tableName, partition, S.shippingUnderway);
    return {
        Comment: "Refunds one order: stop its shipment if one is under way, mark it refunded, notify.",
        StartAt: S.readShipping,
        States: {
            [S.readShipping]: {
                ...shipping,
                Comment: "Reads the status and the shipping run (no personal data).",
                Parameters: {
                    ...shipping.Parameters,
                    ProjectionExpression: "#status, #shippingExecution, #shippedAt",
                    ExpressionAttributeNames: { "#status": "status", "#shippingExecution": "shippingExecution", "#shippedAt": "shippedAt" },
                },
                ResultPath: SHIPPING,
            },
            [S.shippingUnderway]: {
                Type: "Choice",
                Comment: "A shipping run started (Prepare records it) and the order has not shipped: stop it.",
                Choices: [
                    // `Not IsPresent` rather than `IsPresent: false`: the same rule, and the one the local interpreter evaluates right.
                    { Not: { Variable: `${SHIPPING}.Item`, IsPresent: true }, Next: S.orderNotFound },
                    {
                        And: [
                            { Variable: `${SHIPPING}.Item.shippingExecution.S`, IsPresent: true },
                            { Not: { Variable: `${SHIPPING}.Item.shippedAt`, IsPresent: true } },
                        ],
                        Next: S.stopShipping,
                    },
                ],
                Default: S.markRefunded,
            },
            [S.stopShipping]: {
                Type: "Task",
                Comment: "Stops the shipping execution: it neither waits for the warehouse nor times out.",
                Resource: `arn:${partition}:states:::aws-sdk:sfn:stopExecution`,
                Parameters: {
                    // The shipping run's name is derived from the order id, the same as ProcessOrder starts it:
                    // the ARN then has the `ship-` prefix the role's StopExecution statement is scoped to.
                    "ExecutionArn.$": `States.Format('${executionArnPrefix(refs.shippingStateMachineArn)}${shippingExecutionName("{}")}', $.orderId)`,
                    Error: SHIPPING_STOPPED_BY_REFUND.error,
                    Cause: SHIPPING_STOPPED_BY_REFUND.cause,
                },
                ResultPath: null,
                Retry: retryAllBut([]),
                Next: S.cancelShipment,
            },
            [S.cancelShipment]: {
                Type: "Task",
                Comment: "Tells the warehouse not to ship the order.",
                Resource: `arn:${partition}:states:::sqs:sendMessage`,
                Parameters: {
                    QueueUrl: refs.shipmentQueueUrl,
                    MessageBody: { version: SHIPMENT_REQUEST_VERSION, type: SHIPMENT_CANCELLED_TYPE, "orderId.$": "$.orderId" },
                },
                ResultPath: null,
                Retry: retryAllBut([]),
                Next: S.markRefunded,
            },
            [S.markRefunded]: statusWriteTask(
                {
                    tableName: refs.tableName,
                    to: "REFUNDED",
                    set: { refundedAt: stringFromPath(STATE_ENTERED_TIME) },
                    returnValues: "UPDATED_NEW",
                    resultSelector: { "refundedAt.$": "$.Attributes.refundedAt.S" },
                    resultPath: REFUND,
                    next: notify.first,
                    onConditionFailed: S.orderMovedOn,
                },
                partition,
            ),
            ...notify.states,
            [S.refunded]: { Type: "Succeed", Comment: "The order is REFUNDED." },
            [S.orderNotFound]: { Type: "Fail", Error: ORDER_NOT_FOUND, Cause: "No order has the id this execution was started for." },
            [S.orderMovedOn]: { Type: "Succeed", Comment: "The order was not REFUND_REQUESTED: already refunded by an earlier run." },
        },
    };
}
