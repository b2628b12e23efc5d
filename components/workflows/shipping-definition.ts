/**
 * The shipping workflow, as a typed definition:
 *
 * ```
 * Prepare (CONFIRMED -> PREPARING) -> RequestShipment (SQS + task token, waits for the warehouse)
 *   -> CheckShipment -> MarkShipped (PREPARING -> SHIPPED) -> [PublishEvent] -> [ReadRecipient -> EmailCustomer] -> Shipped
 * ```
 *
 * Input: `{"orderId": "<uuid>"}`: nothing personal. A failed status condition is looked into: a
 * missing order fails with `OrderNotFound`; an order that moved on (refunded meanwhile, or already
 * past the step: a second run) ends in `OrderMovedOn` (Succeed). Every other error is retried with
 * backoff and, once the retries are spent, fails the execution AT the Task that failed, so that
 * `RedriveExecution` runs that Task again (docs/operations.md). A refund stops the execution
 * (`StopExecution`) and tells the warehouse (see refund-definition.ts).
 *
 * The shipment request the warehouse receives on the shipment-requests queue (JSON, version 2):
 * `{version: 2, type: "ShipmentRequested", orderId, taskToken}`. The warehouse reads the items and
 * the address from the order itself (GetItem on the orders table), so that no personal data passes
 * through the execution history. A repeated request for the same order (a redrive) must be
 * answered, not shipped twice. The warehouse answers `SendTaskSuccess` with output
 * `{"carrier": "...", "trackingNumber": "..."}` (non-empty strings), or `SendTaskFailure` with
 * error `ShipmentRefused` when it will not ship (every other error is retried as transient).
 */
import type { StateMachineDefinition } from "./asl";
import { notifyStates, type NotifyRefs } from "./notify";
import { EXECUTION_NAME, orderExistsStates, STATE_ENTERED_TIME, statusWriteTask, stringFromPath } from "./status-write";
import { retryAllBut, SHIPMENT_REFUSED } from "./task-errors";
import { SHIPMENT_TIMEOUT_SECONDS } from "../../contract/options/workflows";
import { SHIPMENT_REQUEST_TYPE, SHIPMENT_REQUEST_VERSION } from "./workflow-defaults";

/** What the shipping definition refers to, as plain values. */
export interface ShippingDefinitionRefs extends NotifyRefs {
    /** Name of the orders table. */
    readonly tableName: string;
    /** URL of the shipment-requests queue the warehouse reads. */
    readonly shipmentQueueUrl: string;
    /** Seconds to wait for the warehouse's answer. Defaults to 7 days (`SHIPMENT_TIMEOUT_SECONDS`). */
    readonly shipmentTimeoutSeconds?: number;
    /** The AWS partition of the integration ARNs. Defaults to "aws". */
    readonly partition?: string;
}

/** The state names of the shipping workflow. */
export const SHIPPING_STATES = {
    prepare: "Prepare",
    requestShipment: "RequestShipment",
    checkShipment: "CheckShipment",
    markShipped: "MarkShipped",
    shipped: "Shipped",
    checkOrder: "CheckOrder",
    orderFound: "OrderFound",
    orderNotFound: "OrderNotFound",
    orderMovedOn: "OrderMovedOn",
    invalidCallback: "ShipmentCallbackInvalid",
} as const;

/** Where the shipment answer goes after RequestShipment, and the stored shipping time after MarkShipped. */
const SHIPMENT = "$.shipment";
const SHIPPED = "$.shipped";

/** A Choice comparison that holds when `path` is a non-empty string. */
function nonEmptyString(path: string) {
    return { And: [{ Variable: path, IsPresent: true }, { Variable: path, IsString: true }, { Not: { Variable: path, StringEquals: "" } }] };
}

