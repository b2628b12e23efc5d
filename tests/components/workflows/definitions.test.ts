/**
 * The shipping and refund definitions as data: sound for every combination of notifications,
 * status writes built from the transition table, error handling on every Task, and the data
 * followed from state to state (stored item, shipment request, warehouse answer, event, email).
 */
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import { checkDefinition, type ChoiceState, type FailState, type StateMachineDefinition, type TaskState } from "../../../components/workflows/asl";
import { refundDefinition, REFUND_STATES } from "../../../components/workflows/refund-definition";
import { shippingDefinition, SHIPPING_STATES } from "../../../components/workflows/shipping-definition";
import { TASK_RETRY } from "../../../components/workflows/workflow-defaults";
import { SHIPMENT_TIMEOUT_SECONDS } from "../../../contract/options/workflows";
import { orderRefundedDetail, orderShippedDetail, validateOrderEventDetail } from "../../../handlers/events/order-events";
import { computeTotals } from "../../../handlers/order/totals";
import { transitionCondition } from "../../../handlers/store/transition-condition";
import { EXAMPLE_ORDER } from "../../../handlers/order/example-order";
import { applyResultPath, matches, render, type Context } from "./state-data";

const TABLE = "orders-table";
const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/orders-shipment-queue";
const BUS = "orders-bus";
const EMAIL = { sender: "orders@example.com", identityArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" };
const ORDER_ID = "0b7c8f3e-5d6a-4c1b-9e2f-3a4b5c6d7e8f";
const ORDER = structuredClone(EXAMPLE_ORDER) as { -readonly [K in keyof typeof EXAMPLE_ORDER]: any };

/** Every combination of the two notifications. */
const VARIANTS = [
    { label: "no notifications", refs: {} },
    { label: "events only", refs: { eventBusName: BUS } },
    { label: "email only", refs: { email: EMAIL } },
    { label: "events and email", refs: { eventBusName: BUS, email: EMAIL } },
];

const task = (definition: StateMachineDefinition, name: string) => definition.States[name] as TaskState;
const shipping = (extra: Partial<Parameters<typeof shippingDefinition>[0]> = {}) =>
    shippingDefinition({ tableName: TABLE, shipmentQueueUrl: QUEUE_URL, eventBusName: BUS, email: EMAIL, ...extra });
const refund = (extra: Partial<Parameters<typeof refundDefinition>[0]> = {}) => refundDefinition({ tableName: TABLE, eventBusName: BUS, email: EMAIL, ...extra });

/** The context object Step Functions would pass while in `state` at `time`. */
function context(state: string, time: string, execution = `ship-${ORDER_ID}`): Context {
    return { State: { Name: state, EnteredTime: time }, Execution: { Name: execution }, Task: { Token: "token-1" } };
}

/** The stored order item as UpdateItem's ALL_NEW returns it (DynamoDB JSON). */
function storedAttributes(fields: Record<string, unknown>) {
    const item = { orderId: ORDER_ID, order: ORDER, totals: computeTotals(ORDER), payloadHash: "0".repeat(64), ...fields };
    return marshall(item, { removeUndefinedValues: true });
}

describe("workflows: definitions", () => {
    for (const { label, refs } of VARIANTS) {
        it(`should be sound with ${label}`, () => {
            expect(checkDefinition(shippingDefinition({ tableName: TABLE, shipmentQueueUrl: QUEUE_URL, ...refs }))).to.deep.equal([]);
            expect(checkDefinition(refundDefinition({ tableName: TABLE, ...refs }))).to.deep.equal([]);
        });

        it(`should notify exactly as configured with ${label}`, () => {
            const expected = [...("eventBusName" in refs ? ["PublishEvent"] : []), ...("email" in refs ? ["EmailCustomer"] : [])];
            const chain = (definition: StateMachineDefinition, from: string, end: string) => {
                const names: string[] = [];
                for (let name = (definition.States[from] as TaskState).Next!; name !== end; name = task(definition, name).Next!) names.push(name);
                return names;
            };
            const ship = shippingDefinition({ tableName: TABLE, shipmentQueueUrl: QUEUE_URL, ...refs });
            expect(chain(ship, SHIPPING_STATES.markShipped, SHIPPING_STATES.shipped)).to.deep.equal(expected);
            const back = refundDefinition({ tableName: TABLE, ...refs });
            expect(chain(back, REFUND_STATES.markRefunded, REFUND_STATES.refunded)).to.deep.equal(expected);
            for (const definition of [ship, back]) {
                expect(Object.keys(definition.States).filter((n) => n === "PublishEvent" || n === "EmailCustomer").sort()).to.deep.equal([...expected].sort());
            }
        });
    }

    it("should build every status write from transitionCondition(target), values marshalled as strings", () => {
        const writes: [StateMachineDefinition, string, "PREPARING" | "SHIPPED" | "REFUNDED"][] = [
            [shipping(), SHIPPING_STATES.prepare, "PREPARING"],
            [shipping(), SHIPPING_STATES.markShipped, "SHIPPED"],
            [refund(), REFUND_STATES.markRefunded, "REFUNDED"],
        ];
        for (const [definition, name, to] of writes) {
            const state = task(definition, name);
            const condition = transitionCondition(to);
            const parameters = state.Parameters as Record<string, any>;
            expect(state.Resource, name).to.equal("arn:aws:states:::dynamodb:updateItem");
            expect(parameters.TableName).to.equal(TABLE);
            expect(parameters.Key).to.deep.equal({ orderId: { "S.$": "$.orderId" } });
            expect(parameters.ConditionExpression, name).to.equal(condition.ConditionExpression);
            expect(parameters.ExpressionAttributeNames, name).to.include(condition.ExpressionAttributeNames);
            for (const [placeholder, status] of Object.entries(condition.ExpressionAttributeValues)) {
                expect(parameters.ExpressionAttributeValues[placeholder], `${name} ${placeholder}`).to.deep.equal({ S: status });
            }
            expect(parameters.UpdateExpression, name).to.match(/^SET #status = :to, #updatedAt = :updatedAt(, #\w+ = :\w+)*$/);
            expect(parameters.ExpressionAttributeValues[":updatedAt"]).to.deep.equal({ "S.$": "$$.State.EnteredTime" });
        }
    });

    it("should give every Task a retry with backoff and jitter, and catch every error", () => {
        for (const definition of [shipping(), refund()]) {
            for (const [name, state] of Object.entries(definition.States)) {
                if (state.Type !== "Task") continue;
                const transient = state.Retry!.find((r) => r.MaxAttempts !== 0)!;
                expect(transient, name).to.include(TASK_RETRY);
                expect(state.Catch!.at(-1)!.ErrorEquals, name).to.deep.equal(["States.ALL"]);
                expect(definition.States[state.Catch!.at(-1)!.Next].Type, name).to.equal("Fail");
            }
        }
    });

    it("should never retry a failed status condition and end it in a Succeed that says the order moved on", () => {
        for (const [definition, name] of [[shipping(), "Prepare"], [shipping(), "MarkShipped"], [refund(), "MarkRefunded"]] as const) {
            const state = task(definition, name);
            expect(state.Retry![0], name).to.deep.equal({ ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], MaxAttempts: 0 });
            const caught = state.Catch!.find((c) => c.ErrorEquals.includes("DynamoDB.ConditionalCheckFailedException"))!;
            expect(definition.States[caught.Next], name).to.include({ Type: "Succeed" });
            expect(caught.Next).to.equal("OrderMovedOn");
        }
    });

    it("should wait for the warehouse 7 days by default, or as configured, and end a timeout in ShipmentTimedOut", () => {
        const request = task(shipping(), SHIPPING_STATES.requestShipment);
        expect(request.Resource).to.equal("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
        expect(request.TimeoutSeconds).to.equal(SHIPMENT_TIMEOUT_SECONDS).and.to.equal(604800);
        expect(task(shipping({ shipmentTimeoutSeconds: 3600 }), SHIPPING_STATES.requestShipment).TimeoutSeconds).to.equal(3600);
        const timeout = request.Catch!.find((c) => c.ErrorEquals.includes("States.Timeout"))!;
        expect(shipping().States[timeout.Next]).to.deep.include({ Type: "Fail", Error: "ShipmentTimedOut" });
    });

    it("should retry only failures to send the shipment request, never the warehouse's SendTaskFailure", () => {
        const request = task(shipping(), SHIPPING_STATES.requestShipment);
        const retried = request.Retry!.flatMap((r) => r.ErrorEquals);
        expect(retried).to.deep.equal(["SQS.SdkClientException", "SQS.AmazonSQSException"]);
        expect(retried).not.to.include.members(["States.TaskFailed", "States.ALL"]);
        const other = request.Catch!.at(-1)!;
        expect(shipping().States[other.Next]).to.deep.include({ Type: "Fail", Error: "ShipmentFailed" });
    });

    it("should use the partition it is given in every integration ARN", () => {
        for (const definition of [shipping({ partition: "aws-cn" }), refund({ partition: "aws-cn" })]) {
            for (const state of Object.values(definition.States)) {
                if (state.Type === "Task") expect(state.Resource).to.match(/^arn:aws-cn:states:::/);
            }
        }
    });

    it("should carry a shipped order from the stored item to the shipment request, the event and the email", () => {
        const definition = shipping();
        const t1 = "2026-01-02T10:00:00.000Z";
        const t2 = "2026-01-03T09:30:00.000Z";
        let data: unknown = { orderId: ORDER_ID };

        // Prepare: the write sets the shipping attributes from the context object.
        const prepare = task(definition, SHIPPING_STATES.prepare);
        const write = render(prepare.Parameters!, data, context("Prepare", t1)) as Record<string, any>;
        expect(write.Key).to.deep.equal({ orderId: { S: ORDER_ID } });
        expect(write.ExpressionAttributeValues).to.deep.include({
            ":to": { S: "PREPARING" },
            ":updatedAt": { S: t1 },
            ":shippingStartedAt": { S: t1 },
            ":shippingExecution": { S: `ship-${ORDER_ID}` },
        });
        expect(write.ReturnValues).to.equal("ALL_NEW");
        const prepared = render(prepare.ResultSelector!, { Attributes: storedAttributes({ status: "PREPARING", shippingStartedAt: t1 }) }, context("Prepare", t1));
        data = applyResultPath(data, prepare.ResultPath, prepared);

        // RequestShipment: the message the warehouse receives.
        const request = task(definition, SHIPPING_STATES.requestShipment);
        const send = render(request.Parameters!, data, context("RequestShipment", t1)) as Record<string, any>;
        expect(send.QueueUrl).to.equal(QUEUE_URL);
        const message = send.MessageBody;
        expect(Object.keys(message).sort()).to.deep.equal(["customerName", "items", "orderId", "shippingAddress", "taskToken", "version"]);
        expect(message).to.include({ version: 1, orderId: ORDER_ID, taskToken: "token-1", customerName: "Ada Lovelace" });
        expect(unmarshall({ items: { L: message.items } }).items).to.deep.equal(EXAMPLE_ORDER.items);
        expect(unmarshall(message.shippingAddress)).to.deep.equal(EXAMPLE_ORDER.shippingAddress);
        expect(JSON.stringify(message)).not.to.include("ada@example.com");

        // The warehouse answers; CheckShipment lets a complete answer through.
        data = applyResultPath(data, request.ResultPath, { carrier: "DHL", trackingNumber: "JD0001" });
        const check = definition.States[SHIPPING_STATES.checkShipment] as ChoiceState;
        expect(check.Choices.find((rule) => matches(rule, data))?.Next).to.equal(SHIPPING_STATES.markShipped);

        // MarkShipped writes the answer and when it happened.
        const mark = task(definition, SHIPPING_STATES.markShipped);
        const shippedWrite = render(mark.Parameters!, data, context("MarkShipped", t2)) as Record<string, any>;
        expect(shippedWrite.ExpressionAttributeValues).to.deep.include({
            ":to": { S: "SHIPPED" },
            ":carrier": { S: "DHL" },
            ":trackingNumber": { S: "JD0001" },
            ":shippedAt": { S: t2 },
            ":updatedAt": { S: t2 },
        });
        const updated = marshall({ status: "SHIPPED", updatedAt: t2, carrier: "DHL", trackingNumber: "JD0001", shippedAt: t2 });
        data = applyResultPath(data, mark.ResultPath, render(mark.ResultSelector!, { Attributes: updated }, context("MarkShipped", t2)));

        // PublishEvent: exactly the contract's OrderShipped detail.
        const publish = task(definition, "PublishEvent");
        expect(publish.Resource).to.equal("arn:aws:states:::events:putEvents");
        const [entry] = (render(publish.Parameters!, data, context("PublishEvent", t2)) as { Entries: Record<string, any>[] }).Entries;
        expect(entry).to.include({ EventBusName: BUS, Source: "order-pipeline", DetailType: "OrderShipped" });
        expect(entry.Detail).to.deep.equal(orderShippedDetail({ orderId: ORDER_ID, carrier: "DHL", trackingNumber: "JD0001", shippedAt: t2 }));
        expect(validateOrderEventDetail.OrderShipped(entry.Detail)).to.deep.include({ ok: true });

        // EmailCustomer: to the customer, as the sender, naming the carrier and tracking number.
        const email = task(definition, "EmailCustomer");
        expect(email.Resource).to.equal("arn:aws:states:::aws-sdk:sesv2:sendEmail");
        const sent = render(email.Parameters!, data, context("EmailCustomer", t2)) as Record<string, any>;
        expect(sent).to.deep.include({ FromEmailAddress: EMAIL.sender, FromEmailAddressIdentityArn: EMAIL.identityArn, Destination: { ToAddresses: ["ada@example.com"] } });
        expect(sent.Content.Simple.Body.Text.Data).to.equal(`Hello Ada Lovelace, your order ${ORDER_ID} is on its way with DHL (tracking number JD0001).`);
    });

    it("should send an incomplete warehouse answer to ShipmentCallbackInvalid", () => {
        const definition = shipping();
        const check = definition.States[SHIPPING_STATES.checkShipment] as ChoiceState;
        const answers = [{}, { carrier: "DHL" }, { carrier: "", trackingNumber: "1" }, { carrier: "DHL", trackingNumber: 42 }, { carrier: null, trackingNumber: "1" }];
        for (const shipment of answers) {
            expect(check.Choices.find((rule) => matches(rule, { orderId: ORDER_ID, shipment })), JSON.stringify(shipment)).to.equal(undefined);
        }
        expect(check.Default).to.equal(SHIPPING_STATES.invalidCallback);
        expect((definition.States[check.Default!] as FailState).Error).to.equal("ShipmentCallbackInvalid");
    });

    it("should carry a refunded order from the status write to the event and the email", () => {
        const definition = refund();
        const t = "2026-01-04T12:00:00.000Z";
        const mark = task(definition, REFUND_STATES.markRefunded);
        const ctx = context("MarkRefunded", t, `refund-${ORDER_ID}`);
        const write = render(mark.Parameters!, { orderId: ORDER_ID }, ctx) as Record<string, any>;
        expect(write.ExpressionAttributeValues).to.deep.include({ ":to": { S: "REFUNDED" }, ":from0": { S: "REFUND_REQUESTED" }, ":refundedAt": { S: t }, ":updatedAt": { S: t } });
        expect(write.ReturnValues).to.equal("ALL_NEW");
        const selected = render(mark.ResultSelector!, { Attributes: storedAttributes({ status: "REFUNDED", refundedAt: t }) }, ctx);
        const data = applyResultPath({ orderId: ORDER_ID }, mark.ResultPath, selected);

        const [entry] = (render(task(definition, "PublishEvent").Parameters!, data, ctx) as { Entries: Record<string, any>[] }).Entries;
        expect(entry).to.include({ EventBusName: BUS, Source: "order-pipeline", DetailType: "OrderRefunded" });
        expect(entry.Detail).to.deep.equal(orderRefundedDetail({ orderId: ORDER_ID, refundedAt: t }));
        expect(validateOrderEventDetail.OrderRefunded(entry.Detail)).to.deep.include({ ok: true });

        const sent = render(task(definition, "EmailCustomer").Parameters!, data, ctx) as Record<string, any>;
        expect(sent.Destination).to.deep.equal({ ToAddresses: ["ada@example.com"] });
        expect(sent.Content.Simple.Body.Text.Data).to.equal(`Hello Ada Lovelace, your order ${ORDER_ID} has been refunded.`);
    });

    it("should leave FromEmailAddressIdentityArn out when no identity is given", () => {
        const sent = task(refund({ email: { sender: EMAIL.sender } }), "EmailCustomer").Parameters!;
        expect(sent).to.include({ FromEmailAddress: EMAIL.sender });
        expect(sent).not.to.have.property("FromEmailAddressIdentityArn");
    });
});
