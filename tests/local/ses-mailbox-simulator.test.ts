import { expect } from "chai";
import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { DeleteMessageCommand, ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";
import { sentEmails } from "../../local/emulators/email-store";
import { snsPublisher } from "../../local/emulators/event-publish-queue";
import { startSesMailboxSimulator, type SesMailboxSimulator } from "../../local/emulators/ses-mailbox-simulator";
import { createEmailEventResources, type EmailEventResources } from "../../local/pipeline/email-event-resources";
import { createLocalClients, type LocalClients } from "../../local/pipeline/local-clients";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/lambda/lambda-environment";

// The simulator in front of the real SES emulator, publishing through the real SNS client to a
// fauxqs topic whose subscribed queue is read with the real SQS client.
describe("the SES mailbox simulator in front of the SES emulator", function () {
    this.timeout(30_000);
    let emulators: Emulators;
    let clients: LocalClients;
    let sns: SNSClient;
    let ses: SESv2Client;
    let resources: EmailEventResources;
    let simulator: SesMailboxSimulator;
    const errors: Error[] = [];

    before(async () => {
        emulators = await startEmulators();
        clients = createLocalClients(emulators.endpoints);
        sns = new SNSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: emulators.endpoints.sqs });
        resources = await createEmailEventResources({ sns, sqs: clients.sqs }, "simulator", { visibilityTimeoutSeconds: 30, maxReceiveCount: 3, retentionSeconds: 3600, dlqRetentionSeconds: 3600 });
        simulator = await startSesMailboxSimulator({
            sesEndpoint: emulators.endpoints.ses,
            events: { accountId: "000000000000", region: LOCAL_REGION, configurationSetName: "simulator-local", matchingEventTypes: ["Bounce", "Complaint", "Delivery", "Reject"], ordinaryRecipients: "ignore" },
            publish: snsPublisher(sns, resources.topicArn),
            onError: (error) => errors.push(error),
        });
        ses = new SESv2Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: simulator.endpoint, maxAttempts: 1 });
    });
    after(async () => {
        ses?.destroy();
        await simulator?.stop();
        sns?.destroy();
        clients?.destroy();
        await emulators?.stop();
    });

    const send = (to: string, overrides: Partial<SendEmailCommandInput> = {}) =>
        ses.send(
            new SendEmailCommand({
                FromEmailAddress: "shop@example.com",
                Destination: { ToAddresses: [to] },
                Content: { Simple: { Subject: { Data: "Order confirmed" }, Body: { Text: { Data: "Thank you." } } } },
                ConfigurationSetName: "simulator-local",
                EmailTags: [{ Name: "orderId", Value: "4f233d76-6350-441f-83d3-227f895f1346" }],
                ...overrides,
            }),
        );
    /** Receives (and deletes) every message on the email-events queue until `count` arrived. */
    const receive = async (count: number): Promise<Message[]> => {
        const messages: Message[] = [];
        const deadline = Date.now() + 10_000;
        do {
            const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0.2 as number }));
            for (const m of Messages) await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: resources.queueUrl, ReceiptHandle: m.ReceiptHandle! }));
            messages.push(...Messages);
        } while (messages.length < count && Date.now() < deadline);
        return messages;
    };

    it("should pass SendEmail through to the SES emulator and publish the bounce in an SNS envelope to the subscribed queue", async () => {
        const { MessageId } = await send("bounce@simulator.amazonses.com");
        expect(MessageId).to.be.a("string");
        // The email is in the emulator's store, under the id the caller got.
        expect((await sentEmails(emulators.endpoints.ses)).map((e) => e.messageId)).to.include(MessageId);

        const [message, ...more] = await receive(1);
        expect(more).to.deep.equal([]);
        const envelope = JSON.parse(message.Body!);
        expect(envelope).to.deep.include({ Type: "Notification", TopicArn: resources.topicArn });
        const record = JSON.parse(envelope.Message);
        expect(record.eventType).to.equal("Bounce");
        expect(record.bounce).to.deep.include({ bounceType: "Permanent", bounceSubType: "General" });
        expect(record.mail.messageId).to.equal(MessageId);
        expect(record.mail.tags).to.deep.include({ orderId: ["4f233d76-6350-441f-83d3-227f895f1346"], "ses:configuration-set": ["simulator-local"] });
        expect(simulator.counts).to.deep.include({ failed: 0 });
        expect(errors).to.deep.equal([]);
    });

    it("should publish the delivery, then the complaint, for complaint@", async () => {
        const { MessageId } = await send("complaint@simulator.amazonses.com");
        const records = (await receive(2)).map((m) => JSON.parse(JSON.parse(m.Body!).Message));
        expect(records.map((r) => r.eventType).sort()).to.deep.equal(["Complaint", "Delivery"]);
        expect(records.every((r) => r.mail.messageId === MessageId)).to.equal(true);
    });

    it("should publish nothing for an email without the configuration set, or one the emulator refused", async () => {
        const before = { ...simulator.counts };
        await send("bounce@simulator.amazonses.com", { ConfigurationSetName: undefined });
        // No From address: the SES emulator answers 400, and the caller gets that answer.
        const refused = await send("bounce@simulator.amazonses.com", { FromEmailAddress: undefined }).catch((err: Error & { $metadata?: { httpStatusCode?: number } }) => err);
        expect((refused as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).to.equal(400);
        await simulator.idle();
        expect(simulator.counts.published).to.equal(before.published);
        expect(simulator.counts.accepted).to.equal(before.accepted + 1);
        expect(await receive(0)).to.deep.equal([]);
    });

    it("should pass other requests through unchanged", async () => {
        const viaFront = await fetch(`${simulator.endpoint}/health-check`);
        expect(viaFront.status).to.equal(200);
        const store = await fetch(`${simulator.endpoint}/store`);
        expect(store.status).to.equal(200);
        expect(((await store.json()) as { emails: unknown[] }).emails.length).to.equal((await sentEmails(emulators.endpoints.ses)).length);
    });
});