/** Builds the shipping workflow's definition. */
export function shippingDefinition(refs: ShippingDefinitionRefs): StateMachineDefinition {
    const partition = refs.partition ?? "aws";
    const S = SHIPPING_STATES;
    const notify = notifyStates(
        refs,
        {
            detailType: "OrderShipped",
            detail: {
                "carrier.$": `${SHIPMENT}.carrier`,
                "trackingNumber.$": `${SHIPMENT}.trackingNumber`,
                "shippedAt.$": `${SHIPPED}.shippedAt`,
            },
            occurredAtPath: `${SHIPPED}.shippedAt`,
            tableName: refs.tableName,
            subject: "Your order has shipped",
            bodyExpression:
                `States.Format('Hello, your order {} is on its way with {} (tracking number {}).', ` + `$.orderId, ${SHIPMENT}.carrier, ${SHIPMENT}.trackingNumber)`,
            next: S.shipped,
        },
        partition,
    );
    return {
        Comment: "Ships one order: reserve, ask the warehouse and wait for its answer, mark shipped, notify.",
        StartAt: S.prepare,
        States: {
            [S.prepare]: statusWriteTask(
                {
                    tableName: refs.tableName,
                    to: "PREPARING",
                    set: { shippingStartedAt: stringFromPath(STATE_ENTERED_TIME), shippingExecution: stringFromPath(EXECUTION_NAME) },
                    returnValues: "NONE",
                    resultPath: null,
                    next: S.requestShipment,
                    onConditionFailed: S.checkOrder,
                },
                partition,
            ),
            [S.requestShipment]: {
                Type: "Task",
                Comment: "Sends the shipment request with a task token and waits for SendTaskSuccess or SendTaskFailure.",
                Resource: `arn:${partition}:states:::sqs:sendMessage.waitForTaskToken`,
                Parameters: {
                    QueueUrl: refs.shipmentQueueUrl,
                    MessageBody: {
                        version: SHIPMENT_REQUEST_VERSION,
                        type: SHIPMENT_REQUEST_TYPE,
                        "orderId.$": "$.orderId",
                        "taskToken.$": "$$.Task.Token",
                    },
                },
                TimeoutSeconds: refs.shipmentTimeoutSeconds ?? SHIPMENT_TIMEOUT_SECONDS,
                ResultPath: SHIPMENT,
                // A refusal is an answer; every failure to send is transient. A timeout is never
                // retried (States.TaskFailed does not match it): it fails the execution here.
                Retry: retryAllBut([SHIPMENT_REFUSED]),
                Next: S.checkShipment,
            },
            [S.checkShipment]: {
                Type: "Choice",
                Comment: "The warehouse's answer must carry a carrier and a tracking number.",
                Choices: [{ And: [nonEmptyString(`${SHIPMENT}.carrier`), nonEmptyString(`${SHIPMENT}.trackingNumber`)], Next: S.markShipped }],
                Default: S.invalidCallback,
            },
            [S.markShipped]: statusWriteTask(
                {
                    tableName: refs.tableName,
                    to: "SHIPPED",
                    set: {
                        carrier: stringFromPath(`${SHIPMENT}.carrier`),
                        trackingNumber: stringFromPath(`${SHIPMENT}.trackingNumber`),
                        shippedAt: stringFromPath(STATE_ENTERED_TIME),
                    },
                    returnValues: "UPDATED_NEW",
                    resultSelector: { "shippedAt.$": "$.Attributes.shippedAt.S" },
                    resultPath: SHIPPED,
                    next: notify.first,
                    // Refunded while the warehouse shipped: the refund stands (a return for the shop).
                    onConditionFailed: S.orderMovedOn,
                },
                partition,
            ),
            ...notify.states,
            [S.shipped]: { Type: "Succeed", Comment: "The order is SHIPPED." },
            ...orderExistsStates(refs.tableName, partition, { check: S.checkOrder, choice: S.orderFound, notFound: S.orderNotFound, exists: S.orderMovedOn }),
            [S.orderMovedOn]: {
                Type: "Succeed",
                Comment: "The order was not in a status this step may follow: refunded meanwhile, or already past it (a second run).",
            },
            [S.invalidCallback]: {
                Type: "Fail",
                Error: "ShipmentCallbackInvalid",
                Cause: "The warehouse's answer lacks a non-empty carrier or trackingNumber; the order stays PREPARING.",
            },
        },
    };
}
