import { expect } from "chai";
import { PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startFaultProxy, type FaultProxy } from "../../bench/fault-proxy";
import { listDlq } from "../../local/dlq/dlq-operations";
import { FAILURE_MESSAGES } from "../../local/dlq/redrive-target";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/lambda/lambda-environment";
import { createLocalClients, type LocalClients } from "../../local/pipeline/local-clients";
import { startLocalPipeline, type LocalPipeline } from "../../local/pipeline/pipeline";
import { countMessages } from "../../local/pipeline/pipeline-stats";
import { queueArnOf } from "../../local/pipeline/resources";
import type { BatchReport } from "../../local/worker/sqs-worker";
import { waitFor } from "../local/support/wait-for";
import { call, orderFor, postOrder, readOrders } from "./support/orders";

// SES's mailbox simulator end to end through local mode: POST /orders -> ProcessOrder's SendEmail
// through the simulator in front of the SES emulator -> SES's event records on the email-events
// SNS topic (fauxqs) -> the subscribed queue -> the email-events function from its bundle ->
// the order item -> GET /orders/{id}. The order queue's batching window is 0 so that no receive
// waits to fill a batch; the last test's pipeline has an email-events visibility timeout of 1 s (a
// deployment derives it from the function's timeout) so that a failing record is seen three times
// within the test.
describe("SES delivery events end to end through local mode", function () {
    this.timeout(60_000);
    let emulators: Emulators;
    let clients: LocalClients;
    let sns: SNSClient;
    let dynamodbProxy: FaultProxy;
    let pipeline: LocalPipeline;
    /** A queue of the test's own, also subscribed to the topic: a copy of every event published. */
    let spyQueueUrl: string;
    const batches: BatchReport[] = [];
    const logs: string[] = [];

    before(async () => {
        emulators = await startEmulators();
        clients = createLocalClients(emulators.endpoints);
        sns = new SNSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: emulators.endpoints.sqs });
        // The last test's pipeline reaches DynamoDB through a proxy that it turns off.
        dynamodbProxy = await startFaultProxy({ target: emulators.endpoints.dynamodb, protocol: "dynamodb", failureRate: 0 });
        pipeline = await startLocalPipeline({
            emulators,
            name: "mail",
            args: { email: { sender: "shop@example.com" }, processing: { maxBatchingWindowSeconds: 0 } },
            pollWaitSeconds: 0.2,
            ordinaryRecipients: "ignore",
            onBatch: (report) => batches.push(report),
            onLog: (_fn, line) => logs.push(line),
        });
        const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: "mail-events-spy" }));
        spyQueueUrl = QueueUrl!;
        await sns.send(new SubscribeCommand({ TopicArn: pipeline.emailEvents!.resources.topicArn, Protocol: "sqs", Endpoint: await queueArnOf(clients.sqs, spyQueueUrl) }));
    });
    after(async () => {
        await pipeline?.stop();
        await dynamodbProxy?.close();
        sns?.destroy();
        clients?.destroy();
        await emulators?.stop();
    });

    const emailEvents = () => pipeline.emailEvents!;
    const viewOf = async (orderId: string) => (await call(`${pipeline.apiUrl}/orders/${orderId}`)).body;
    /** Places an order for `customer` and waits until GET shows an email outcome. */
    const orderAndWait = async (customer: string, outcome: string) => {
        const posted = await postOrder(pipeline.apiUrl, orderFor(customer));
        expect(posted.status).to.equal(202);
        const orderId = posted.body.orderId as string;
        let view: any;
        await waitFor(async () => (view = await viewOf(orderId))?.email?.outcome === outcome, `${customer}'s order to show ${outcome}`, { timeoutMs: 20_000 });
        return { orderId, view };
    };
    /** Receives the spy queue's copies of the events published so far, as SES records. */
    const spied = async (): Promise<any[]> => {
        await emailEvents().published();
        const records: any[] = [];
        for (;;) {
            const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: spyQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
            if (Messages.length === 0) return records;
            for (const m of Messages) {
                const message = JSON.parse(m.Body!).Message as string;
                // The malformed notification the test publishes itself is no SES record.
                if (message.startsWith("{\"eventType\"")) records.push(JSON.parse(message));
                await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: spyQueueUrl, ReceiptHandle: m.ReceiptHandle! }));
            }
        }
    };
    const queuesEmpty = async () => (await countMessages(clients.sqs, emailEvents().resources.queueUrl)) === 0;

    it("should show DELIVERED, BOUNCED, COMPLAINED and BOUNCED (suppressed) on GET for the four simulator addresses", async () => {
        const [success, bounce, complaint, suppressed] = await Promise.all([
            orderAndWait("success@simulator.amazonses.com", "DELIVERED"),
            orderAndWait("bounce@simulator.amazonses.com", "BOUNCED"),
            orderAndWait("complaint@simulator.amazonses.com", "COMPLAINED"),
            orderAndWait("suppressionlist@simulator.amazonses.com", "BOUNCED"),
        ]);
        expect(bounce.view.email).to.deep.include({ outcome: "BOUNCED", bounceType: "Permanent", bounceSubType: "General" });
        expect(suppressed.view.email).to.deep.include({ outcome: "BOUNCED", bounceType: "Permanent", bounceSubType: "Suppressed" });
        expect(success.view.email).to.not.have.property("bounceType");
        // The email outcome is not the order's status: every order is still confirmed.
        for (const { view } of [success, bounce, complaint, suppressed]) expect(view.status).to.equal("CONFIRMED");
        // The events SES published: each names its order in the orderId tag and its email by SES's id.
        const records = await spied();
        const byOrder = (orderId: string) => records.filter((r) => r.mail.tags.orderId?.[0] === orderId).map((r) => r.eventType);
        expect(byOrder(success.orderId)).to.deep.equal(["Delivery"]);
        expect(byOrder(bounce.orderId)).to.deep.equal(["Bounce"]);
        expect(byOrder(complaint.orderId)).to.deep.equal(["Delivery", "Complaint"]);
        expect(byOrder(suppressed.orderId)).to.deep.equal(["Bounce"]);
        const items = await readOrders(clients.dynamodb, pipeline.resources.tableName, [bounce.orderId]);
        expect(records.find((r) => r.eventType === "Bounce" && r.mail.tags.orderId[0] === bounce.orderId).mail.messageId).to.equal(items.get(bounce.orderId)!.emailMessageId);
        await waitFor(queuesEmpty, "the email-events queue to be empty");
        expect(await countMessages(clients.sqs, emailEvents().resources.dlqUrl)).to.equal(0);
    });

    it("should change nothing when the same notification is published twice", async () => {
        const { orderId } = await orderAndWait("complaint+twice@simulator.amazonses.com", "COMPLAINED");
        const complaint = (await spied()).find((r) => r.eventType === "Complaint" && r.mail.tags.orderId[0] === orderId);
        await waitFor(queuesEmpty, "the email-events queue to be empty");
        const before = (await readOrders(clients.dynamodb, pipeline.resources.tableName, [orderId])).get(orderId);
        const handled = batches.reduce((n, b) => n + b.deleted.length, 0);

        for (let i = 0; i < 2; i++) await sns.send(new PublishCommand({ TopicArn: emailEvents().resources.topicArn, Message: JSON.stringify(complaint) }));
        await waitFor(async () => batches.reduce((n, b) => n + b.deleted.length, 0) >= handled + 2 && (await queuesEmpty()), "both copies to be handled");

        expect((await readOrders(clients.dynamodb, pipeline.resources.tableName, [orderId])).get(orderId)).to.deep.equal(before);
        const lines = logs.filter((l) => l.includes(orderId) && l.includes('"eventType":"Complaint"')).map((l) => JSON.parse(l));
        expect(lines.map((l) => l.result)).to.deep.equal(["recorded", "duplicate", "duplicate"]);
        expect(await countMessages(clients.sqs, emailEvents().resources.dlqUrl)).to.equal(0);
    });

    it("should log a malformed notification with its reason and take it off the queue without recording anything", async () => {
        const { MessageId } = await sns.send(new PublishCommand({ TopicArn: emailEvents().resources.topicArn, Message: "{not json" }));
        await waitFor(() => logs.some((l) => l.includes(MessageId!) && l.includes("not recorded")), "the malformed notification to be logged");
        const line = JSON.parse(logs.find((l) => l.includes(MessageId!))!);
        expect(line).to.deep.include({ result: "malformed" });
        expect(line.message).to.contain("not JSON");
        await waitFor(queuesEmpty, "the email-events queue to be empty");
        expect(await countMessages(clients.sqs, emailEvents().resources.dlqUrl)).to.equal(0);
    });

    it("should move a notification that keeps failing to the email-events DLQ after 3 receives", async () => {
        const { orderId } = await orderAndWait("success+dlq@simulator.amazonses.com", "DELIVERED");
        const delivery = (await spied()).find((r) => r.eventType === "Delivery" && r.mail.tags.orderId[0] === orderId);
        // A pipeline of its own on the same table's emulators: DynamoDB behind the proxy, and failed records back after 1 s.
        const dlqBatches: BatchReport[] = [];
        const dlqLogs: string[] = [];
        const failing = await startLocalPipeline({
            emulators,
            name: "mail-dlq",
            args: { email: { sender: "shop@example.com" } },
            overrides: { emailEventsVisibilityTimeoutSeconds: 1 },
            pollWaitSeconds: 0.2,
            handlerEndpoints: { dynamodb: dynamodbProxy.url },
            onBatch: (report) => dlqBatches.push(report),
            onLog: (_fn, line) => dlqLogs.push(line),
        });
        // DynamoDB down: the function cannot record the event and reports it for retry, each time.
        dynamodbProxy.setDown(true);
        try {
            const { topicArn, queueUrl, dlqUrl } = failing.emailEvents!.resources;
            const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(delivery) }));
            await waitFor(async () => (await countMessages(clients.sqs, dlqUrl)) === 1, "the notification to reach the DLQ", { timeoutMs: 30_000 });
            const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, VisibilityTimeout: 0 }));
            expect(JSON.parse(Messages[0].Body!).MessageId).to.equal(MessageId);
            const failedReceives = dlqBatches.filter((b) => b.failed.length > 0).flatMap((b) => b.receiveCounts);
            expect(Math.max(...failedReceives)).to.equal(3);

            // `npm run dlq -- list --queue email-events` reads the reason from the function's own failure lines.
            const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "email-events-log-")), "mail-email-events.log");
            fs.writeFileSync(logFile, dlqLogs.join("\n"));
            const [entry, ...others] = await listDlq({
                sqs: clients.sqs,
                target: { source: "test", queueUrl, dlqUrl, region: LOCAL_REGION, endpoint: undefined, credentials: undefined, failureLog: { file: logFile }, failureMessage: FAILURE_MESSAGES["email-events"] },
            });
            expect(others).to.deep.equal([]);
            expect(entry).to.deep.include({ orderId, receiveCount: 3 });
            expect(entry.lastFailureReason).to.match(/^\w+: /);
        } finally {
            dynamodbProxy.setDown(false);
            await failing.stop();
        }
    });
});
