import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { createProcessOrderHandler } from "../../handlers/process/process-order-handler";
import { createSubmitOrderHandler } from "../../handlers/submit/submit-order-handler";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/lambda/lambda-environment";
import { createLocalClients, type LocalClients } from "../../local/pipeline/local-clients";
import { countMessages } from "../../local/pipeline/pipeline-stats";
import { createPipelineResources, type LocalResources } from "../../local/pipeline/resources";
import { resolveLocalSettings } from "../../local/pipeline/local-settings";
import { DlqUsageError, parseDlqArgs } from "../../local/dlq/dlq-args";
import { dlqMain } from "../../local/dlq/dlq-cli";
import { listDlq, purgeDlq, redriveDlq, showDlqMessage, type DlqContext } from "../../local/dlq/dlq-operations";
import { closedPortUrl } from "../handlers/support/emulators";
import { lambdaContext, postOrderEvent, sampleOrder, sqsEvent, sqsRecord } from "../handlers/support/fixtures";

/**
 * Long-poll wait of the receives here: fauxqs, one server, answers an empty queue as surely after
 * 0.05 s (it takes fractional waits) as after SQS's shortest long poll of 1 s.
 */
const EMULATOR_POLL_WAIT_SECONDS = 0.05;

describe("npm run dlq: list, show, purge and redrive the dead-letter queue", function () {
    this.timeout(60_000);

    describe("arguments", () => {
        const bad: Array<[string[], string]> = [
            [[], "a command is required"],
            [["drop"], 'unknown command "drop"'],
            [["show"], "show needs the message id"],
            [["list", "extra"], 'unexpected argument "extra" for list'],
            [["redrive", "--rate", "0"], "--rate must be a positive number"],
            [["redrive", "--max", "1.5"], "--max must be a positive whole number"],
            [["redrive", "--order", "not-an-id"], "--order must be an order id"],
            [["list", "--yes"], "--yes applies to purge only"],
            [["purge", "--order", "3f1c2a9e-8b7d-4c6e-9a5f-0123456789ab"], "--order applies to redrive only"],
            [["list", "--queue-url", "http://x"], "--queue-url and --dlq-url go together"],
            [["list", "--bogus"], "Unknown option '--bogus'"],
            [["list", "--queue", "shipments"], '--queue must be one of orders, email-events, got "shipments"'],
        ];
        for (const [argv, message] of bad) {
            it(`should refuse ${JSON.stringify(argv.join(" "))} naming the problem`, () => {
                expect(() => parseDlqArgs(argv)).to.throw(DlqUsageError, message);
            });
        }

        it("should exit with 2 on bad arguments", async () => {
            const write = process.stderr.write;
            process.stderr.write = (() => true) as typeof process.stderr.write;
            try {
                expect(await dlqMain(["drop"])).to.equal(2);
            } finally {
                process.stderr.write = write;
            }
        });

        it("should read each command with its options", () => {
            expect(parseDlqArgs(["show", "m-1"])).to.include({ command: "show", messageId: "m-1" });
            expect(parseDlqArgs(["purge", "-y"])).to.include({ command: "purge", yes: true });
            expect(parseDlqArgs(["redrive", "--order", "3f1c2a9e-8b7d-4c6e-9a5f-0123456789ab", "--max", "5", "--rate", "2"])).to.include({
                command: "redrive",
                orderId: "3f1c2a9e-8b7d-4c6e-9a5f-0123456789ab",
                max: 5,
                rate: 2,
            });
        });
    });

    describe("on the emulators, with the failure lines ProcessOrder wrote", () => {
        let emulators: Emulators;
        let clients: LocalClients;
        let resources: LocalResources;
        let context: DlqContext;
        let orderId: string;
        let deadMessageId: string;
        let otherMessageId: string;
        let logFile: string;

        before(async () => {
            emulators = await startEmulators();
            clients = createLocalClients(emulators.endpoints);
            // Visibility 0: each failed receive comes straight back, and the fourth receive moves the message.
            resources = await createPipelineResources(clients, resolveLocalSettings("dlq", {}, { visibilityTimeoutSeconds: 0 }));
            logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dlq-")), "dlq-process.log");
            const log = fs.openSync(logFile, "w");
            const brokenSes = new SESv2Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: await closedPortUrl() });
            const processOrder = createProcessOrderHandler({
                dynamodb: clients.dynamodb,
                tableName: resources.tableName,
                email: { ses: brokenSes, source: "shop@example.com" },
                writeLine: (line) => fs.writeSync(log, `${line}\n`),
            });
            const submit = createSubmitOrderHandler({ sqs: clients.sqs, queueUrl: resources.queueUrl, writeLine: () => undefined });
            orderId = JSON.parse((await submit(postOrderEvent(sampleOrder()))).body).orderId;
            for (let receive = 0; receive < 4; receive++) {
                const { Messages = [] } = await clients.sqs.send(
                    new ReceiveMessageCommand({ QueueUrl: resources.queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: EMULATOR_POLL_WAIT_SECONDS, MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] }),
                );
                if (Messages.length === 0) break;
                await processOrder(sqsEvent(Messages.map((m) => sqsRecord(m, resources.queueArn))), lambdaContext());
            }
            fs.closeSync(log);
            brokenSes.destroy();
            otherMessageId = (await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.dlqUrl, MessageBody: "not an order" }))).MessageId!;
            context = {
                sqs: clients.sqs,
                pollWaitSeconds: EMULATOR_POLL_WAIT_SECONDS,
                target: {
                    source: "test",
                    queueUrl: resources.queueUrl,
                    dlqUrl: resources.dlqUrl,
                    region: LOCAL_REGION,
                    endpoint: emulators.endpoints.sqs,
                    credentials: LOCAL_CREDENTIALS,
                    failureLog: { file: logFile },
                },
            };
            const listed = await listDlq(context);
            deadMessageId = listed.find((e) => e.orderId === orderId)!.messageId;
        });
        after(async () => {
            clients.destroy();
            await emulators.stop();
        });

        it("should list each message with its order id, receive count, first and last failed receive and last reason", async () => {
            const entries = await listDlq(context);
            const dead = entries.find((e) => e.messageId === deadMessageId)!;
            expect(dead).to.include({ orderId, receiveCount: 3 });
            expect(dead.lastFailureReason).to.match(/ECONNREFUSED|connect/);
            expect(Date.parse(dead.firstReceivedAt!)).to.be.at.most(Date.parse(dead.lastReceivedAt!));
            const other = entries.find((e) => e.messageId === otherMessageId)!;
            expect(other).to.include({ orderId: undefined, receiveCount: undefined, lastFailureReason: undefined });
            // Listing removes nothing.
            expect(await countMessages(clients.sqs, resources.dlqUrl)).to.equal(2);
        });

        it("should show one message with its body and every failure logged for it", async () => {
            const shown = await showDlqMessage(context, deadMessageId);
            expect(JSON.parse(shown!.message.Body!).orderId).to.equal(orderId);
            expect(shown!.failures!.lines.map((l) => l.receiveCount)).to.deep.equal([1, 2, 3]);
            expect(await showDlqMessage(context, "no-such-message")).to.equal(undefined);
        });

        it("should redrive one order's messages only, and leave the rest in the DLQ", async () => {
            const outcome = await redriveDlq(context, { rate: 50, orderId });
            expect(outcome).to.deep.include({ kind: "moved" });
            expect(outcome.kind === "moved" && outcome.result.moved).to.equal(1);
            expect(await countMessages(clients.sqs, resources.queueUrl)).to.equal(1);
            expect((await listDlq(context)).map((e) => e.messageId)).to.deep.equal([otherMessageId]);
        });

        it("should purge the DLQ and never touch the order queue", async () => {
            await purgeDlq(context);
            expect(await countMessages(clients.sqs, resources.dlqUrl)).to.equal(0);
            expect(await countMessages(clients.sqs, resources.queueUrl)).to.equal(1);
            await expectRejection(purgeDlq({ ...context, target: { ...context.target, dlqUrl: resources.queueUrl } }), "the same URL");
        });
    });
});

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
    try {
        await promise;
    } catch (err) {
        expect((err as Error).message).to.include(message);
        return;
    }
    expect.fail("expected a rejection");
}
