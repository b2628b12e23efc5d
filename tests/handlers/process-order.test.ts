import { expect } from "chai";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import { buildOrderMessage } from "../../handlers/order/message";
import { payloadHash } from "../../handlers/order/payload-hash";
import type { Order } from "../../handlers/order/schema";
import { createProcessOrderHandler, type ProcessOrderDependencies } from "../../handlers/process/process-order-handler";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import type { OrderItem } from "../../handlers/store/order-item";
import { clearEmails, sentEmails } from "../../local/emulators/email-store";
import type { Emulators } from "../../local/emulators/emulators";
import type { LocalResources } from "../../local/pipeline/resources";
import { clientsFor, closedPortUrl, freshResources, LOCAL_AWS, sharedEmulators, type TestClients } from "./support/emulators";
import { lambdaContext, lineCollector, recordWithBody, sampleOrder, sqsEvent } from "./support/fixtures";

const SENDER = "Shop <shop@example.com>";

describe("ProcessOrder on the DynamoDB and SES emulators", () => {
    let emulators: Emulators;
    let clients: TestClients;
    let resources: LocalResources;
    let doc: DynamoDBDocumentClient;
    let clock: Date;

    before(async () => {
        emulators = await sharedEmulators();
        clients = clientsFor(emulators.endpoints);
        doc = DynamoDBDocumentClient.from(clients.dynamodb);
    });
    beforeEach(async () => {
        resources = await freshResources(clients);
        clock = new Date("2025-03-01T10:00:00.000Z");
        await clearEmails(emulators.endpoints.ses);
    });

    function processOrder(overrides: Partial<ProcessOrderDependencies> = {}, writeLine = lineCollector().write) {
        return createProcessOrderHandler({
            dynamodb: clients.dynamodb,
            tableName: resources.tableName,
            email: { ses: clients.ses, source: SENDER },
            now: () => clock,
            writeLine,
            ...overrides,
        });
    }

    /** A record as SubmitOrder would have queued it. */
    function orderRecord(order: Order = sampleOrder(), orderId = randomUUID(), messageId = randomUUID()) {
        const body = JSON.stringify(buildOrderMessage(orderId, new Date("2025-03-01T09:59:59.000Z"), order));
        return { orderId, record: recordWithBody(body, messageId, `corr-${messageId.slice(0, 8)}`) };
    }

    async function items(): Promise<OrderItem[]> {
        return ((await doc.send(new ScanCommand({ TableName: resources.tableName }))).Items ?? []) as OrderItem[];
    }

    async function item(orderId: string): Promise<OrderItem | undefined> {
        return (await doc.send(new GetCommand({ TableName: resources.tableName, Key: { orderId } }))).Item as OrderItem | undefined;
    }

    async function emailsFor(orderId: string) {
        return (await sentEmails(emulators.endpoints.ses)).filter((email) => email.subject.includes(orderId));
    }

    it("should store a new order with computed totals, send one confirmation and mark it CONFIRMED", async () => {
        // Prepare
        const collector = lineCollector();
        const { orderId, record } = orderRecord();

        // Act
        const response = await processOrder({}, collector.write)(sqsEvent([record]), lambdaContext());

        // Assess
        expect(response).to.deep.equal({ batchItemFailures: [] });
        const stored = await item(orderId);
        expect(stored).to.deep.include({
            orderId,
            status: "CONFIRMED",
            emailStatus: "SENT",
            payloadHash: payloadHash(sampleOrder()),
            order: sampleOrder(),
            totals: { currency: "EUR", subtotal: 2 * 1250 + 3 * 199, itemCount: 5, lineCount: 2 },
            receivedAt: "2025-03-01T09:59:59.000Z",
            createdAt: clock.toISOString(),
            correlationId: `corr-${record.messageId.slice(0, 8)}`,
        });
        expect(stored).not.to.have.any.keys("emailClaimId", "emailLeaseUntil");
        const emails = await emailsFor(orderId);
        expect(emails).to.have.length(1);
        expect(emails[0].from).to.equal(SENDER);
        expect(emails[0].destination.to).to.deep.equal(["ada@example.com"]);
        expect(emails[0].subject).to.equal(`Order ${orderId} confirmed`);
        expect(emails[0].body.text).to.include("Hello Ada Lovelace").and.include("Total: EUR 30.97");
        expect(emails[0].body.html).to.include("EUR 30.97");
        expect(stored?.emailMessageId).to.equal(emails[0].messageId);
        expect(collector.metrics()).to.deep.equal({ processed: 1, emailsSent: 1 });
    });

    it("should put the order once and send one email when the same message is delivered three times", async () => {
        // Prepare
        const collector = lineCollector();
        const handler = processOrder({}, collector.write);
        const { orderId, record } = orderRecord();
        const createdAt = clock.toISOString();

        // Act
        for (let delivery = 1; delivery <= 3; delivery++) {
            expect(await handler(sqsEvent([record]), lambdaContext())).to.deep.equal({ batchItemFailures: [] });
            clock = new Date(clock.getTime() + 60_000);
        }

        // Assess
        const all = await items();
        expect(all.map((i) => i.orderId)).to.deep.equal([orderId]);
        expect(all[0]).to.include({ createdAt, status: "CONFIRMED", emailStatus: "SENT" });
        expect(await emailsFor(orderId)).to.have.length(1);
        expect(collector.metrics()).to.deep.equal({ processed: 1, duplicates: 2, emailsSent: 1 });
    });

    it("should put the order once and send one email when three copies arrive in one batch", async () => {
        // Prepare
        const { orderId, record } = orderRecord();
        const copies = [record, { ...record, messageId: randomUUID() }, { ...record, messageId: randomUUID() }];

        // Act
        const response = await processOrder()(sqsEvent(copies), lambdaContext());

        // Assess
        expect(response.batchItemFailures).to.deep.equal([]);
        expect((await items()).map((i) => i.orderId)).to.deep.equal([orderId]);
        expect(await emailsFor(orderId)).to.have.length(1);
    });

    it("should report only the poison records in batchItemFailures and store their batch-mates", async () => {
        // Prepare
        const good = [orderRecord(), orderRecord(sampleOrder({ currency: "JPY" }))];
        const notJson = recordWithBody("{not json", "poison-1");
        const badOrder = recordWithBody(JSON.stringify({ ...buildOrderMessage(randomUUID(), clock, sampleOrder()), order: { customer: {} } }), "poison-2");
        const tampered = recordWithBody(JSON.stringify({ ...buildOrderMessage(randomUUID(), clock, sampleOrder()), payloadHash: "0".repeat(64) }), "poison-3");
        const collector = lineCollector();

        // Act
        const response = await processOrder({}, collector.write)(sqsEvent([good[0].record, notJson, badOrder, good[1].record, tampered]), lambdaContext());

        // Assess
        expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "poison-1" }, { itemIdentifier: "poison-2" }, { itemIdentifier: "poison-3" }]);
        expect((await items()).map((i) => i.orderId).sort()).to.deep.equal(good.map((g) => g.orderId).sort());
        const errors = collector.json().filter((line) => line.level === "ERROR");
        expect(errors.map((e) => e.messageId)).to.deep.equal(["poison-1", "poison-2", "poison-3"]);
        expect(errors.map((e) => e.errorName)).to.deep.equal(["PoisonMessageError", "PoisonMessageError", "PoisonMessageError"]);
        expect(errors[1].errorMessage).to.include("/order/customer/email is required");
        expect(errors[2].errorMessage).to.include("payloadHash does not match");
        expect(collector.metrics()).to.include({ processed: 2, failures: 3 });
    });

    it("should report every record when every record fails, and never throw", async () => {
        // Prepare: a table that does not exist makes every DynamoDB call fail.
        const handler = processOrder({ tableName: "no-such-table" });
        const records = [orderRecord(), orderRecord(), orderRecord()].map((r) => r.record);

        // Act
        const response = await handler(sqsEvent(records), lambdaContext());

        // Assess
        expect(response.batchItemFailures).to.deep.equal(records.map((r) => ({ itemIdentifier: r.messageId })));
    });

    it("should answer an event without records with no failures", async () => {
        expect(await processOrder()(sqsEvent([]), lambdaContext())).to.deep.equal({ batchItemFailures: [] });
    });

    it("should keep the stored order, count a conflict and send no second email when the same id comes with another payload", async () => {
        // Prepare
        const collector = lineCollector();
        const handler = processOrder({}, collector.write);
        const first = orderRecord();
        const other = sampleOrder({ items: [{ sku: "LAPTOP-9", quantity: 1, unitPrice: 149_900 }] });
        const conflicting = orderRecord(other, first.orderId);
        await handler(sqsEvent([first.record]), lambdaContext());
        const before = await item(first.orderId);

        // Act
        const response = await handler(sqsEvent([conflicting.record]), lambdaContext());

        // Assess
        expect(response.batchItemFailures).to.deep.equal([]);
        expect(await item(first.orderId)).to.deep.equal(before);
        expect(await emailsFor(first.orderId)).to.have.length(1);
        const warning = collector.json().find((line) => line.level === "WARN");
        expect(warning).to.include({ orderId: first.orderId, storedPayloadHash: payloadHash(sampleOrder()), receivedPayloadHash: payloadHash(other) });
        expect(collector.metrics()).to.include({ conflicts: 1, processed: 1, emailsSent: 1 });
    });

    describe("when SES fails", () => {
        it("should fail the record, keep the stored order, and send the email on redelivery without writing the order again", async () => {
            // Prepare
            const brokenSes = new SESv2Client({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: await closedPortUrl() });
            const collector = lineCollector();
            const { orderId, record } = orderRecord();
            const puts: string[] = [];
            clients.dynamodb.middlewareStack.add(
                (next, context) => async (args) => {
                    const result = await next(args);
                    if (context.commandName === "PutItemCommand") puts.push(context.commandName);
                    return result;
                },
                { step: "initialize", name: "countSuccessfulPuts" },
            );

            try {
                // Act: first delivery with SES down, the redelivery with SES back.
                const failed = await processOrder({ email: { ses: brokenSes, source: SENDER } }, collector.write)(sqsEvent([record]), lambdaContext());
                const afterFailure = await item(orderId);
                const emailsAfterFailure = await emailsFor(orderId);
                clock = new Date(clock.getTime() + 60_000);
                const redelivered = await processOrder({}, collector.write)(sqsEvent([{ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: "2" } }]), lambdaContext());

                // Assess
                expect(failed.batchItemFailures).to.deep.equal([{ itemIdentifier: record.messageId }]);
                expect(afterFailure).to.include({ status: "STORED", emailStatus: "PENDING" });
                expect(afterFailure).not.to.have.any.keys("emailClaimId", "emailLeaseUntil");
                expect(emailsAfterFailure).to.have.length(0);
                expect(redelivered.batchItemFailures).to.deep.equal([]);
                const final = await item(orderId);
                expect(final).to.include({ status: "CONFIRMED", emailStatus: "SENT", createdAt: afterFailure!.createdAt });
                expect(await emailsFor(orderId)).to.have.length(1);
                expect(puts).to.have.length(1);
                const failureLog = collector.json().find((line) => line.message === "confirmation email failed");
                expect(failureLog).to.include({ orderId, claimReleased: true });
                expect(collector.metrics()).to.include({ processed: 1, duplicates: 1, emailsSent: 1, failures: 1 });
            } finally {
                clients.dynamodb.middlewareStack.remove("countSuccessfulPuts");
                brokenSes.destroy();
            }
        });
    });

    describe("the email claim", () => {
        async function storeWithClaim(leaseUntil: number) {
            const { orderId, record } = orderRecord();
            // Store the order with email switched off, then set the state a claiming invocation leaves behind.
            await processOrder({ email: undefined })(sqsEvent([record]), lambdaContext());
            await doc.send(
                new UpdateCommand({
                    TableName: resources.tableName,
                    Key: { orderId },
                    UpdateExpression: "SET #status = :stored, emailStatus = :claimed, emailClaimId = :claim, emailLeaseUntil = :lease",
                    ExpressionAttributeNames: { "#status": "status" },
                    ExpressionAttributeValues: { ":stored": "STORED", ":claimed": "CLAIMED", ":claim": "other-invocation", ":lease": leaseUntil },
                }),
            );
            return { orderId, record };
        }

        it("should take over a claim whose lease has run out (its invocation died) and send the email", async () => {
            // Prepare
            const { orderId, record } = await storeWithClaim(clock.getTime() - 1);

            // Act
            const response = await processOrder()(sqsEvent([record]), lambdaContext());

            // Assess
            expect(response.batchItemFailures).to.deep.equal([]);
            expect(await item(orderId)).to.include({ status: "CONFIRMED", emailStatus: "SENT" });
            expect(await emailsFor(orderId)).to.have.length(1);
        });

        it("should fail the record and send nothing while another invocation's claim is still valid", async () => {
            // Prepare
            const { orderId, record } = await storeWithClaim(clock.getTime() + 60_000);

            // Act
            const response = await processOrder()(sqsEvent([record]), lambdaContext());

            // Assess
            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: record.messageId }]);
            expect(await item(orderId)).to.include({ status: "STORED", emailStatus: "CLAIMED", emailClaimId: "other-invocation" });
            expect(await emailsFor(orderId)).to.have.length(0);
        });

        it("should hold a new claim until the invocation's deadline", async () => {
            // Prepare: an SES that never answers keeps the claim in place while we look at it.
            const { orderId, record } = orderRecord();
            let seenLease: unknown;
            const slowSes = new SESv2Client({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: emulators.endpoints.ses });
            slowSes.middlewareStack.add(
                (next) => async (args) => {
                    seenLease = (await item(orderId))?.emailLeaseUntil;
                    return next(args);
                },
                { step: "initialize", name: "readClaim" },
            );

            // Act
            await processOrder({ email: { ses: slowSes, source: SENDER } })(sqsEvent([record]), lambdaContext(12_345));
            slowSes.destroy();

            // Assess
            expect(seenLease).to.equal(clock.getTime() + 12_345 + 1000);
        });
    });

    it("should confirm without an email and without an SES client when email is disabled", async () => {
        // Prepare
        const { orderId, record } = orderRecord();

        // Act
        const response = await processOrder({ email: undefined })(sqsEvent([record]), lambdaContext());

        // Assess
        expect(response.batchItemFailures).to.deep.equal([]);
        expect(await item(orderId)).to.include({ status: "CONFIRMED", emailStatus: "DISABLED" });
        expect(await emailsFor(orderId)).to.have.length(0);
    });

    it("should log orderId and correlationId on every line and never the customer's email, name or address", async () => {
        // Prepare
        const collector = lineCollector();
        const order = sampleOrder({
            customer: { email: "secret.person@example.net", name: "Secret Person" },
            shippingAddress: { line1: "42 Hidden Lane", city: "Nowhere", postalCode: "ZZ9 9ZZ", country: "GB" },
        });
        const { orderId, record } = orderRecord(order);
        const brokenSes = new SESv2Client({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: await closedPortUrl() });

        // Act: a success path and a failure path.
        await processOrder({ email: { ses: brokenSes, source: SENDER } }, collector.write)(sqsEvent([record]), lambdaContext());
        await processOrder({}, collector.write)(sqsEvent([record]), lambdaContext());
        brokenSes.destroy();

        // Assess
        const logs = collector.json().filter((line) => !("_aws" in line));
        expect(logs.length).to.be.greaterThan(3);
        for (const line of logs) expect(line).to.include({ orderId, correlationId: `corr-${record.messageId.slice(0, 8)}` });
        const text = collector.lines.join("\n");
        for (const secret of ["secret.person@example.net", "Secret Person", "42 Hidden Lane", "Nowhere", "ZZ9 9ZZ"]) expect(text).not.to.include(secret);
    });
});
