import { expect } from "chai";
import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import { buildOrderMessage } from "../../handlers/order/message";
import { createProcessOrderHandler } from "../../handlers/process/process-order-handler";
import { createRefundOrderHandler } from "../../handlers/refund/refund-order-handler";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import { createWorkflowStarter } from "../../handlers/workflows/start-workflow";
import { startStepFunctionsEmulator, type StepFunctionsEmulator } from "../../local/emulators/stepfunctions-emulator";
import type { LocalResources } from "../../local/pipeline/resources";
import { clientsFor, freshResources, LOCAL_AWS, sharedEmulators, type TestClients } from "./support/emulators";
import { httpEvent, lambdaContext, lineCollector, recordWithBody, sampleOrder, sqsEvent } from "./support/fixtures";

const REFUND_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-refund";
const SHIPPING_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-shipping";
const ALICE = "sub-alice";
const NOW = new Date("2025-03-02T09:00:00.000Z");

describe("RefundOrder and the shipping start (DynamoDB emulator, Step Functions emulator)", () => {
    let clients: TestClients;
    let resources: LocalResources;
    let stepFunctions: StepFunctionsEmulator;
    let sfn: SFNClient;
    let doc: DynamoDBDocumentClient;

    before(async () => {
        clients = clientsFor((await sharedEmulators()).endpoints);
        doc = DynamoDBDocumentClient.from(clients.dynamodb);
        stepFunctions = await startStepFunctionsEmulator({ stateMachineArns: [REFUND_ARN, SHIPPING_ARN] });
        // One attempt: the tests inject 5xx answers and want to see them, not the SDK's retries.
        sfn = new SFNClient({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: stepFunctions.endpoint });
    });
    after(async () => {
        sfn.destroy();
        await stepFunctions.stop();
    });
    beforeEach(async () => {
        resources = await freshResources(clients);
        stepFunctions.reset();
    });

    function refundOrder(authEnabled = false) {
        return createRefundOrderHandler({
            dynamodb: clients.dynamodb,
            tableName: resources.tableName,
            startRefund: createWorkflowStarter(sfn, REFUND_ARN),
            authEnabled,
            now: () => NOW,
            writeLine: lineCollector().write,
        });
    }

    function processOrder() {
        return createProcessOrderHandler({
            dynamodb: clients.dynamodb,
            tableName: resources.tableName,
            startShipping: createWorkflowStarter(sfn, SHIPPING_ARN),
            writeLine: lineCollector().write,
        });
    }

    /** Stores a CONFIRMED order through ProcessOrder (which also starts its shipping workflow). */
    async function confirmedOrder(customerId?: string): Promise<string> {
        const orderId = randomUUID();
        const body = JSON.stringify(buildOrderMessage(orderId, NOW, sampleOrder(), customerId));
        const { batchItemFailures } = await processOrder()(sqsEvent([recordWithBody(body, randomUUID())]), lambdaContext());
        expect(batchItemFailures).to.deep.equal([]);
        return orderId;
    }

    async function setStatus(orderId: string, status: string): Promise<void> {
        await doc.send(new UpdateCommand({ TableName: resources.tableName, Key: { orderId }, UpdateExpression: "SET #s = :s", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": status } }));
    }

    async function stored(orderId: string) {
        return (await doc.send(new GetCommand({ TableName: resources.tableName, Key: { orderId } }))).Item;
    }

    function refundEvent(orderId: string, options: { body?: string; claims?: Record<string, string>; contentType?: string } = {}) {
        return httpEvent({
            method: "POST",
            path: `/orders/${orderId}/refund`,
            pathParameters: { orderId },
            headers: options.body === undefined ? {} : { "content-type": options.contentType ?? "application/json" },
            ...(options.body === undefined ? {} : { body: options.body }),
            ...(options.claims ? { claims: options.claims } : {}),
        });
    }

    describe("the shipping workflow", () => {
        it("should be started once per confirmed order, named after it, with the order id as input", async () => {
            const orderId = await confirmedOrder();

            expect(stepFunctions.executions().map((e) => [e.stateMachineArn, e.name, JSON.parse(e.input)])).to.deep.equal([[SHIPPING_ARN, `ship-${orderId}`, { orderId }]]);
        });

        it("should be asked again on a redelivery, which Step Functions answers with the same execution", async () => {
            const orderId = randomUUID();
            const record = recordWithBody(JSON.stringify(buildOrderMessage(orderId, NOW, sampleOrder())), randomUUID());
            await processOrder()(sqsEvent([record]), lambdaContext());
            await processOrder()(sqsEvent([record]), lambdaContext());

            expect(stepFunctions.requests().filter((r) => r.operation === "StartExecution")).to.have.length(2);
            expect(stepFunctions.executions()).to.have.length(1);
        });

        it("should fail the record when Step Functions is unavailable, keep the order confirmed, and start it on the redelivery", async () => {
            const orderId = randomUUID();
            const record = recordWithBody(JSON.stringify(buildOrderMessage(orderId, NOW, sampleOrder())), randomUUID());
            stepFunctions.failNextRequests(1, 503);

            const failed = await processOrder()(sqsEvent([record]), lambdaContext());
            const status = (await stored(orderId))?.status;
            const retried = await processOrder()(sqsEvent([record]), lambdaContext());

            expect(failed.batchItemFailures).to.deep.equal([{ itemIdentifier: record.messageId }]);
            expect(status).to.equal("CONFIRMED");
            expect(retried.batchItemFailures).to.deep.equal([]);
            expect(stepFunctions.executions().map((e) => e.name)).to.deep.equal([`ship-${orderId}`]);
        });
    });

    describe("POST /orders/{orderId}/refund", () => {
        it("should move a confirmed order to REFUND_REQUESTED, start the refund workflow and answer 202 with Location", async () => {
            const orderId = await confirmedOrder();

            const response = await refundOrder()(refundEvent(orderId, { body: JSON.stringify({ reason: "arrived damaged" }) }));

            expect(response.statusCode).to.equal(202);
            expect(response.headers.location).to.equal(`/orders/${orderId}`);
            expect(JSON.parse(response.body)).to.deep.equal({ orderId, status: "REFUND_REQUESTED" });
            expect(await stored(orderId)).to.include({ status: "REFUND_REQUESTED", refundRequestedAt: NOW.toISOString(), refundReason: "arrived damaged" });
            const refunds = stepFunctions.executions().filter((e) => e.stateMachineArn === REFUND_ARN);
            expect(refunds.map((e) => [e.name, JSON.parse(e.input)])).to.deep.equal([[`refund-${orderId}`, { orderId }]]);
        });

        for (const status of ["PREPARING", "SHIPPED"]) {
            it(`should accept a refund of a ${status} order`, async () => {
                const orderId = await confirmedOrder();
                await setStatus(orderId, status);

                expect((await refundOrder()(refundEvent(orderId))).statusCode).to.equal(202);
                expect((await stored(orderId))?.status).to.equal("REFUND_REQUESTED");
            });
        }

        it("should answer 202 again to a retried request and start no second execution", async () => {
            const orderId = await confirmedOrder();

            const first = await refundOrder()(refundEvent(orderId));
            const second = await refundOrder()(refundEvent(orderId));

            expect([first.statusCode, second.statusCode]).to.deep.equal([202, 202]);
            expect(stepFunctions.executions().filter((e) => e.stateMachineArn === REFUND_ARN)).to.have.length(1);
        });

        it("should answer 503 when the workflow cannot be started, keep the request recorded, and start it when the client retries", async () => {
            const orderId = await confirmedOrder();
            stepFunctions.failNextRequests(1, 500);

            const failed = await refundOrder()(refundEvent(orderId));
            const status = (await stored(orderId))?.status;
            const retried = await refundOrder()(refundEvent(orderId));

            expect(failed.statusCode).to.equal(503);
            expect(failed.headers["retry-after"]).to.equal("5");
            expect(status).to.equal("REFUND_REQUESTED");
            expect(retried.statusCode).to.equal(202);
            expect(stepFunctions.executions().filter((e) => e.stateMachineArn === REFUND_ARN)).to.have.length(1);
        });

        it("should answer 409 with Retry-After for an order not confirmed yet, and 409 for a refunded one, changing nothing", async () => {
            const notYet = await confirmedOrder();
            await setStatus(notYet, "STORED");
            const refunded = await confirmedOrder();
            await setStatus(refunded, "REFUNDED");

            const early = await refundOrder()(refundEvent(notYet));
            const late = await refundOrder()(refundEvent(refunded));

            expect([early.statusCode, late.statusCode]).to.deep.equal([409, 409]);
            expect(early.headers["retry-after"]).to.equal("5");
            expect(JSON.parse(late.body)).to.include({ type: "urn:order-pipeline:problem:order-not-refundable" });
            expect(JSON.parse(late.body).detail).to.include("REFUNDED");
            expect([(await stored(notYet))?.status, (await stored(refunded))?.status]).to.deep.equal(["STORED", "REFUNDED"]);
            expect(stepFunctions.executions().filter((e) => e.stateMachineArn === REFUND_ARN)).to.have.length(0);
        });

        it("should answer 404 for an unknown order and 400 for a malformed id", async () => {
            const unknown = await refundOrder()(refundEvent(randomUUID()));
            const malformed = await refundOrder()(refundEvent("not-a-uuid"));

            expect([unknown.statusCode, malformed.statusCode]).to.deep.equal([404, 400]);
        });

        for (const [name, body, contentType, status] of [
            ["an unknown member", JSON.stringify({ reason: "x", amount: 5 }), "application/json", 400],
            ["an empty reason", JSON.stringify({ reason: "" }), "application/json", 400],
            ["a reason over 500 characters", JSON.stringify({ reason: "x".repeat(501) }), "application/json", 400],
            ["a body that is not JSON", "{", "application/json", 400],
            ["a body that is not an object", "[]", "application/json", 400],
            ["text/plain", "refund please", "text/plain", 415],
        ] as const) {
            it(`should answer ${status} for ${name} and leave the order as it was`, async () => {
                const orderId = await confirmedOrder();

                const response = await refundOrder()(refundEvent(orderId, { body, contentType }));

                expect(response.statusCode).to.equal(status);
                expect((await stored(orderId))?.status).to.equal("CONFIRMED");
            });
        }

        it("with sign-in: should refund the owner's order, answer 403 to another caller and 401 without a caller", async () => {
            const orderId = await confirmedOrder(ALICE);

            const anonymous = await refundOrder(true)(refundEvent(orderId));
            const stranger = await refundOrder(true)(refundEvent(orderId, { claims: { sub: "sub-bob" } }));
            const statusAfterStranger = (await stored(orderId))?.status;
            const owner = await refundOrder(true)(refundEvent(orderId, { claims: { sub: ALICE } }));

            expect(anonymous.statusCode).to.equal(401);
            expect(anonymous.headers["www-authenticate"]).to.match(/^Bearer/);
            expect(stranger.statusCode).to.equal(403);
            expect(statusAfterStranger).to.equal("CONFIRMED");
            expect(owner.statusCode).to.equal(202);
        });
    });
});
