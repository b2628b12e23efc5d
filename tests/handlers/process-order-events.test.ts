import { expect } from "chai";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import { createEventPublisher } from "../../handlers/events/event-publisher";
import { validateOrderEventDetail } from "../../handlers/events/order-events";
import { buildOrderMessage } from "../../handlers/order/message";
import { payloadHash } from "../../handlers/order/payload-hash";
import { createOrderEventPublisher } from "../../handlers/process/order-event-publisher";
import { createProcessOrderHandler } from "../../handlers/process/process-order-handler";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import { startEventBridgeEmulator, type EventBridgeEmulator } from "../../local/emulators/eventbridge-emulator";
import type { LocalResources } from "../../local/pipeline/resources";
import { clientsFor, freshResources, LOCAL_AWS, sharedEmulators, type TestClients } from "./support/emulators";
import { lambdaContext, lineCollector, recordWithBody, sampleOrder, sqsEvent } from "./support/fixtures";

const BUS = "orders-events";
const CREATED_AT = new Date("2025-03-01T10:00:00.000Z");

describe("ProcessOrder publishing order events (DynamoDB emulator, EventBridge emulator)", () => {
    let clients: TestClients;
    let resources: LocalResources;
    let eventBridge: EventBridgeEmulator;
    let client: EventBridgeClient;

    before(async () => {
        clients = clientsFor((await sharedEmulators()).endpoints);
        eventBridge = await startEventBridgeEmulator();
        client = new EventBridgeClient({ ...LOCAL_AWS, ...sdkClientSettings(), endpoint: eventBridge.endpoint });
    });
    after(async () => {
        client.destroy();
        await eventBridge.stop();
    });
    beforeEach(async () => {
        resources = await freshResources(clients);
        eventBridge.reset();
    });

    function processOrder(now = () => CREATED_AT) {
        return createProcessOrderHandler({
            dynamodb: clients.dynamodb,
            tableName: resources.tableName,
            events: createOrderEventPublisher(createEventPublisher(client, BUS, { retryDelayMs: 1 })),
            now,
            writeLine: lineCollector().write,
        });
    }

    function orderRecord(order = sampleOrder(), orderId = randomUUID()) {
        const message = buildOrderMessage(orderId, CREATED_AT, order, "sub-alice");
        return { orderId, record: recordWithBody(JSON.stringify(message), randomUUID()) };
    }

    it("should publish one OrderPlaced that matches the exported schema, with the totals and the customer but no personal data", async () => {
        const { orderId, record } = orderRecord();

        const response = await processOrder()(sqsEvent([record]), lambdaContext());

        expect(response.batchItemFailures).to.deep.equal([]);
        const events = eventBridge.events();
        expect(events.map((e) => [e.source, e.detailType, e.eventBusName])).to.deep.equal([["order-pipeline", "OrderPlaced", BUS]]);
        const detail = events[0].detail;
        expect(validateOrderEventDetail.OrderPlaced(detail).ok).to.equal(true);
        expect(detail).to.deep.include({ eventId: `OrderPlaced:${orderId}`, version: 1, orderId, occurredAt: CREATED_AT.toISOString(), customerId: "sub-alice" });
        for (const secret of ["ada@example.com", "Ada Lovelace", "Main St"]) expect(JSON.stringify(detail)).not.to.include(secret);
    });

    it("should publish the same event (same eventId and time) again on a redelivery, and store nothing twice", async () => {
        const { record } = orderRecord();
        const handler = processOrder();

        await handler(sqsEvent([record]), lambdaContext());
        await handler(sqsEvent([record]), lambdaContext());

        const [first, second] = eventBridge.events();
        expect(second.detail).to.deep.equal(first.detail);
        expect(second.time).to.equal(first.time);
    });

    it("should fail the record when the event cannot be published, keep the order stored, and publish on the redelivery", async () => {
        const { orderId, record } = orderRecord();
        const handler = processOrder();
        eventBridge.failNextEntries(10, "InternalFailure");

        const failed = await handler(sqsEvent([record]), lambdaContext());
        const { Item } = await DynamoDBDocumentClient.from(clients.dynamodb).send(new GetCommand({ TableName: resources.tableName, Key: { orderId } }));
        eventBridge.reset();
        const retried = await handler(sqsEvent([record]), lambdaContext());

        expect(failed.batchItemFailures).to.deep.equal([{ itemIdentifier: record.messageId }]);
        expect(Item).to.include({ status: "CONFIRMED" });
        expect(retried.batchItemFailures).to.deep.equal([]);
        expect(eventBridge.events().map((e) => e.detail.eventId)).to.deep.equal([`OrderPlaced:${orderId}`]);
    });

    it("should publish OrderConflict with both payload hashes when an order id comes again with another body", async () => {
        const { orderId, record } = orderRecord();
        const other = sampleOrder({ currency: "USD" });
        const receivedAt = new Date("2025-03-01T11:30:00.000Z");
        const body = JSON.stringify(buildOrderMessage(orderId, receivedAt, other));

        await processOrder()(sqsEvent([record]), lambdaContext());
        const response = await processOrder()(sqsEvent([recordWithBody(body, randomUUID())]), lambdaContext());
        // The same conflicting message delivered again, later: the same event, at the same time.
        await processOrder(() => new Date())(sqsEvent([recordWithBody(body, randomUUID())]), lambdaContext());

        expect(response.batchItemFailures).to.deep.equal([]);
        const conflicts = eventBridge.events().filter((e) => e.detailType === "OrderConflict");
        expect(conflicts.map((e) => [e.detail.eventId, e.detail.occurredAt, e.time])).to.deep.equal([
            [`OrderConflict:${orderId}:${payloadHash(other)}`, receivedAt.toISOString(), receivedAt.toISOString()],
            [`OrderConflict:${orderId}:${payloadHash(other)}`, receivedAt.toISOString(), receivedAt.toISOString()],
        ]);
        const conflict = conflicts[0];
        expect(validateOrderEventDetail.OrderConflict(conflict?.detail).ok).to.equal(true);
        expect(conflict?.detail).to.include({
            eventId: `OrderConflict:${orderId}:${payloadHash(other)}`,
            storedPayloadHash: payloadHash(sampleOrder()),
            receivedPayloadHash: payloadHash(other),
        });
    });
});
