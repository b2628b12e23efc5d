/**
 * The shipping workflow, as a typed definition:
 *
 * ```
 * Prepare (CONFIRMED -> PREPARING) -> RequestShipment (SQS + task token, waits for the warehouse)
 *   -> CheckShipment -> MarkShipped (PREPARING -> SHIPPED) -> [PublishEvent] -> [EmailCustomer] -> Shipped
 * ```
 *
 * Input: `{"orderId": "<uuid>"}`. A failed status condition ends in `OrderMovedOn` (Succeed): the
 * order was refunded meanwhile, or a second run found it already past the step. Every other
 * failure ends in a Fail state, which counts in the `ExecutionsFailed` metric the alarms watch.
 *
 * The shipment request the warehouse receives on the shipment-requests queue (JSON, version 1):
 * `{version: 1, orderId, taskToken, items, shippingAddress, customerName}`, where `items` and
 * `shippingAddress` are in DynamoDB's JSON form as stored (`items`: `[{"M": {"sku": {"S": "BOOK-1"},
 * "quantity": {"N": "2"}, "unitPrice": {"N": "1250"}}}]`; `shippingAddress`: `{"line1": {"S": ...},
 * ...}`; `unmarshall` from `@aws-sdk/util-dynamodb` turns them into plain objects). The warehouse
 * answers `SendTaskSuccess` with output `{"carrier": "...", "trackingNumber": "..."}` (non-empty
 * strings), or `SendTaskFailure` when it cannot ship.
 */
import type { StateMachineDefinition } from "./asl";
import { CATCH_ALL_ERROR } from "./asl";
import { notifyStates, type NotifyRefs } from "./notify";
import { EXECUTION_NAME, STATE_ENTERED_TIME, statusWriteTask, stringFromPath } from "./status-write";
import { catchTo, retryTransient, SQS_SEND_ERRORS, TIMEOUT } from "./task-errors";
import { SHIPMENT_TIMEOUT_SECONDS } from "../../contract/options/workflows";
import { SHIPMENT_REQUEST_VERSION } from "./workflow-defaults";

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
    orderMovedOn: "OrderMovedOn",
    timedOut: "ShipmentTimedOut",
    shipmentFailed: "ShipmentFailed",
    invalidCallback: "ShipmentCallbackInvalid",
    statusWriteFailed: "StatusWriteFailed",
    notifyFailed: "NotifyFailed",
} as const;

/** Where the flattened order goes after Prepare, and the shipment answer after RequestShipment. */
const ORDER = "$.order";
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
            recipientPath: `${ORDER}.customerEmail`,
            subject: "Your order has shipped",
            bodyExpression:
                `States.Format('Hello {}, your order {} is on its way with {} (tracking number {}).', ` +
                `${ORDER}.customerName, $.orderId, ${SHIPMENT}.carrier, ${SHIPMENT}.trackingNumber)`,
            next: S.shipped,
            onError: S.notifyFailed,
            failureCause: "The order is SHIPPED, but its event or email could not be sent after retries.",
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
                    returnValues: "ALL_NEW",
                    // Only what the next states need, flattened out of the stored item's DynamoDB JSON.
                    resultSelector: {
                        "customerName.$": "$.Attributes.order.M.customer.M.name.S",
                        "customerEmail.$": "$.Attributes.order.M.customer.M.email.S",
                        "items.$": "$.Attributes.order.M.items.L",
                        "shippingAddress.$": "$.Attributes.order.M.shippingAddress.M",
                    },
                    resultPath: ORDER,
                    next: S.requestShipment,
                    onConditionFailed: S.orderMovedOn,
                    onError: S.statusWriteFailed,
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
                        "orderId.$": "$.orderId",
                        "taskToken.$": "$$.Task.Token",
                        "items.$": `${ORDER}.items`,
                        "shippingAddress.$": `${ORDER}.shippingAddress`,
                        "customerName.$": `${ORDER}.customerName`,
                    },
                },
                TimeoutSeconds: refs.shipmentTimeoutSeconds ?? SHIPMENT_TIMEOUT_SECONDS,
                ResultPath: SHIPMENT,
                // Only failures to send are retried; a warehouse's SendTaskFailure is an answer.
                Retry: [retryTransient(SQS_SEND_ERRORS)],
                Catch: [catchTo([TIMEOUT], S.timedOut), catchTo([CATCH_ALL_ERROR], S.shipmentFailed)],
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
                    onConditionFailed: S.orderMovedOn,
                    onError: S.statusWriteFailed,
                },
                partition,
            ),
            ...notify.states,
            [S.shipped]: { Type: "Succeed", Comment: "The order is SHIPPED." },
            [S.orderMovedOn]: {
                Type: "Succeed",
                Comment: "The order was not in a status this step may follow: refunded meanwhile, or already past it (a second run).",
            },
            [S.timedOut]: { Type: "Fail", Error: "ShipmentTimedOut", Cause: "The warehouse did not answer the shipment request in time; the order stays PREPARING." },
            [S.shipmentFailed]: { Type: "Fail", Error: "ShipmentFailed", Cause: "The shipment request could not be sent, or the warehouse answered SendTaskFailure; the order stays PREPARING." },
            [S.invalidCallback]: { Type: "Fail", Error: "ShipmentCallbackInvalid", Cause: "The warehouse's answer lacks a non-empty carrier or trackingNumber; the order stays PREPARING." },
            [S.statusWriteFailed]: { Type: "Fail", Error: "StatusWriteFailed", Cause: "The order's status could not be written after retries." },
        },
    };
}
