import { expect } from "chai";
import { startLocalPipeline, type LocalPipeline } from "../../local/pipeline/pipeline";
import { countMessages } from "../../local/pipeline/pipeline-stats";
import { createLocalClients, type LocalClients } from "../../local/pipeline/local-clients";
import { waitFor } from "../local/support/wait-for";
import { emailsByRecipient, orderFor, postOrder, readOrders, receiveAll } from "./support/orders";

// Six rounds of 50 concurrent POSTs: a backlog of 30 full batches for the 5 pollers, enough that
// every poller takes batches while the others hold theirs.
const ORDERS = 300;
const CONCURRENCY = 50;

// A burst through local mode with the component's defaults (batch size, batching window, maximum
// concurrency, visibility timeout): every 202 must end as a stored order or a DLQ message.
describe("end to end burst", function () {
    this.timeout(240_000);
    let pipeline: LocalPipeline;
    let clients: LocalClients;

    before(async () => {
        pipeline = await startLocalPipeline({ name: "burst", args: { email: { sender: "burst@example.com" } } });
        clients = createLocalClients(pipeline.endpoints);
    });
    after(async () => {
        clients.destroy();
        await pipeline.stop();
    });

    it(`should account for every one of ${ORDERS} orders posted ${CONCURRENCY} at a time: stored or in the DLQ, none lost`, async () => {
        const started = Date.now();
        const statuses = new Map<number, number>();
        const accepted: Array<{ orderId: string; customer: string }> = [];
        let next = 0;
        await Promise.all(
            Array.from({ length: CONCURRENCY }, async () => {
                for (let i = next++; i < ORDERS; i = next++) {
                    const customer = `burst-${i}@example.com`;
                    const answer = await postOrder(pipeline.apiUrl, orderFor(customer));
                    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
                    if (answer.status === 202) accepted.push({ orderId: answer.body.orderId, customer });
                }
            }),
        );
        const postedAt = Date.now();

        await waitFor(
            async () => {
                const stats = await pipeline.stats();
                return stats.queued === 0 && stats.stored + stats.dlq >= accepted.length;
            },
            "every accepted order to be stored or dead-lettered",
            { timeoutMs: 200_000, intervalMs: 100 },
        );
        const doneAt = Date.now();

        // Count: each 202's order id is in the table or in a DLQ message.
        const stored = await readOrders(clients.dynamodb, pipeline.resources.tableName, accepted.map((a) => a.orderId));
        const deadLetters = await receiveAll(clients.sqs, pipeline.resources.dlqUrl, await countMessages(clients.sqs, pipeline.resources.dlqUrl));
        const dead = new Set(deadLetters.map((m) => JSON.parse(m.Body!).orderId as string));
        const lost = accepted.filter((a) => !stored.has(a.orderId) && !dead.has(a.orderId));
        const emails = await emailsByRecipient(pipeline.endpoints.ses, "burst@example.com");
        const emailed = accepted.filter((a) => stored.has(a.orderId) && emails.get(a.customer)?.length === 1).length;

        process.stdout.write(
            `      burst: ${ORDERS} orders at concurrency ${CONCURRENCY}: ${accepted.length} accepted in ${((postedAt - started) / 1000).toFixed(1)} s, ` +
                `all settled after ${((doneAt - started) / 1000).toFixed(1)} s: stored ${stored.size}, DLQ ${dead.size}, lost ${lost.length}, emailed once ${emailed}\n`,
        );
        expect(Object.fromEntries(statuses)).to.deep.equal({ 202: ORDERS });
        expect(new Set(accepted.map((a) => a.orderId)).size).to.equal(ORDERS);
        expect(lost).to.deep.equal([]);
        expect(stored.size + dead.size).to.equal(ORDERS);
        expect(emailed).to.equal(stored.size);
        // The backlog was worked off by concurrent invocations, as the event source mapping does.
        expect((await pipeline.stats()).worker.peakConcurrency).to.be.at.least(2);
    });
});
