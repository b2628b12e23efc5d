import { expect } from "chai";
import { ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";
import { createLocalClients, type LocalClients } from "../../local/pipeline/local-clients";
import { countMessages } from "../../local/pipeline/pipeline-stats";
import { redrive } from "../../local/dlq/redrive";
import { parseRedriveArgs, regionOfQueueUrl, resolveRedriveTarget } from "../../local/dlq/redrive-target";
import { createPipelineResources, type LocalResources } from "../../local/pipeline/resources";
import { stateFileIn, writeLocalState, type LocalState } from "../../local/pipeline/state-file";
import { resolveLocalSettings } from "../../local/pipeline/local-settings";

describe("redrive (DLQ back to the order queue)", () => {
    let emulators: Emulators;
    let clients: LocalClients;
    let n = 0;

    before(async () => {
        emulators = await startEmulators();
        clients = createLocalClients(emulators.endpoints);
    });
    after(async () => {
        clients.destroy();
        await emulators.stop();
    });

    const queues = () => createPipelineResources(clients, resolveLocalSettings(`redrive-${++n}`, {}, { visibilityTimeoutSeconds: 30 }));

    const fillDlq = async (resources: LocalResources, count: number) => {
        for (let i = 0; i < count; i += 10) {
            await clients.sqs.send(
                new SendMessageBatchCommand({
                    QueueUrl: resources.dlqUrl,
                    Entries: Array.from({ length: Math.min(10, count - i) }, (_, k) => ({
                        Id: String(k),
                        MessageBody: `dead-${i + k}`,
                        MessageAttributes: {
                            correlationId: { DataType: "String", StringValue: `corr-${i + k}` },
                            raw: { DataType: "Binary", BinaryValue: Buffer.from([i + k]) },
                        },
                    })),
                }),
            );
        }
    };

    const drain = async (queueUrl: string) => {
        const all: Array<{ body: string; correlationId?: string; raw?: number }> = [];
        for (;;) {
            const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], WaitTimeSeconds: 0 }));
            if (Messages.length === 0) return all;
            all.push(...Messages.map((m) => ({ body: m.Body!, correlationId: m.MessageAttributes?.correlationId?.StringValue, raw: m.MessageAttributes?.raw?.BinaryValue?.[0] })));
        }
    };

    it("should move every DLQ message back with its body and message attributes, and report the count", async () => {
        const resources = await queues();
        await fillDlq(resources, 23);
        const result = await redrive({ sqs: clients.sqs, fromQueueUrl: resources.dlqUrl, toQueueUrl: resources.queueUrl, ratePerSecond: 1000 });
        expect(result).to.deep.equal({ moved: 23, movedNotDeleted: 0, failed: 0, errors: [] });
        expect(await countMessages(clients.sqs, resources.dlqUrl)).to.equal(0);
        const moved = await drain(resources.queueUrl);
        expect(moved.map((m) => m.body).sort()).to.deep.equal(Array.from({ length: 23 }, (_, i) => `dead-${i}`).sort());
        for (const m of moved) {
            const i = Number(m.body.slice("dead-".length));
            expect(m.correlationId).to.equal(`corr-${i}`);
            expect(m.raw).to.equal(i);
        }
    });

    it("should move at most max messages and leave the rest in the DLQ", async () => {
        const resources = await queues();
        await fillDlq(resources, 12);
        const result = await redrive({ sqs: clients.sqs, fromQueueUrl: resources.dlqUrl, toQueueUrl: resources.queueUrl, ratePerSecond: 1000, max: 5 });
        expect(result.moved).to.equal(5);
        expect(await countMessages(clients.sqs, resources.queueUrl)).to.equal(5);
        expect(await countMessages(clients.sqs, resources.dlqUrl)).to.equal(7);
    });

    it("should hold to the rate: message n leaves no earlier than n / rate seconds after the start", async () => {
        const resources = await queues();
        await fillDlq(resources, 20);
        let clock = 0;
        const waits: number[] = [];
        const result = await redrive({
            sqs: clients.sqs,
            fromQueueUrl: resources.dlqUrl,
            toQueueUrl: resources.queueUrl,
            ratePerSecond: 4,
            now: () => clock,
            sleep: async (ms) => {
                waits.push(ms);
                clock += ms;
            },
        });
        expect(result.moved).to.equal(20);
        // Batches of 4 (the rate, below SQS's 10): the 2nd to 5th batch each wait one second.
        expect(waits).to.deep.equal([1000, 1000, 1000, 1000]);
    });

    it("should lose nothing when the target refuses: every message stays in the DLQ and the failure is reported", async () => {
        const resources = await queues();
        await fillDlq(resources, 6);
        const missing = resources.queueUrl.replace(/[^/]+$/, "no-such-queue");
        const result = await redrive({ sqs: clients.sqs, fromQueueUrl: resources.dlqUrl, toQueueUrl: missing, ratePerSecond: 1000 });
        expect(result.moved).to.equal(0);
        expect(result.failed).to.equal(6);
        expect(result.errors.join("\n")).to.match(/send/);
        // Made visible again at once, not after the 60 s the redrive had hidden them for.
        expect((await drain(resources.dlqUrl)).length).to.equal(6);
    });

    it("should refuse a redrive onto the DLQ itself and a rate that is not positive", async () => {
        const resources = await queues();
        const same = await redrive({ sqs: clients.sqs, fromQueueUrl: resources.dlqUrl, toQueueUrl: resources.dlqUrl }).catch((e: Error) => e.message);
        expect(same).to.equal("fromQueueUrl and toQueueUrl are the same queue");
        const rate = await redrive({ sqs: clients.sqs, fromQueueUrl: resources.dlqUrl, toQueueUrl: resources.queueUrl, ratePerSecond: 0 }).catch((e: Error) => e.message);
        expect(rate).to.equal("ratePerSecond must be positive, got 0");
    });

    describe("npm run redrive: which queues", () => {
        /** The state file of a local mode running in this process, with made-up addresses. */
        const runningLocalMode = (): LocalState => ({
            pid: process.pid,
            apiUrl: "http://127.0.0.1:1",
            emailViewerUrl: "http://127.0.0.1:2/",
            region: "us-east-1",
            endpoints: { dynamodb: "http://127.0.0.1:3", sqs: "http://127.0.0.1:4", ses: "http://127.0.0.1:2" },
            tableName: "t",
            queueUrl: "http://q",
            dlqUrl: "http://d",
            startedAt: new Date().toISOString(),
        });

        const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "redrive-target-"));
        const noPulumi = () => undefined;

        it("should use --queue-url and --dlq-url, with the region from the URL", () => {
            const args = parseRedriveArgs(["--queue-url", "https://sqs.eu-west-1.amazonaws.com/123456789012/q", "--dlq-url", "https://sqs.eu-west-1.amazonaws.com/123456789012/d", "--rate", "2.5", "--max", "7"]);
            expect(args).to.include({ rate: 2.5, max: 7 });
            const target = resolveRedriveTarget(args, dir(), noPulumi);
            expect(target).to.deep.include({ source: "flags", region: "eu-west-1", endpoint: undefined, credentials: undefined });
            expect(regionOfQueueUrl("https://sqs.cn-north-1.amazonaws.com.cn/1/q")).to.equal("cn-north-1");
        });

        it("should use a running local mode's state file", () => {
            const localDir = dir();
            writeLocalState(stateFileIn(localDir), runningLocalMode());
            const target = resolveRedriveTarget(parseRedriveArgs([]), localDir, noPulumi);
            expect(target).to.deep.include({ queueUrl: "http://q", dlqUrl: "http://d", endpoint: "http://127.0.0.1:4", region: "us-east-1" });
            expect(target.source).to.equal(`local mode (pid ${process.pid})`);
        });

        it("should take the email-events queue and its DLQ with --queue email-events, from local mode or the stack outputs", () => {
            const localDir = dir();
            const state = { ...runningLocalMode(), processLogFile: "/logs/orders-process.log" };
            writeLocalState(stateFileIn(localDir), { ...state, emailEvents: { queueUrl: "http://eq", dlqUrl: "http://ed", logFile: "/logs/orders-email-events.log" } });
            const local = resolveRedriveTarget(parseRedriveArgs(["--queue", "email-events"]), localDir, noPulumi);
            expect(local).to.deep.include({ queueUrl: "http://eq", dlqUrl: "http://ed", failureLog: { file: "/logs/orders-email-events.log" }, failureMessage: "email event failed" });
            // Without --queue: the order queue, as before.
            expect(resolveRedriveTarget(parseRedriveArgs([]), localDir, noPulumi)).to.deep.include({ queueUrl: "http://q", failureMessage: "record failed" });

            writeLocalState(stateFileIn(localDir), state);
            expect(() => resolveRedriveTarget(parseRedriveArgs(["--queue", "email-events"]), localDir, noPulumi)).to.throw("has no email-events queue: email is off");

            const outputs = {
                queueUrl: "https://sqs.us-west-2.amazonaws.com/1/orders-queue",
                deadLetterQueueUrl: "https://sqs.us-west-2.amazonaws.com/1/orders-dlq",
                emailEventsQueueUrl: "https://sqs.us-west-2.amazonaws.com/1/orders-ses-events-queue",
                emailEventsDeadLetterQueueUrl: "https://sqs.us-west-2.amazonaws.com/1/orders-ses-events-dlq",
                functionNames: { process: "orders-process-1", emailEvents: "orders-ses-events-2" },
            };
            const stack = resolveRedriveTarget(parseRedriveArgs(["--queue", "email-events", "--stack", "prod"]), dir(), () => outputs);
            expect(stack).to.deep.include({ queueUrl: outputs.emailEventsQueueUrl, dlqUrl: outputs.emailEventsDeadLetterQueueUrl, failureLog: { logGroup: "/aws/lambda/orders-ses-events-2" } });
            expect(() => resolveRedriveTarget(parseRedriveArgs(["--queue", "email-events", "--stack", "prod"]), dir(), () => ({ queueUrl: "q", deadLetterQueueUrl: "d" }))).to.throw(
                "has no emailEventsQueueUrl and emailEventsDeadLetterQueueUrl outputs",
            );
            expect(() => parseRedriveArgs(["--queue", "shipments"])).to.throw('--queue must be one of orders, email-events, got "shipments"');
            expect(() => parseRedriveArgs(["--queue", "orders", "--queue-url", "q", "--dlq-url", "d"])).to.throw("--queue and --queue-url are mutually exclusive");
        });

        it("should ignore the state file of a local mode that is gone, and fall back to the Pulumi stack outputs", () => {
            const localDir = dir();
            fs.writeFileSync(stateFileIn(localDir), JSON.stringify({ pid: 2 ** 22 + 12345, queueUrl: "http://q", dlqUrl: "http://d", endpoints: { sqs: "http://x" } }));
            const outputs = { queueUrl: "https://sqs.us-west-2.amazonaws.com/1/orders-queue", deadLetterQueueUrl: "https://sqs.us-west-2.amazonaws.com/1/orders-dlq" };
            const target = resolveRedriveTarget(parseRedriveArgs([]), localDir, () => outputs);
            expect(target).to.deep.include({ source: "the current pulumi stack", queueUrl: outputs.queueUrl, dlqUrl: outputs.deadLetterQueueUrl, region: "us-west-2" });
        });

        it("should say what to do when there is neither a local mode nor a Pulumi CLI, and reject half a pair of URLs", () => {
            expect(() => resolveRedriveTarget(parseRedriveArgs([]), dir(), noPulumi)).to.throw(/no local mode is running .* pass --queue-url and --dlq-url/);
            expect(() => parseRedriveArgs(["--queue-url", "https://x"])).to.throw("--queue-url and --dlq-url go together");
            expect(() => parseRedriveArgs(["--rate=-1"])).to.throw("--rate must be a positive number");
            expect(() => resolveRedriveTarget(parseRedriveArgs(["--stack", "prod"]), dir(), noPulumi)).to.throw(/needs the Pulumi CLI/);
            expect(() => resolveRedriveTarget(parseRedriveArgs(["--stack", "prod"]), dir(), () => ({ apiUrl: "x" }))).to.throw(/has no queueUrl and deadLetterQueueUrl outputs/);
        });
    });
});
