import { BATCH_SIZE, MAX_CONCURRENCY } from "../../contract/defaults";
import type { PipelineSettings } from "../../contract/settings";
import { expect } from "chai";
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { createHash } from "node:crypto";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";
import { FunctionInvocationError } from "../../local/lambda/lambda-sandbox";
import { createLocalClients, type LocalClients } from "../../local/pipeline/local-clients";
import { countMessages } from "../../local/pipeline/pipeline-stats";
import { createPipelineResources, type LocalResources } from "../../local/pipeline/resources";
import { startSqsWorker, type BatchReport, type SqsWorker } from "../../local/worker/sqs-worker";
import { waitFor } from "./support/wait-for";
import { resolveLocalSettings } from "../../local/pipeline/local-settings";

// The worker is tested against the real SQS emulator with stand-in functions, so that each rule of
// the event source mapping can be provoked on purpose. Where failed records must come back within
// the test, queues use a visibility timeout of 1 second instead of the derived 181 s, and a
// batching window shorter than it (as the deployed settings keep it far shorter).
/** The batching window of the tests' workers: far below the 1 s visibility timeouts, and the deployed default of 1 s. */
const TEST_BATCHING_WINDOW_SECONDS = 0.1;

describe("local SQS worker (Lambda's SQS event source mapping)", function () {
    this.timeout(60_000);
    let emulators: Emulators;
    let clients: LocalClients;
    let queueCount = 0;
    const workers: SqsWorker[] = [];

    before(async () => {
        emulators = await startEmulators();
        clients = createLocalClients(emulators.endpoints);
    });
    afterEach(async () => {
        for (const w of workers.splice(0)) await w.stop(5_000);
    });
    after(async () => {
        clients.destroy();
        await emulators.stop();
    });

    const newQueue = (visibilityTimeoutSeconds = 1): Promise<LocalResources> =>
        createPipelineResources(clients, resolveLocalSettings(`worker-${++queueCount}`, {}, { visibilityTimeoutSeconds }));

    const send = async (resources: LocalResources, bodies: string[], attributes = false) => {
        for (let i = 0; i < bodies.length; i += 10) {
            await clients.sqs.send(
                new SendMessageBatchCommand({
                    QueueUrl: resources.queueUrl,
                    Entries: bodies.slice(i, i + 10).map((body, n) => ({
                        Id: String(n),
                        MessageBody: body,
                        ...(attributes
                            ? {
                                  MessageAttributes: {
                                      correlationId: { DataType: "String", StringValue: `c-${body}` },
                                      blob: { DataType: "Binary", BinaryValue: Buffer.from([1, 2, 3]) },
                                  },
                              }
                            : {}),
                    })),
                }),
            );
        }
    };

    const start = (
        resources: LocalResources,
        invoke: (event: SQSEvent) => Promise<unknown>,
        reports: BatchReport[],
        {
            processing,
            ...extra
        }: { processing?: Partial<PipelineSettings["processing"]>; pollWaitSeconds?: number; onError?: (error: Error) => void; sqs?: SQSClient } = {},
    ) => {
        const worker = startSqsWorker({
            sqs: clients.sqs,
            queueUrl: resources.queueUrl,
            queue: { arn: resources.queueArn, region: "us-east-1" },
            invoke,
            // A batching window of 0.1 s unless a test sets one: no test here waits for a partial batch to fill.
            processing: { batchSize: BATCH_SIZE, maxBatchingWindowSeconds: TEST_BATCHING_WINDOW_SECONDS, maximumConcurrency: MAX_CONCURRENCY, ...processing },
            onBatch: (r) => reports.push(r),
            // fauxqs takes fractional waits: stopping a worker then waits out 0.2 s, not a 1 s poll.
            pollWaitSeconds: 0.2,
            ...extra,
        });
        workers.push(worker);
        return worker;
    };

    it("should invoke with a real SQS event: system and message attributes in Lambda's shape, MD5, source ARN", async () => {
        const resources = await newQueue(30);
        await send(resources, ["one"], true);
        const seen: SQSRecord[] = [];
        const reports: BatchReport[] = [];
        start(resources, async (event) => void seen.push(...event.Records), reports);
        await waitFor(() => reports.length === 1, "one batch");

        const [record] = seen;
        expect(record.body).to.equal("one");
        expect(record.md5OfBody).to.equal(createHash("md5").update("one").digest("hex"));
        expect(record.eventSource).to.equal("aws:sqs");
        expect(record.eventSourceARN).to.equal(resources.queueArn);
        expect(record.awsRegion).to.equal("us-east-1");
        expect(record.receiptHandle).to.be.a("string").that.is.not.empty;
        expect(record.attributes.ApproximateReceiveCount).to.equal("1");
        expect(Number(record.attributes.SentTimestamp)).to.be.greaterThan(0);
        expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).to.be.at.least(Number(record.attributes.SentTimestamp));
        expect(record.messageAttributes).to.deep.equal({
            correlationId: { stringValue: "c-one", stringListValues: [], binaryListValues: [], dataType: "String" },
            blob: { binaryValue: Buffer.from([1, 2, 3]).toString("base64"), stringListValues: [], binaryListValues: [], dataType: "Binary" },
        });
        expect(record.md5OfMessageAttributes).to.be.a("string").with.length(32);
        expect(reports[0]).to.include({ outcome: "ok" });
        expect(await countMessages(clients.sqs, resources.queueUrl)).to.equal(0);
    });

    it("should delete only the records not reported in batchItemFailures, and redeliver the failed one", async () => {
        const resources = await newQueue();
        await send(resources, ["good-1", "bad", "good-2"]);
        const deliveries = new Map<string, number>();
        const reports: BatchReport[] = [];
        start(
            resources,
            async (event) => {
                for (const r of event.Records) deliveries.set(r.body, (deliveries.get(r.body) ?? 0) + 1);
                const bad = event.Records.filter((r) => r.body === "bad" && (deliveries.get("bad") ?? 0) < 2);
                return { batchItemFailures: bad.map((r) => ({ itemIdentifier: r.messageId })) };
            },
            reports,
            { processing: { maxBatchingWindowSeconds: 0.2 } },
        );
        await waitFor(() => deliveries.get("bad") === 2 && reports.length >= 2, "the failed record to come back once");
        await waitFor(async () => (await countMessages(clients.sqs, resources.queueUrl)) === 0, "the queue to drain");
        expect(deliveries.get("good-1")).to.equal(1);
        expect(deliveries.get("good-2")).to.equal(1);
        expect(reports.some((r) => r.outcome === "partial" && r.failed.length === 1)).to.equal(true);
    });

    it("should fail the whole batch when batchItemFailures names a message that is not in the batch", async () => {
        const resources = await newQueue();
        await send(resources, ["a", "b"]);
        let calls = 0;
        const reports: BatchReport[] = [];
        start(
            resources,
            async () => {
                calls++;
                if (calls === 1) return { batchItemFailures: [{ itemIdentifier: "not-a-message-of-this-batch" }] };
                return { batchItemFailures: [] };
            },
            reports,
            { processing: { maximumConcurrency: 1, maxBatchingWindowSeconds: 0.2 } },
        );
        await waitFor(async () => reports.length >= 2 && (await countMessages(clients.sqs, resources.queueUrl)) === 0, "the batch to be retried");
        expect(reports[0].outcome).to.equal("invalid-response");
        expect(reports[0].deleted).to.deep.equal([]);
        expect(reports[0].reason).to.contain("not in the batch");
        const redelivered = reports.slice(1).flatMap((r) => r.receiveCounts);
        expect(redelivered.every((n) => n === 2)).to.equal(true);
    });

    it("should leave the whole batch to the visibility timeout when the function throws or times out", async () => {
        const resources = await newQueue();
        await send(resources, ["x", "y", "z"]);
        let calls = 0;
        const reports: BatchReport[] = [];
        start(
            resources,
            async () => {
                calls++;
                if (calls === 1) throw new Error("boom");
                if (calls === 2) throw new FunctionInvocationError("Task timed out after 0.10 seconds", true);
                return undefined;
            },
            reports,
            { processing: { maximumConcurrency: 1, maxBatchingWindowSeconds: 0.2 } },
        );
        await waitFor(async () => calls >= 3 && (await countMessages(clients.sqs, resources.queueUrl)) === 0, "the third attempt to succeed");
        expect(reports.map((r) => r.outcome).slice(0, 2)).to.deep.equal(["error", "timeout"]);
        expect(reports[0].deleted).to.deep.equal([]);
        expect(reports[1].deleted).to.deep.equal([]);
        expect(reports[2].receiveCounts.every((n) => n === 3)).to.equal(true);
    });

    it("should move a record that always fails to the DLQ after exactly maxReceiveCount (3) invocations", async () => {
        const resources = await newQueue();
        await send(resources, ["poison"]);
        const receiveCounts: number[] = [];
        const reports: BatchReport[] = [];
        start(
            resources,
            async (event) => {
                receiveCounts.push(...event.Records.map((r) => Number(r.attributes.ApproximateReceiveCount)));
                return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
            },
            reports,
            // No batching window: each receive is invoked at once, well within the 1 s visibility timeout.
            { processing: { maxBatchingWindowSeconds: 0 } },
        );
        await waitFor(async () => (await countMessages(clients.sqs, resources.dlqUrl)) === 1, "the poison message to reach the DLQ");
        const dead = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.dlqUrl, WaitTimeSeconds: 0 }));
        expect(dead.Messages?.map((m) => m.Body)).to.deep.equal(["poison"]);
        expect(receiveCounts).to.deep.equal([1, 2, 3]);
        expect(await countMessages(clients.sqs, resources.queueUrl)).to.equal(0);
    });

    it("should never exceed the batch size or the maximum concurrency, and process every message once", async () => {
        const resources = await newQueue(30);
        const bodies = Array.from({ length: 120 }, (_, i) => `m-${i}`);
        await send(resources, bodies);
        let running = 0;
        let peak = 0;
        const seen: string[] = [];
        const reports: BatchReport[] = [];
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const worker = start(
            resources,
            async (event) => {
                running++;
                peak = Math.max(peak, running);
                seen.push(...event.Records.map((r) => r.body));
                // Hold the first invocations until every poller has one, so concurrency is really exercised.
                if (running >= 3) release();
                await gate;
                running--;
                return { batchItemFailures: [] };
            },
            reports,
            { processing: { batchSize: 7, maximumConcurrency: 3, maxBatchingWindowSeconds: 0.2 } },
        );
        await waitFor(() => seen.length === bodies.length && reports.length * 7 >= bodies.length, "every message");
        expect(peak).to.equal(3);
        expect(worker.counts.peakConcurrency).to.equal(3);
        expect(reports.every((r) => r.messageIds.length <= 7)).to.equal(true);
        expect([...seen].sort()).to.deep.equal([...bodies].sort());
        await waitFor(async () => (await countMessages(clients.sqs, resources.queueUrl)) === 0, "the queue to drain");
    });

    it("should let an invocation in progress finish and delete its records when stopped", async () => {
        const resources = await newQueue(30);
        await send(resources, ["slow"]);
        const { invoked, finish, handler: held } = heldInvocation();
        const reports: BatchReport[] = [];
        const worker = start(
            resources,
            held,
            reports,
        );
        await invoked;
        const stopped = worker.stop(10_000);
        finish();
        await stopped;
        expect(reports.map((r) => r.outcome)).to.deep.equal(["ok"]);
        expect(await countMessages(clients.sqs, resources.queueUrl)).to.equal(0);
    });

    it("should, told its senders are stopping, poll without a long-poll wait and stop only once its queue is empty", async () => {
        const resources = await newQueue(30);
        // The wait of every ReceiveMessage the worker sends, in order.
        const waits: number[] = [];
        const sqs = {
            send: (command: Parameters<SQSClient["send"]>[0]) => {
                if (command instanceof ReceiveMessageCommand) waits.push(command.input.WaitTimeSeconds ?? 0);
                return clients.sqs.send(command as never);
            },
        } as unknown as SQSClient;
        const seen: string[] = [];
        const reports: BatchReport[] = [];
        // One poller with a 20 s long poll: a stop that waited one out would outlast the grace below.
        const worker = start(resources, async (event) => void seen.push(...event.Records.map((r) => r.body)), reports, {
            processing: { maximumConcurrency: 1 },
            pollWaitSeconds: 20,
            sqs,
        });
        await waitFor(() => waits.length === 1, "the first long poll");
        worker.drainOnStop();
        // The long poll under way keeps its wait, and returns these as they arrive.
        await send(resources, ["early-1", "early-2"]);
        await waitFor(() => seen.length === 2, "the records sent during the long poll");
        await send(resources, ["late"]);
        await worker.stop(5_000);

        expect(seen).to.have.members(["early-1", "early-2", "late"]);
        expect(reports.map((r) => r.outcome)).to.deep.equal(reports.map(() => "ok"));
        expect(await countMessages(clients.sqs, resources.queueUrl)).to.equal(0);
        expect(waits[0]).to.equal(20);
        expect(waits.length).to.be.greaterThan(1);
        expect(waits.slice(1), "every receive after drainOnStop is a short poll").to.deep.equal(waits.slice(1).map(() => 0));
    });

    it("should delete nothing after being abandoned mid-batch, so the message comes back to the next worker", async () => {
        const resources = await newQueue();
        await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: "held" }));
        const { invoked, finish, handler: held } = heldInvocation();
        const firstReports: BatchReport[] = [];
        const first = start(
            resources,
            held,
            firstReports,
            // One poller and no batching window: no other receive of the message before the abandon.
            { processing: { maximumConcurrency: 1, maxBatchingWindowSeconds: 0 } },
        );
        await invoked;
        first.abandon();
        finish();
        await waitFor(() => firstReports.length === 1, "the abandoned batch to settle");
        expect(firstReports[0]).to.deep.include({ outcome: "abandoned", deleted: [] });

        const secondSeen: number[] = [];
        const secondReports: BatchReport[] = [];
        start(resources, async (event) => void secondSeen.push(...event.Records.map((r) => Number(r.attributes.ApproximateReceiveCount))), secondReports);
        await waitFor(() => secondReports.length === 1, "the next worker to get the message");
        expect(secondSeen).to.deep.equal([2]);
        expect(await countMessages(clients.sqs, resources.queueUrl)).to.equal(0);
    });
});

/** A handler that signals when it is invoked and answers (no failures) only when `finish` is called. */
function heldInvocation() {
    let started!: () => void;
    const invoked = new Promise<void>((resolve) => (started = resolve));
    let finish!: () => void;
    const finishing = new Promise<void>((resolve) => (finish = resolve));
    const handler = async () => {
        started();
        await finishing;
        return { batchItemFailures: [] };
    };
    return { invoked, finish, handler };
}
