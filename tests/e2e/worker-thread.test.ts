import { expect } from "chai";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { LocalPipelineOptions } from "../../local/pipeline/pipeline";
import { countItems, countMessages } from "../../local/pipeline/pipeline-stats";
import type { BatchReport } from "../../local/worker/sqs-worker";
import { waitFor } from "../local/support/wait-for";
import { emailsByRecipient, orderFor, postOrder } from "./support/orders";
import { pipelinePerTest } from "./support/pipeline-per-test";

// The SQS worker and ProcessOrder on a thread of their own (`workerThread`, as `npm start` runs
// them): the same bundle and environment, with its logs, batch reports and counts brought back to
// the main thread.
describe("local mode with the worker on its own thread", function () {
    this.timeout(90_000);
    const local = pipelinePerTest((run, options) => ({
        name: `thread-${run}`,
        pollWaitSeconds: 0.2,
        workerThread: true,
        // No delivery events: every batch reported here is then ProcessOrder's.
        ordinaryRecipients: "ignore",
        ...options,
        args: { email: { sender: `thread-${run}@example.com` } },
    }));
    const pipeline = (options?: LocalPipelineOptions) => local.start(options);

    it("should store every order, send each confirmation once, and report its batches, logs and counts here", async () => {
        const reports: BatchReport[] = [];
        const logs: Array<[string, string]> = [];
        const p = await pipeline({ onBatch: (r) => reports.push(r), onLog: (fn, line) => logs.push([fn, line]) });
        const customers = Array.from({ length: 12 }, (_, n) => `thread-${local.run}-${n}@example.com`);
        const posted = await Promise.all(customers.map((c) => postOrder(p.apiUrl, orderFor(c))));
        expect(posted.map((a) => a.status)).to.deep.equal(customers.map(() => 202));

        await waitFor(async () => (await p.stats()).stored === customers.length, "every order to be stored");
        expect(await countItems(local.clients.dynamodb, p.resources.tableName)).to.equal(customers.length);
        const emails = await emailsByRecipient(p.endpoints.ses, p.emailSender!);
        for (const c of customers) expect(emails.get(c), c).to.have.length(1);

        await waitFor(async () => (await p.stats()).worker.deleted === customers.length, "every record to be deleted");
        const stats = await p.stats();
        expect(stats).to.deep.include({ stored: 12, emails: 12, queued: 0, processing: 0, dlq: 0 });
        expect(stats.worker).to.deep.include({ received: 12, deleted: 12, failed: 0, inFlight: 0 });
        expect(stats.functions.process.invocations).to.equal(stats.worker.batches);
        expect(stats.functions.process.log.lines).to.be.greaterThan(0);
        // Every record is in exactly one report, deleted.
        expect(reports.flatMap((r) => r.deleted).sort()).to.deep.equal(reports.flatMap((r) => r.messageIds).sort());
        expect(reports.flatMap((r) => r.messageIds)).to.have.length(12);
        expect(reports.every((r) => r.outcome === "ok")).to.equal(true);
        // The thread's log lines reach the listener under ProcessOrder's name, and count as the main thread counts them.
        const processLines = logs.filter(([fn]) => fn === `thread-${local.run}-process`);
        expect(processLines.length).to.equal(stats.functions.process.log.lines);
    });

    it("should report a record ProcessOrder rejects as a partial batch failure, leaving it on the queue", async () => {
        const reports: BatchReport[] = [];
        const p = await pipeline({ onBatch: (r) => reports.push(r) });
        const sent = await local.clients.sqs.send(new SendMessageCommand({ QueueUrl: p.resources.queueUrl, MessageBody: "not an order message" }));
        await waitFor(() => reports.some((r) => r.messageIds.includes(sent.MessageId!)), "the batch with the bad record");
        const report = reports.find((r) => r.messageIds.includes(sent.MessageId!))!;
        expect(report.failed).to.deep.equal([sent.MessageId]);
        expect(report.deleted).to.deep.equal([]);
        expect(await countMessages(local.clients.sqs, p.resources.queueUrl)).to.equal(1);
    });

    it("should, when stopped under load, lose nothing: every accepted order is stored or still on the queue", async () => {
        const p = await pipeline();
        const posted = await Promise.all(Array.from({ length: 40 }, (_, n) => postOrder(p.apiUrl, orderFor(`stop-${local.run}-${n}@example.com`))));
        expect(posted.every((a) => a.status === 202)).to.equal(true);
        await p.drain();
        const stored = await countItems(local.clients.dynamodb, p.resources.tableName);
        const queued = await countMessages(local.clients.sqs, p.resources.queueUrl);
        expect(stored + queued).to.equal(40);
        expect((await p.stats()).stored).to.equal(stored);
    });
});
