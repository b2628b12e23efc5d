/**
 * The shipping and refund workflows end to end: the component's exact definitions in the ASL
 * interpreter, started by the real ProcessOrder and RefundOrder, every integration performed by the
 * real SDK against dynalite, fauxqs, aws-ses-v2-local and the local bus; a test plays the warehouse.
 */
import { RedriveExecutionCommand } from "@aws-sdk/client-sfn";
import { expect } from "chai";
import { clearEmails, sentEmails } from "../../local/emulators/email-store";
import { SENDER, startWorkflowHarness, type WorkflowHarness } from "./support/workflow-harness";

const SQS_THROTTLED = { status: 400, match: "SendMessage", body: { __type: "com.amazonaws.sqs#KmsThrottled", message: "KMS throttled the request" } };
const DYNAMO_DOWN = { status: 500, match: "UpdateItem", body: { __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "internal error" } };
const SES_DOWN = { status: 500, match: "/v2/email/outbound-emails", body: { message: "internal error" } };

describe("workflows end to end (ASL interpreter, real SDK, emulators)", function () {
    this.timeout(20_000);
    let h: WorkflowHarness;

    before(async () => {
        h = await startWorkflowHarness();
    });
    after(async () => h.stop());

    /** The shipping execution of an order, once it closes. */
    const shipping = (orderId: string, machine = h.arns.shipping) => h.stepFunctions.settled(h.executionArn(machine, `ship-${orderId}`));
    const refunding = (orderId: string) => h.stepFunctions.settled(h.executionArn(h.arns.refund, `refund-${orderId}`));
    const redrive = (executionArn: string) => h.sfn.send(new RedriveExecutionCommand({ executionArn }));
    const eventsOf = (orderId: string, type: string) => h.bus.events().filter((e) => e.detailType === type && e.detail.orderId === orderId);

    describe("shipping", () => {
        it("should ship an order: PREPARING, a request without personal data, SHIPPED, OrderShipped at the stored time, an email", async () => {
            await clearEmails(h.sesEndpoint);
            const orderId = await h.placeOrder();
            const request = await h.nextMessage(orderId);
            expect(Object.keys(request).sort()).to.deep.equal(["orderId", "taskToken", "type", "version"]);
            expect(request).to.include({ version: 2, type: "ShipmentRequested", orderId });
            expect((await h.stored(orderId))!.status).to.equal("PREPARING");
            await h.ship(request.taskToken!);

            const execution = await shipping(orderId);
            expect(execution.status).to.equal("SUCCEEDED");
            const item = (await h.stored(orderId))!;
            expect(item).to.include({ status: "SHIPPED", carrier: "Parcelforce", trackingNumber: "PF123", shippingExecution: `ship-${orderId}` });
            const [event] = eventsOf(orderId, "OrderShipped");
            expect(event.detail).to.include({ eventId: `OrderShipped:${orderId}`, occurredAt: item.shippedAt, shippedAt: item.shippedAt, carrier: "Parcelforce" });
            expect(event.time).to.equal(item.shippedAt);
            expect(event.resources).to.deep.equal([execution.executionArn, h.arns.shipping]);
            const emails = (await sentEmails(h.sesEndpoint)).filter((e) => e.body.text?.includes(orderId));
            expect(emails).to.have.length(1);
            expect(emails[0]).to.deep.include({ from: SENDER, subject: "Your order has shipped" });
            expect(emails[0].destination.to).to.deep.equal([item.order.customer.email]);
        });

        it("should keep personal data out of the execution: input and every state's data hold no name or address, the email only where SES needs it", async () => {
            const orderId = await h.placeOrder();
            await h.ship((await h.nextMessage(orderId)).taskToken!);
            const execution = await shipping(orderId);
            const item = (await h.stored(orderId))!;
            const { name, email } = item.order.customer;
            const { line1, postalCode } = item.order.shippingAddress;
            expect(JSON.parse(execution.input)).to.deep.equal({ orderId });
            for (const event of h.stepFunctions.history(execution.executionArn)) {
                const text = JSON.stringify(event.data ?? null);
                for (const secret of [name, line1, postalCode]) expect(text, `${event.type} ${event.state}`).not.to.include(secret);
                if (!["ReadRecipient", "EmailCustomer"].includes(event.state)) expect(text, `${event.type} ${event.state}`).not.to.include(email);
            }
        });

        it("should start one execution for a redelivered message and answer a duplicate start as already started", async () => {
            const orderId = await h.placeOrder();
            await h.redeliver(orderId);
            await h.redeliver(orderId);
            const request = await h.nextMessage(orderId);
            await h.ship(request.taskToken!);
            expect((await shipping(orderId)).status).to.equal("SUCCEEDED");
            expect((await h.messagesFor(orderId)).filter((m) => m.type === "ShipmentRequested")).to.have.length(1);
            expect(h.stepFunctions.executions().filter((e) => e.name === `ship-${orderId}`)).to.have.length(1);
        });

        it("should fail at RequestShipment when the warehouse refuses, without asking again; a redrive asks again and ships", async () => {
            const orderId = await h.placeOrder();
            await h.refuse((await h.nextMessage(orderId)).taskToken!);
            const failed = await shipping(orderId);
            expect(failed).to.include({ status: "FAILED", error: "ShipmentRefused", failedState: "RequestShipment" });
            expect((await h.messagesFor(orderId)).filter((m) => m.type === "ShipmentRequested")).to.have.length(1);
            expect((await h.stored(orderId))!.status).to.equal("PREPARING");

            await redrive(failed.executionArn);
            await h.ship((await h.nextMessage(orderId)).taskToken!);
            expect(await shipping(orderId)).to.include({ status: "SUCCEEDED", redriveCount: 1 });
            expect((await h.stored(orderId))!.status).to.equal("SHIPPED");
        });

        it("should fail visibly on a malformed warehouse answer, the order left PREPARING", async () => {
            const orderId = await h.placeOrder();
            await h.ship((await h.nextMessage(orderId)).taskToken!, { carrier: "", trackingNumber: "PF1" });
            expect(await shipping(orderId)).to.include({ status: "FAILED", error: "ShipmentCallbackInvalid" });
            expect((await h.stored(orderId))!.status).to.equal("PREPARING");
        });

        it("should fail with States.Timeout when the warehouse does not answer in time, and refuse its late answer as TaskTimedOut", async () => {
            const orderId = await h.placeOrder({ shippingArn: h.arns.quickShipping });
            const request = await h.nextMessage(orderId);
            expect(await shipping(orderId, h.arns.quickShipping)).to.include({ status: "FAILED", error: "States.Timeout", failedState: "RequestShipment" });
            let late: Error | undefined;
            await h.ship(request.taskToken!).catch((err: Error) => (late = err));
            expect(late?.name).to.equal("TaskTimedOut");
        });

        it("should fail with OrderNotFound for an order that does not exist", async () => {
            const orderId = crypto.randomUUID();
            await h.sfn.send(new (await import("@aws-sdk/client-sfn")).StartExecutionCommand({ stateMachineArn: h.arns.shipping, name: `ship-${orderId}`, input: JSON.stringify({ orderId }) }));
            expect(await shipping(orderId)).to.include({ status: "FAILED", error: "OrderNotFound" });
        });

        it("should end in OrderMovedOn, with no shipment request, when the order moved on before Prepare", async () => {
            const orderId = await h.placeOrder({ ship: false });
            await h.setStatus(orderId, "REFUND_REQUESTED");
            await h.sfn.send(new (await import("@aws-sdk/client-sfn")).StartExecutionCommand({ stateMachineArn: h.arns.shipping, name: `ship-${orderId}`, input: JSON.stringify({ orderId }) }));
            const execution = await shipping(orderId);
            expect(execution.status).to.equal("SUCCEEDED");
            expect(h.stepFunctions.history(execution.executionArn).at(-1)).to.include({ type: "StateExited", state: "OrderMovedOn" });
            expect(await h.messagesFor(orderId)).to.deep.equal([]);
        });

        it("should retry a throttled shipment request (KMS, throttling) and ship", async () => {
            h.faults.sqs.failNext(2, SQS_THROTTLED);
            const orderId = await h.placeOrder();
            await h.ship((await h.nextMessage(orderId)).taskToken!);
            expect((await shipping(orderId)).status).to.equal("SUCCEEDED");
            expect(h.faults.sqs.pending()).to.equal(0);
            const retried = h.stepFunctions.history(h.executionArn(h.arns.shipping, `ship-${orderId}`)).filter((e) => e.type === "StateRetried" && e.state === "RequestShipment");
            expect(retried).to.have.length(2);
        });

        it("should fail at MarkShipped when DynamoDB keeps failing, and a redrive marks it shipped without a second shipment request", async () => {
            const orderId = await h.placeOrder();
            const request = await h.nextMessage(orderId);
            h.faults.dynamodb.failNext(5, DYNAMO_DOWN);
            await h.ship(request.taskToken!);
            const failed = await shipping(orderId);
            expect(failed).to.include({ status: "FAILED", error: "DynamoDB.AmazonDynamoDBException", failedState: "MarkShipped" });
            await redrive(failed.executionArn);
            expect((await shipping(orderId)).status).to.equal("SUCCEEDED");
            expect((await h.stored(orderId))!.status).to.equal("SHIPPED");
            expect((await h.messagesFor(orderId)).filter((m) => m.type === "ShipmentRequested")).to.have.length(1);
        });

        it("should fail at PublishEvent when the bus keeps refusing the entry; a redrive publishes it with the stored time and the same id", async () => {
            const orderId = await h.placeOrder();
            const request = await h.nextMessage(orderId);
            h.bus.failNextEntries(5);
            await h.ship(request.taskToken!);
            const failed = await shipping(orderId);
            expect(failed).to.include({ status: "FAILED", error: "EventBridge.FailedEntry", failedState: "PublishEvent" });
            await new Promise((resolve) => setTimeout(resolve, 5));
            await redrive(failed.executionArn);
            expect((await shipping(orderId)).status).to.equal("SUCCEEDED");
            const { shippedAt } = (await h.stored(orderId))!;
            const events = eventsOf(orderId, "OrderShipped");
            expect(events.map((e) => [e.time, e.detail.eventId])).to.deep.equal([[shippedAt, `OrderShipped:${orderId}`]]);
        });

        it("should fail at EmailCustomer when SES keeps failing; a redrive sends the email", async () => {
            await clearEmails(h.sesEndpoint);
            const orderId = await h.placeOrder();
            const request = await h.nextMessage(orderId);
            h.faults.ses.failNext(5, SES_DOWN);
            await h.ship(request.taskToken!);
            const failed = await shipping(orderId);
            expect(failed).to.include({ status: "FAILED", failedState: "EmailCustomer" });
            expect(failed.error).to.match(/^SesV2\./);
            await redrive(failed.executionArn);
            expect((await shipping(orderId)).status).to.equal("SUCCEEDED");
            expect((await sentEmails(h.sesEndpoint)).filter((e) => e.body.text?.includes(orderId))).to.have.length(1);
        });
    });

    describe("refund", () => {
        it("should refund a CONFIRMED order: REFUNDED, OrderRefunded at the stored time, an email", async () => {
            const orderId = await h.placeOrder({ ship: false });
            expect((await h.refund(orderId)).statusCode).to.equal(202);
            const execution = await refunding(orderId);
            expect(execution.status).to.equal("SUCCEEDED");
            const item = (await h.stored(orderId))!;
            expect(item.status).to.equal("REFUNDED");
            const [event] = eventsOf(orderId, "OrderRefunded");
            expect(event.detail).to.include({ refundedAt: item.refundedAt, occurredAt: item.refundedAt });
            expect(event.time).to.equal(item.refundedAt);
        });

        it("should refund a PREPARING order: stop its shipping (no alarm), tell the warehouse, never ship it", async () => {
            const orderId = await h.placeOrder();
            const request = await h.nextMessage(orderId);
            expect((await h.refund(orderId)).statusCode).to.equal(202);
            expect((await refunding(orderId)).status).to.equal("SUCCEEDED");
            const ship = await shipping(orderId);
            expect(ship).to.include({ status: "ABORTED", error: "OrderRefunded" });
            expect(await h.nextMessage(orderId, "ShipmentCancelled")).to.include({ version: 2, orderId });
            // A warehouse that shipped anyway is told its answer came too late; the order stays REFUNDED.
            let late: Error | undefined;
            await h.ship(request.taskToken!).catch((err: Error) => (late = err));
            expect(late?.name).to.equal("TaskTimedOut");
            expect((await h.stored(orderId))!.status).to.equal("REFUNDED");
            expect(eventsOf(orderId, "OrderShipped")).to.deep.equal([]);
            const alarming = h.stepFunctions.executions().filter((e) => e.name === `ship-${orderId}` && (e.status === "FAILED" || e.status === "TIMED_OUT"));
            expect(alarming).to.deep.equal([]);
        });

        it("should refund a SHIPPED order without stopping anything or telling the warehouse", async () => {
            const orderId = await h.placeOrder();
            await h.ship((await h.nextMessage(orderId)).taskToken!);
            await shipping(orderId);
            expect((await h.refund(orderId)).statusCode).to.equal(202);
            expect((await refunding(orderId)).status).to.equal("SUCCEEDED");
            expect((await h.stored(orderId))!.status).to.equal("REFUNDED");
            expect((await shipping(orderId)).status).to.equal("SUCCEEDED");
            expect((await h.messagesFor(orderId)).map((m) => m.type)).to.deep.equal(["ShipmentRequested"]);
        });

        it("should answer a refund in every other status as RefundOrder decides, and run no second refund", async () => {
            const stored = await h.placeOrder({ ship: false });
            await h.setStatus(stored, "STORED");
            expect((await h.refund(stored)).statusCode).to.equal(409);
            const refunded = await h.placeOrder({ ship: false });
            await h.refund(refunded);
            await refunding(refunded);
            expect((await h.refund(refunded)).statusCode).to.equal(409);
            const requested = await h.placeOrder({ ship: false });
            await h.setStatus(requested, "REFUND_REQUESTED");
            expect((await h.refund(requested)).statusCode).to.equal(202);
            expect((await refunding(requested)).status).to.equal("SUCCEEDED");
            expect((await h.refund(requested)).statusCode).to.equal(409);
            expect(h.stepFunctions.executions().filter((e) => e.name === `refund-${refunded}` || e.name === `refund-${stored}`)).to.have.length(1);
        });

        it("should fail at MarkRefunded when DynamoDB keeps failing, and a redrive refunds the order (no longer REFUND_REQUESTED for good)", async () => {
            const orderId = await h.placeOrder({ ship: false });
            await h.setStatus(orderId, "REFUND_REQUESTED");
            h.faults.dynamodb.failNext(5, DYNAMO_DOWN);
            await h.sfn.send(new (await import("@aws-sdk/client-sfn")).StartExecutionCommand({ stateMachineArn: h.arns.refund, name: `refund-${orderId}`, input: JSON.stringify({ orderId }) }));
            const failed = await refunding(orderId);
            expect(failed).to.include({ status: "FAILED", error: "DynamoDB.AmazonDynamoDBException", failedState: "MarkRefunded" });
            expect((await h.stored(orderId))!.status).to.equal("REFUND_REQUESTED");
            await redrive(failed.executionArn);
            expect((await refunding(orderId)).status).to.equal("SUCCEEDED");
            expect((await h.stored(orderId))!.status).to.equal("REFUNDED");
        });

        it("should fail with OrderNotFound for a missing order, and end a second run in OrderMovedOn", async () => {
            const { StartExecutionCommand } = await import("@aws-sdk/client-sfn");
            const missing = crypto.randomUUID();
            await h.sfn.send(new StartExecutionCommand({ stateMachineArn: h.arns.refund, name: `refund-${missing}`, input: JSON.stringify({ orderId: missing }) }));
            expect(await refunding(missing)).to.include({ status: "FAILED", error: "OrderNotFound" });
            const orderId = await h.placeOrder({ ship: false });
            await h.refund(orderId);
            await refunding(orderId);
            const again = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: h.arns.refund, name: `refund-again-${orderId}`, input: JSON.stringify({ orderId }) }));
            const second = await h.stepFunctions.settled(again.executionArn!);
            expect(second.status).to.equal("SUCCEEDED");
            expect(h.stepFunctions.history(second.executionArn).at(-1)).to.include({ state: "OrderMovedOn" });
            expect(eventsOf(orderId, "OrderRefunded")).to.have.length(1);
        });
    });
});
