import { expect } from "chai";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { resolveLocalSettings } from "../../local/pipeline/local-settings";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SendEmailCommand, SESClient } from "@aws-sdk/client-ses";
import { clearEmails, sentEmails } from "../../local/emulators/email-store";
import { Emulators, startEmulators } from "../../local/emulators/emulators";
import { createPipelineResources } from "../../local/pipeline/resources";

describe("local emulators", () => {
    let emulators: Emulators;
    before(async () => {
        emulators = await startEmulators();
    });
    after(() => emulators.stop());

    const clientConfig = () => ({
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });

    it("should bind every emulator to 127.0.0.1 only", () => {
        for (const url of Object.values(emulators.endpoints)) expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("should store, queue with redrive to the DLQ, and record an email through the real SDK clients", async () => {
        const dynamodb = new DynamoDBClient({ ...clientConfig(), endpoint: emulators.endpoints.dynamodb });
        const sqs = new SQSClient({ ...clientConfig(), endpoint: emulators.endpoints.sqs });
        const ses = new SESClient({ ...clientConfig(), endpoint: emulators.endpoints.ses });
        const resources = await createPipelineResources({ dynamodb, sqs }, resolveLocalSettings("emu", {}, { visibilityTimeoutSeconds: 0 }));
        // Creating twice finds the same resources (a kept data folder is reused).
        expect(await createPipelineResources({ dynamodb, sqs }, resolveLocalSettings("emu", {}, { visibilityTimeoutSeconds: 0 }))).to.deep.equal(resources);

        const doc = DynamoDBDocumentClient.from(dynamodb);
        await doc.send(new PutCommand({ TableName: resources.tableName, Item: { orderId: "o-1", n: 1 } }));
        expect((await doc.send(new GetCommand({ TableName: resources.tableName, Key: { orderId: "o-1" } }))).Item).to.deep.equal({ orderId: "o-1", n: 1 });

        await sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: "poison" }));
        let receives = 0;
        for (let i = 0; i < 6; i++) {
            const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queueUrl, WaitTimeSeconds: 0 }));
            receives += got.Messages?.length ?? 0;
        }
        expect(receives).to.equal(3);
        const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.dlqUrl, WaitTimeSeconds: 0 }));
        expect(dead.Messages?.map((m) => m.Body)).to.deep.equal(["poison"]);

        await clearEmails(emulators.endpoints.ses);
        await ses.send(
            new SendEmailCommand({
                Source: "shop@example.com",
                Destination: { ToAddresses: ["ada@example.com"] },
                Message: { Subject: { Data: "hi" }, Body: { Text: { Data: "body" } } },
            }),
        );
        const emails = await sentEmails(emulators.endpoints.ses);
        expect(emails.map((e) => [e.from, e.destination.to, e.subject])).to.deep.equal([["shop@example.com", ["ada@example.com"], "hi"]]);
        for (const c of [dynamodb, sqs, ses]) c.destroy();
    });
});

describe("local emulators on a worker thread", () => {
    it("should answer on 127.0.0.1, count the emails the SES emulator took there, and stop twice without harm", async () => {
        // Prepare
        const emulators = await startEmulators({ thread: true });
        try {
            const ses = new SESClient({ region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, endpoint: emulators.endpoints.ses });

            // Act
            await ses.send(
                new SendEmailCommand({
                    Source: "thread@example.com",
                    Destination: { ToAddresses: ["ada@example.com"] },
                    Message: { Subject: { Data: "hello" }, Body: { Text: { Data: "from the thread" } } },
                }),
            );
            ses.destroy();

            // Assess: the store lives in the thread, not in this one.
            for (const url of Object.values(emulators.endpoints)) expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
            expect(await emulators.countEmailsFrom!("thread@example.com")).to.equal(1);
            expect(await emulators.countEmailsFrom!("someone-else@example.com")).to.equal(0);
            expect((await sentEmails(emulators.endpoints.ses)).map((e) => e.subject)).to.deep.equal(["hello"]);
        } finally {
            await emulators.stop();
            await emulators.stop();
        }
    });
});
