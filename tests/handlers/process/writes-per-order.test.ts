import { expect } from "chai";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import { buildOrderMessage } from "../../../handlers/order/message";
import { createProcessOrderHandler } from "../../../handlers/process/process-order-handler";
import { itemOfFailedCondition } from "../../../handlers/store/order-store";
import { clearEmails, sentEmails } from "../../../local/emulators/email-store";
import { clientsFor, freshResources, sharedEmulators, type TestClients } from "../support/emulators";
import { countRequests, loseFirstAnswer, returnOldItemOnConditionFailure } from "../support/dynamodb-requests";
import { lambdaContext, lineCollector, recordWithBody, sampleOrder, sqsEvent } from "../support/fixtures";

describe("ProcessOrder's DynamoDB requests per order", () => {
    let endpoints: Awaited<ReturnType<typeof sharedEmulators>>["endpoints"];
    let reader: TestClients;
    let tableName: string;

    before(async () => {
        endpoints = (await sharedEmulators()).endpoints;
        reader = clientsFor(endpoints);
    });
    beforeEach(async () => {
        ({ tableName } = await freshResources(reader));
        await clearEmails(endpoints.ses);
    });

    /** A ProcessOrder on its own DynamoDB client (so middleware added to it stays in the test). */
    function processOrder(withEmail: boolean) {
        const clients = clientsFor(endpoints);
        const collector = lineCollector();
        const handler = createProcessOrderHandler({
            dynamodb: clients.dynamodb,
            tableName,
            email: withEmail ? { ses: clients.ses, source: "shop@example.com" } : undefined,
            writeLine: collector.write,
        });
        return { handler, dynamodb: clients.dynamodb, collector };
    }

    function orderRecord() {
        const orderId = randomUUID();
        const messageId = randomUUID();
        const body = JSON.stringify(buildOrderMessage(orderId, new Date(), sampleOrder()));
        return { orderId, event: sqsEvent([recordWithBody(body, messageId)]) };
    }

    async function stored(orderId: string) {
        return (await DynamoDBDocumentClient.from(reader.dynamodb).send(new GetCommand({ TableName: tableName, Key: { orderId } }))).Item;
    }

    async function emailsFor(orderId: string) {
        return (await sentEmails(endpoints.ses)).filter((email) => email.subject.includes(orderId));
    }

    it("should write a new order twice with email: created holding the claim, then SENT and CONFIRMED together", async () => {
        // Prepare
        const { handler, dynamodb } = processOrder(true);
        const counts = countRequests(dynamodb);
        const { orderId, event } = orderRecord();

        // Act
        const response = await handler(event, lambdaContext());

        // Assess
        expect(response.batchItemFailures).to.deep.equal([]);
        expect(counts).to.deep.equal({ PutItem: 1, UpdateItem: 1 });
        expect(await stored(orderId)).to.include({ status: "CONFIRMED", emailStatus: "SENT" }).and.not.have.any.keys("emailClaimId", "emailLeaseUntil");
        expect(await emailsFor(orderId)).to.have.length(1);
    });

    it("should write a new order once without email: created CONFIRMED", async () => {
        // Prepare
        const { handler, dynamodb } = processOrder(false);
        const counts = countRequests(dynamodb);
        const { orderId, event } = orderRecord();

        // Act
        const response = await handler(event, lambdaContext());

        // Assess
        expect(response.batchItemFailures).to.deep.equal([]);
        expect(counts).to.deep.equal({ PutItem: 1 });
        expect(await stored(orderId)).to.include({ status: "CONFIRMED", emailStatus: "DISABLED" });
    });

    it("should settle a redelivered, confirmed order with the one failed put when DynamoDB returns the item it saw", async () => {
        // Prepare: the order is stored and confirmed by a first delivery.
        const first = processOrder(true);
        const { orderId, event } = orderRecord();
        await first.handler(event, lambdaContext());
        const again = processOrder(true);
        returnOldItemOnConditionFailure(again.dynamodb, reader.dynamodb);
        const counts = countRequests(again.dynamodb);

        // Act
        const response = await again.handler(event, lambdaContext());

        // Assess: no read, no write beyond the refused put, no second email.
        expect(response.batchItemFailures).to.deep.equal([]);
        expect(counts).to.deep.equal({ PutItem: 1 });
        expect(await emailsFor(orderId)).to.have.length(1);
        expect(again.collector.metrics()).to.include({ duplicates: 1 }).and.not.to.have.property("processed");
    });

    it("should read the item after a refused put where the emulator does not return it", async () => {
        // Prepare
        const first = processOrder(false);
        const { event } = orderRecord();
        await first.handler(event, lambdaContext());
        const again = processOrder(false);
        const counts = countRequests(again.dynamodb);

        // Act
        const response = await again.handler(event, lambdaContext());

        // Assess
        expect(response.batchItemFailures).to.deep.equal([]);
        expect(counts).to.deep.equal({ PutItem: 1, GetItem: 1 });
    });

    it("should send the email once when the answer to its own put was lost and the retried put was refused", async () => {
        // Prepare
        const { handler, dynamodb, collector } = processOrder(true);
        loseFirstAnswer(dynamodb, "PutItem");
        const counts = countRequests(dynamodb);
        const { orderId, event } = orderRecord();

        // Act
        const response = await handler(event, lambdaContext());

        // Assess: the put that went through holds this invocation's claim, so it sends under it.
        expect(response.batchItemFailures).to.deep.equal([]);
        expect(counts.PutItem).to.equal(2);
        expect(await emailsFor(orderId)).to.have.length(1);
        expect(await stored(orderId)).to.include({ status: "CONFIRMED", emailStatus: "SENT" });
        expect(collector.metrics()).to.include({ processed: 1, emailsSent: 1 }).and.not.to.have.property("duplicates");
    });

    it("should confirm the order at once when the answer to its mark-sent update was lost and the retried update was refused", async () => {
        // Prepare: the update that marks the email sent goes through, its answer does not.
        const { handler, dynamodb, collector } = processOrder(true);
        loseFirstAnswer(dynamodb, "UpdateItem");
        const counts = countRequests(dynamodb);
        const { orderId, event } = orderRecord();

        // Act
        const response = await handler(event, lambdaContext());

        // Assess: the refused retry is recognised as this invocation's own write (SENT with its
        // SES message id), so the record succeeds instead of waiting out a visibility timeout.
        expect(response.batchItemFailures).to.deep.equal([]);
        expect(counts.UpdateItem).to.equal(2);
        expect(await emailsFor(orderId)).to.have.length(1);
        expect(await stored(orderId)).to.include({ status: "CONFIRMED", emailStatus: "SENT" });
        expect(collector.metrics()).to.include({ processed: 1, emailsSent: 1 }).and.not.to.have.property("duplicates");
        expect(collector.lines.some((line) => line.includes("email claim expired"))).to.equal(false);
    });

    it("should unmarshall the item DynamoDB returns with a failed condition, and give undefined without one", () => {
        const failed = (Item?: Record<string, never>) => new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {}, Item });

        expect(itemOfFailedCondition(failed({ orderId: { S: "a" }, emailLeaseUntil: { N: "17" } } as never))).to.deep.equal({ orderId: "a", emailLeaseUntil: 17 });
        expect(itemOfFailedCondition(failed())).to.equal(undefined);
    });
});
