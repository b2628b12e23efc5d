import { expect } from "chai";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { BATCH_SIZE, MAX_RECEIVE_COUNT } from "../../contract/defaults";
import { createProcessOrderHandler } from "../../handlers/process/process-order-handler";
import { createSubmitOrderHandler } from "../../handlers/submit/submit-order-handler";
import { clearEmails, sentEmails } from "../../local/emulators/email-store";
import type { Emulators } from "../../local/emulators/emulators";
import type { LocalResources } from "../../local/pipeline/resources";
import { clientsFor, freshResources, sharedEmulators, type TestClients } from "./support/emulators";
import { lambdaContext, lineCollector, postOrderEvent, sampleOrder, sqsEvent, sqsRecord } from "./support/fixtures";
import { receiveAll } from "./support/queue";

describe("ProcessOrder driven through the real queue with its redrive policy", () => {
    let emulators: Emulators;
    let clients: TestClients;
    let resources: LocalResources;

    before(async () => {
        emulators = await sharedEmulators();
        clients = clientsFor(emulators.endpoints);
        resources = await freshResources(clients);
        await clearEmails(emulators.endpoints.ses);
    });

    /**
     * What Lambda's event source mapping does, in small: receive a batch, invoke, delete the records
     * not reported in batchItemFailures, leave the rest to the visibility timeout (0 here, so they
     * come straight back). Returns how often each message was received.
     */
    async function pollUntilEmpty(handler: ReturnType<typeof createProcessOrderHandler>): Promise<Map<string, number>> {
        const receives = new Map<string, number>();
        for (let round = 0; round < 50; round++) {
            const { Messages = [] } = await clients.sqs.send(
                new ReceiveMessageCommand({
                    QueueUrl: resources.queueUrl,
                    MaxNumberOfMessages: BATCH_SIZE,
                    WaitTimeSeconds: 0,
                    MessageAttributeNames: ["All"],
                    MessageSystemAttributeNames: ["All"],
                }),
            );
            if (Messages.length === 0) return receives;
            for (const m of Messages) receives.set(m.MessageId!, (receives.get(m.MessageId!) ?? 0) + 1);
            const { batchItemFailures } = await handler(sqsEvent(Messages.map((m) => sqsRecord(m, resources.queueArn))), lambdaContext());
            const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
            const done = Messages.filter((m) => !failed.has(m.MessageId!));
            if (done.length > 0) {
                await clients.sqs.send(
                    new DeleteMessageBatchCommand({
                        QueueUrl: resources.queueUrl,
                        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
                    }),
                );
            }
        }
        throw new Error("the queue did not drain in 50 rounds");
    }

    it("should store and email every good order once and move the poison message to the DLQ after exactly 3 receives", async () => {
        // Prepare: good orders through SubmitOrder (one retried with its Idempotency-Key), poison put on directly.
        const submit = createSubmitOrderHandler({ sqs: clients.sqs, queueUrl: resources.queueUrl, writeLine: lineCollector().write });
        const orderIds = new Set<string>();
        for (let i = 0; i < 12; i++) {
            const order = sampleOrder({ customer: { email: `customer${i}@example.com`, name: `Customer ${i}` } });
            const response = await submit(postOrderEvent(order, { "idempotency-key": `k-${i}` }));
            orderIds.add(JSON.parse(response.body).orderId);
            if (i === 0) await submit(postOrderEvent(order, { "idempotency-key": `k-${i}` }));
        }
        const poison = await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: '{"schemaVersion":1,"orderId":"x"}' }));
        const collector = lineCollector();
        const handler = createProcessOrderHandler({
            dynamodb: clients.dynamodb,
            tableName: resources.tableName,
            email: { ses: clients.ses, source: "shop@example.com" },
            writeLine: collector.write,
        });

        // Act
        const receives = await pollUntilEmpty(handler);

        // Assess
        expect(receives.get(poison.MessageId!)).to.equal(MAX_RECEIVE_COUNT);
        const dead = await receiveAll(clients.sqs, resources.dlqUrl);
        expect(dead.map((m) => m.MessageId)).to.deep.equal([poison.MessageId]);
        const { Items = [] } = await DynamoDBDocumentClient.from(clients.dynamodb).send(new ScanCommand({ TableName: resources.tableName }));
        expect(new Set(Items.map((item) => item.orderId))).to.deep.equal(orderIds);
        expect(Items.every((item) => item.status === "CONFIRMED")).to.equal(true);
        const emails = await sentEmails(emulators.endpoints.ses);
        expect(emails).to.have.length(orderIds.size);
        expect(new Set(emails.map((e) => e.subject.split(" ")[1]))).to.deep.equal(orderIds);
        expect(collector.metrics()).to.deep.equal({ processed: 12, duplicates: 1, emailsSent: 12, failures: MAX_RECEIVE_COUNT });
    });
});
