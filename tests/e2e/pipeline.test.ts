import { expect } from "chai";
import { DeleteMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { createHash } from "node:crypto";
import type { LocalPipelineOptions } from "../../local/pipeline/pipeline";
import { countMessages } from "../../local/pipeline/pipeline-stats";
import type { BatchReport } from "../../local/worker/sqs-worker";
import { waitFor } from "../local/support/wait-for";
import { call, emailsByRecipient, orderFor, postOrder, readOrders, receiveAll } from "./support/orders";
import { pipelinePerTest } from "./support/pipeline-per-test";

// End to end through local mode: HTTP API -> SubmitOrder bundle -> SQS emulator -> worker ->
// ProcessOrder bundle -> DynamoDB and SES emulators. Where a test needs failed records back
// quickly, it shortens the queue's visibility timeout (and says so); everything else runs with
// the component's defaults.
describe("end to end through local mode", function () {
    this.timeout(90_000);
    const local = pipelinePerTest((run, options) => ({
        name: `e2e-${run}`,
        // A 0.2 s long poll (fauxqs takes fractions) so that stopping a worker does not wait out a 1 s poll.
        pollWaitSeconds: 0.2,
        ...options,
        args: { email: { sender: `shop-${run}@example.com` }, ...options.args },
    }));
    /** A pipeline of its own (own table, queues and sender) on the file's emulators. */
    const pipeline = (options?: LocalPipelineOptions) => local.start(options);

    it("should answer 202 at once, store the order, send one confirmation, and show it on GET", async () => {
        const logs: string[] = [];
        const p = await pipeline({ onLog: (_fn, line) => logs.push(line) });
        const customer = `happy-${local.run}@example.com`;

        const posted = await postOrder(p.apiUrl, orderFor(customer));
        expect(posted.status).to.equal(202);
        expect(posted.body).to.deep.equal({ orderId: posted.body.orderId, status: "ACCEPTED" });
        expect(posted.location).to.equal(`/orders/${posted.body.orderId}`);

        let view = await call(`${p.apiUrl}${posted.location}`);
        await waitFor(async () => (view = await call(`${p.apiUrl}${posted.location}`)).status === 200 && view.body.status === "CONFIRMED", "the order to be confirmed");
        expect(view.body).to.deep.include({ orderId: posted.body.orderId, status: "CONFIRMED" });
        expect(view.body.totals).to.deep.equal({ currency: "EUR", subtotal: 2500, itemCount: 2, lineCount: 1 });
        expect(view.text).to.not.contain(customer);

        const emails = (await emailsByRecipient(p.endpoints.ses, p.emailSender!)).get(customer) ?? [];
        expect(emails).to.have.length(1);
        expect(emails[0].subject).to.contain(posted.body.orderId);

        const stats = await p.stats();
        expect(stats).to.deep.include({ stored: 1, emails: 1, queued: 0, dlq: 0 });
        expect(stats.api.accepted).to.equal(1);
        // The handlers log (every function wrote something) and never the customer's address.
        expect(stats.functions.submit.log.lines).to.be.greaterThan(0);
        expect(stats.functions.process.log.lines).to.be.greaterThan(0);
        expect(logs.filter((line) => line.includes(customer))).to.deep.equal([]);

        const unknown = await call(`${p.apiUrl}/orders/00000000-0000-4000-8000-000000000000`);
        expect(unknown.status).to.equal(404);
        expect(unknown.contentType).to.equal("application/problem+json");
    });

    it("should give a retried POST with the same Idempotency-Key the same order id, and make one order and one email", async () => {
        const p = await pipeline();
        const customer = `retry-${local.run}@example.com`;
        const first = await postOrder(p.apiUrl, orderFor(customer), { "idempotency-key": "checkout-42" });
        const second = await postOrder(p.apiUrl, orderFor(customer), { "idempotency-key": "checkout-42" });
        expect([first.status, second.status]).to.deep.equal([202, 202]);
        expect(second.body.orderId).to.equal(first.body.orderId);

        await waitFor(async () => (await countMessages(local.clients.sqs, p.resources.queueUrl)) === 0, "both messages to be processed");
        const stats = await p.stats();
        expect(stats).to.deep.include({ stored: 1, emails: 1, dlq: 0 });
        expect((await emailsByRecipient(p.endpoints.ses, p.emailSender!)).get(customer)).to.have.length(1);
    });

    it("should store one item and send one email per order when every message is delivered three times", async () => {
        // Failed records (a claim held by a concurrent copy) come back after 2 s instead of 181 s.
        const reports: BatchReport[] = [];
        const p = await pipeline({ worker: false, overrides: { visibilityTimeoutSeconds: 2 }, onBatch: (r) => reports.push(r) });
        const customers = Array.from({ length: 20 }, (_, i) => `dup-${local.run}-${i}@example.com`);
        const orderIds: string[] = [];
        for (const customer of customers) {
            const posted = await postOrder(p.apiUrl, orderFor(customer));
            expect(posted.status).to.equal(202);
            orderIds.push(posted.body.orderId);
        }

        // Replace each message by three copies (same body, same attributes): three deliveries each.
        const originals = await receiveAll(local.clients.sqs, p.resources.queueUrl, customers.length);
        expect(originals).to.have.length(customers.length);
        for (const m of originals) {
            for (let copy = 0; copy < 3; copy++) {
                await local.clients.sqs.send(new SendMessageCommand({ QueueUrl: p.resources.queueUrl, MessageBody: m.Body!, MessageAttributes: m.MessageAttributes }));
            }
            await local.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: p.resources.queueUrl, ReceiptHandle: m.ReceiptHandle! }));
        }
        expect(await countMessages(local.clients.sqs, p.resources.queueUrl)).to.equal(3 * customers.length);

        p.startWorker();
        // Checked every 0.2 s: the copies a concurrent claim held come back on a 2 s visibility timeout.
        await waitFor(async () => (await countMessages(local.clients.sqs, p.resources.queueUrl)) === 0, "every copy to be processed", { timeoutMs: 60_000, intervalMs: 200 });

        const stored = await readOrders(local.clients.dynamodb, p.resources.tableName, orderIds);
        expect([...stored.keys()].sort()).to.deep.equal([...orderIds].sort());
        for (const order of stored.values()) expect(order).to.deep.include({ status: "CONFIRMED", emailStatus: "SENT" });
        const emails = await emailsByRecipient(p.endpoints.ses, p.emailSender!);
        expect(customers.map((c) => emails.get(c)?.length ?? 0)).to.deep.equal(customers.map(() => 1));
        const stats = await p.stats();
        expect(stats).to.deep.include({ stored: customers.length, emails: customers.length, dlq: 0 });
        expect(new Set(reports.flatMap((r) => r.deleted)).size).to.equal(3 * customers.length);
    });

    it("should move malformed messages to the DLQ after exactly 3 receives while their batch-mates are stored", async () => {
        // Visibility shortened to 2 s so the poison comes back quickly; no batching window, so no
        // record waits in a gathering poller long enough to be redelivered to another one.
        const reports: BatchReport[] = [];
        const p = await pipeline({ worker: false, args: { processing: { maxBatchingWindowSeconds: 0 } }, overrides: { visibilityTimeoutSeconds: 2 }, onBatch: (r) => reports.push(r) });
        const customers = Array.from({ length: 7 }, (_, i) => `poison-mate-${local.run}-${i}@example.com`);
        const orderIds: string[] = [];
        for (const customer of customers) orderIds.push((await postOrder(p.apiUrl, orderFor(customer))).body.orderId);

        // A real message, taken apart: tampered order (hash mismatch), unknown schema version, not JSON.
        const [sample] = await receiveAll(local.clients.sqs, p.resources.queueUrl, 1, 0);
        const message = JSON.parse(sample.Body!);
        const poisonBodies = [
            JSON.stringify({ ...message, orderId: "00000000-0000-4000-8000-00000000beef", order: { ...message.order, currency: "USD" } }),
            JSON.stringify({ ...message, orderId: "00000000-0000-4000-8000-00000000cafe", schemaVersion: 99 }),
            "this is not an order",
        ];
        const poisonIds: string[] = [];
        for (const body of poisonBodies) {
            poisonIds.push((await local.clients.sqs.send(new SendMessageCommand({ QueueUrl: p.resources.queueUrl, MessageBody: body }))).MessageId!);
        }

        p.startWorker();
        // Checked every 0.2 s: the poison comes back on a 2 s visibility timeout, three times.
        await waitFor(async () => (await countMessages(local.clients.sqs, p.resources.dlqUrl)) === poisonIds.length, "the poison to reach the DLQ", { timeoutMs: 60_000, intervalMs: 200 });
        await waitFor(async () => (await countMessages(local.clients.sqs, p.resources.queueUrl)) === 0, "the queue to drain");

        const invocations = (id: string) => reports.filter((r) => r.messageIds.includes(id)).length;
        expect(poisonIds.map(invocations)).to.deep.equal([3, 3, 3]);
        const dead = await receiveAll(local.clients.sqs, p.resources.dlqUrl, poisonIds.length, 0);
        expect(dead.map((m) => m.MessageId).sort()).to.deep.equal([...poisonIds].sort());
        expect(dead.map((m) => createHash("sha256").update(m.Body!).digest("hex")).sort()).to.deep.equal(
            poisonBodies.map((b) => createHash("sha256").update(b).digest("hex")).sort(),
        );

        // The good orders: stored, emailed once, each delivered once although it shared a batch with poison.
        const stored = await readOrders(local.clients.dynamodb, p.resources.tableName, orderIds);
        expect(stored.size).to.equal(orderIds.length);
        expect(stored.has("00000000-0000-4000-8000-00000000beef")).to.equal(false);
        const mixed = reports.find((r) => r.outcome === "partial" && r.deleted.length > 0 && r.messageIds.some((id) => poisonIds.includes(id)));
        expect(mixed, "a batch with poison and good records").to.not.equal(undefined);
        const goodIds = reports.flatMap((r) => r.messageIds).filter((id) => !poisonIds.includes(id));
        expect(new Set(goodIds).size).to.equal(goodIds.length);
        const emails = await emailsByRecipient(p.endpoints.ses, p.emailSender!);
        expect(customers.map((c) => emails.get(c)?.length ?? 0)).to.deep.equal(customers.map(() => 1));
    });
});
