import { expect } from "chai";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { resolveLocalSettings } from "../../local/pipeline/local-settings";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { SendEmailCommand, SESClient } from "@aws-sdk/client-ses";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { clearEmails, sentEmails } from "../../local/emulators/email-store";
import { startEmulators } from "../../local/emulators/emulators";
import { createLocalClients } from "../../local/pipeline/local-clients";
import { countMessages } from "../../local/pipeline/pipeline-stats";
import { createPipelineResources } from "../../local/pipeline/resources";

describe("local mode keeps data on disk (--keep-data)", () => {
    it("should bring back the table's items, the queued and in-flight messages with their receive counts, and the emails", async () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keep-data-"));
        const sender = "keep-data@example.com";

        // First run: one order stored, two messages queued (one of them received once), one email.
        const first = await startEmulators({ dataDir });
        let clients = createLocalClients(first.endpoints);
        const resources = await createPipelineResources(clients, resolveLocalSettings("kept", {}, { visibilityTimeoutSeconds: 1 }));
        await DynamoDBDocumentClient.from(clients.dynamodb).send(new PutCommand({ TableName: resources.tableName, Item: { orderId: "o-1", status: "CONFIRMED" } }));
        await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: "first", MessageAttributes: { correlationId: { DataType: "String", StringValue: "c-1" } } }));
        await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: "second" }));
        const received = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queueUrl, MaxNumberOfMessages: 1 }));
        expect(received.Messages).to.have.length(1);
        const ses = new SESClient({ region: "us-east-1", endpoint: first.endpoints.ses, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
        await ses.send(new SendEmailCommand({ Source: sender, Destination: { ToAddresses: ["ada@example.com"] }, Message: { Subject: { Data: "kept" }, Body: { Text: { Data: "body" } } } }));
        ses.destroy();
        clients.destroy();
        await first.stop();
        // A new process starts with an empty email store.
        const second = await startEmulators();
        await clearEmails(second.endpoints.ses);
        await second.stop();

        // Second run, on other ports.
        const again = await startEmulators({ dataDir });
        try {
            clients = createLocalClients(again.endpoints);
            const found = await createPipelineResources(clients, resolveLocalSettings("kept", {}, { visibilityTimeoutSeconds: 1 }));
            expect(found.tableName).to.equal(resources.tableName);
            const item = await DynamoDBDocumentClient.from(clients.dynamodb).send(new GetCommand({ TableName: found.tableName, Key: { orderId: "o-1" } }));
            expect(item.Item).to.deep.equal({ orderId: "o-1", status: "CONFIRMED" });

            expect(await countMessages(clients.sqs, found.queueUrl)).to.equal(2);
            const bodies: Record<string, { count: string | undefined; correlationId: string | undefined }> = {};
            for (let i = 0; i < 40 && Object.keys(bodies).length < 2; i++) {
                const got = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: found.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ["ApproximateReceiveCount"], MessageAttributeNames: ["All"] }));
                for (const m of got.Messages ?? []) bodies[m.Body!] ??= { count: m.Attributes?.ApproximateReceiveCount, correlationId: m.MessageAttributes?.correlationId?.StringValue };
            }
            const firstBody = received.Messages![0].Body!;
            const otherBody = firstBody === "first" ? "second" : "first";
            expect(bodies[firstBody].count).to.equal("2");
            expect(bodies[otherBody].count).to.equal("1");
            expect(bodies.first.correlationId).to.equal("c-1");

            const emails = (await sentEmails(again.endpoints.ses)).filter((e) => e.from === sender);
            expect(emails.map((e) => e.subject)).to.deep.equal(["kept"]);
            clients.destroy();
        } finally {
            await again.stop();
            fs.rmSync(dataDir, { recursive: true, force: true });
        }
    });

    it("should bring a kept queue to the current settings instead of failing on them (as a deployment updates it in place)", async () => {
        const emulators = await startEmulators();
        const clients = createLocalClients(emulators.endpoints);
        try {
            const before = await createPipelineResources(clients, resolveLocalSettings("changed", { queue: { maxReceiveCount: 3 } }, { visibilityTimeoutSeconds: 5 }));
            const after = await createPipelineResources(clients, resolveLocalSettings("changed", { queue: { maxReceiveCount: 4 } }, { visibilityTimeoutSeconds: 7 }));
            expect(after.queueUrl).to.equal(before.queueUrl);
            const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: after.queueUrl, AttributeNames: ["VisibilityTimeout", "RedrivePolicy"] }));
            expect(Attributes?.VisibilityTimeout).to.equal("7");
            expect(JSON.parse(Attributes?.RedrivePolicy ?? "{}")).to.deep.equal({ deadLetterTargetArn: after.dlqArn, maxReceiveCount: 4 });
        } finally {
            clients.destroy();
            await emulators.stop();
        }
    });
});
