import { expect } from "chai";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import { createGetOrderHandler } from "../../handlers/get/get-order-handler";
import { buildOrderMessage } from "../../handlers/order/message";
import { createProcessOrderHandler } from "../../handlers/process/process-order-handler";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import type { LocalResources } from "../../local/pipeline/resources";
import { clientsFor, closedPortUrl, freshResources, LOCAL_AWS, sharedEmulators, type TestClients } from "./support/emulators";
import { httpEvent, lambdaContext, lineCollector, recordWithBody, sampleOrder, sqsEvent } from "./support/fixtures";

describe("GetOrder on the DynamoDB emulator", () => {
    let clients: TestClients;
    let resources: LocalResources;
    const storedAt = new Date("2025-03-01T10:00:00.000Z");

    before(async () => {
        clients = clientsFor((await sharedEmulators()).endpoints);
        resources = await freshResources(clients);
    });

    function getOrder(dynamodb: DynamoDBClient = clients.dynamodb, writeLine = lineCollector().write) {
        return createGetOrderHandler({ dynamodb, tableName: resources.tableName, writeLine });
    }

    function getEvent(orderId: string | undefined) {
        return httpEvent({ method: "GET", path: `/orders/${orderId}`, ...(orderId !== undefined ? { pathParameters: { orderId } } : {}) });
    }

    async function storeOrder(): Promise<string> {
        const orderId = randomUUID();
        const body = JSON.stringify(buildOrderMessage(orderId, storedAt, sampleOrder()));
        const process = createProcessOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, now: () => storedAt, writeLine: lineCollector().write });
        const { batchItemFailures } = await process(sqsEvent([recordWithBody(body, "m-1")]), lambdaContext());
        expect(batchItemFailures).to.deep.equal([]);
        return orderId;
    }

    it("should answer 200 with status, totals and timestamps, and no customer data", async () => {
        // Prepare
        const orderId = await storeOrder();

        // Act
        const response = await getOrder()(getEvent(orderId));

        // Assess
        expect(response.statusCode).to.equal(200);
        expect(response.headers["content-type"]).to.equal("application/json");
        expect(JSON.parse(response.body)).to.deep.equal({
            orderId,
            status: "CONFIRMED",
            totals: { currency: "EUR", subtotal: 3097, itemCount: 5, lineCount: 2 },
            createdAt: storedAt.toISOString(),
            updatedAt: storedAt.toISOString(),
        });
        for (const secret of ["ada@example.com", "Ada", "Main St", "N1 1AA", "BOOK-1"]) expect(response.body).not.to.include(secret);
    });

    it("should find an order by its id in upper case", async () => {
        const orderId = await storeOrder();
        const response = await getOrder()(getEvent(orderId.toUpperCase()));
        expect(response.statusCode).to.equal(200);
        expect(JSON.parse(response.body).orderId).to.equal(orderId);
    });

    it("should answer 404 with a problem body for an unknown order", async () => {
        // Act
        const response = await getOrder()(getEvent(randomUUID()));

        // Assess
        expect(response.statusCode).to.equal(404);
        expect(response.headers["content-type"]).to.equal("application/problem+json");
        expect(JSON.parse(response.body)).to.include({ type: "urn:order-pipeline:problem:order-not-found", status: 404 });
    });

    for (const [name, id] of [
        ["not a UUID", "order-1"],
        ["a UUID with a character too many", `${randomUUID()}0`],
        ["a UUID without dashes", randomUUID().replace(/-/g, "")],
        ["an injection attempt", "' OR 1=1 --"],
        ["a missing path parameter", undefined],
    ] as const) {
        it(`should answer 400 for ${name}`, async () => {
            // Act
            const response = await getOrder()(getEvent(id));

            // Assess
            expect(response.statusCode).to.equal(400);
            expect(response.headers["content-type"]).to.equal("application/problem+json");
            expect(JSON.parse(response.body)).to.include({ type: "urn:order-pipeline:problem:invalid-order-id", status: 400 });
        });
    }

    it("should answer 500 without details for a stored item it cannot show", async () => {
        // Prepare: an item without totals, as no version of ProcessOrder writes it.
        const orderId = randomUUID();
        await DynamoDBDocumentClient.from(clients.dynamodb).send(new PutCommand({ TableName: resources.tableName, Item: { orderId, status: "STORED" } }));
        const collector = lineCollector();

        // Act
        const response = await getOrder(clients.dynamodb, collector.write)(getEvent(orderId));

        // Assess
        expect(response.statusCode).to.equal(500);
        expect(JSON.parse(response.body)).to.deep.equal({
            type: "urn:order-pipeline:problem:internal-error",
            title: "Internal error",
            status: 500,
            detail: "the order could not be shown",
        });
        expect(collector.json().find((line) => line.level === "ERROR")).to.include({ orderId, message: "order could not be shown" });
    });

    it("should answer 503 with Retry-After, and log the failure, when the table cannot be read", async () => {
        // Prepare
        const collector = lineCollector();
        const unreachable = new DynamoDBClient({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: await closedPortUrl() });

        // Act
        const response = await getOrder(unreachable, collector.write)(getEvent(randomUUID()));
        unreachable.destroy();

        // Assess
        expect(response.statusCode).to.equal(503);
        expect(response.headers["retry-after"]).to.equal("1");
        expect(JSON.parse(response.body)).to.include({ type: "urn:order-pipeline:problem:service-unavailable" });
        expect(collector.json().some((line) => line.level === "ERROR")).to.equal(true);
        expect(collector.metrics()).to.deep.equal({ failures: 1 });
    });
});
