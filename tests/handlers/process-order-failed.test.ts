import { expect } from "chai";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createGetOrderHandler } from "../../handlers/get/get-order-handler";
import { buildOrderMessage } from "../../handlers/order/message";
import { OrderViewSchema } from "../../handlers/order/order-view";
import { createValidator } from "../../handlers/order/validation";
import { createProcessOrderHandler } from "../../handlers/process/process-order-handler";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import type { OrderItem } from "../../handlers/store/order-item";
import type { Emulators } from "../../local/emulators/emulators";
import type { LocalResources } from "../../local/pipeline/resources";
import { clientsFor, freshResources, LOCAL_AWS, sharedEmulators, type TestClients } from "./support/emulators";
import { httpEvent, lambdaContext, lineCollector, recordWithBody, sampleOrder, sqsEvent } from "./support/fixtures";

const validateView = createValidator(OrderViewSchema);

describe("ProcessOrder with an email that can never be sent", () => {
    let emulators: Emulators;
    let clients: TestClients;
    let resources: LocalResources;
    let doc: DynamoDBDocumentClient;
    let rejecting: { endpoint: string; requests: number; close: () => Promise<void> };

    before(async () => {
        emulators = await sharedEmulators();
        clients = clientsFor(emulators.endpoints);
        doc = DynamoDBDocumentClient.from(clients.dynamodb);
        // SES refusing the content of every email (MessageRejected), on 127.0.0.1.
        const state = { requests: 0 };
        const server = http.createServer((req, res) => {
            req.resume().on("end", () => {
                state.requests++;
                res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "MessageRejected" }).end('{"message":"Email address is not verified."}');
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        rejecting = {
            endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            get requests() {
                return state.requests;
            },
            close: () => new Promise<void>((resolve) => server.close(() => resolve())),
        };
    });
    after(async () => rejecting.close());
    beforeEach(async () => {
        resources = await freshResources(clients);
    });

    it("should mark the order FAILED with its reason, not retry the record, and show the reason in GET", async () => {
        // Prepare
        const ses = new SESv2Client({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: rejecting.endpoint });
        const collector = lineCollector();
        const processOrder = createProcessOrderHandler({
            dynamodb: clients.dynamodb,
            tableName: resources.tableName,
            email: { ses, source: "shop@example.com" },
            writeLine: collector.write,
        });
        const orderId = randomUUID();
        const record = recordWithBody(JSON.stringify(buildOrderMessage(orderId, new Date(), sampleOrder())), randomUUID());
        try {
            // Act: the first delivery, then a redelivery (as after a DLQ redrive).
            const first = await processOrder(sqsEvent([record]), lambdaContext());
            const requestsAfterFirst = rejecting.requests;
            const again = await processOrder(sqsEvent([{ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: "2" } }]), lambdaContext());
            const stored = (await doc.send(new GetCommand({ TableName: resources.tableName, Key: { orderId } }))).Item as OrderItem;
            const get = await createGetOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, writeLine: () => {} })(
                httpEvent({ method: "GET", path: `/orders/${orderId}`, pathParameters: { orderId } }),
            );

            // Assess
            expect(first.batchItemFailures).to.deep.equal([]);
            expect(again.batchItemFailures).to.deep.equal([]);
            expect(requestsAfterFirst).to.equal(1);
            expect(rejecting.requests, "the redelivery sends nothing").to.equal(1);
            expect(stored).to.include({ status: "FAILED", emailStatus: "FAILED" });
            expect(stored.failureReason).to.equal("the confirmation email cannot be sent: SES refused it (MessageRejected)");
            expect(stored).not.to.have.any.keys("emailClaimId", "emailLeaseUntil");
            expect(get.statusCode).to.equal(200);
            const view = JSON.parse(get.body);
            expect(validateView(view).ok).to.equal(true);
            expect(view).to.deep.include({ status: "FAILED", failure: { reason: stored.failureReason, failedAt: stored.failedAt } });
            expect(get.body).not.to.include(sampleOrder().customer.email);
            expect(collector.metrics()).to.include({ processed: 1, duplicates: 1, ordersFailed: 1 }).and.not.to.have.property("failures");
            expect(collector.json().find((line) => line.level === "ERROR")).to.include({ orderId, message: "order failed: its confirmation can never be sent; not retried" });
        } finally {
            ses.destroy();
        }
    });
});
