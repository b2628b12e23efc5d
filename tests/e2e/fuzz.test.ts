import { expect } from "chai";
import { formatFuzzReport, runOrderFuzz } from "../../bench/fuzz/order-fuzz";
import { INPUT_CLASSES } from "../../bench/fuzz/fuzz-inputs";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";
import { createLocalClients } from "../../local/pipeline/local-clients";
import { startLocalPipeline, type LocalPipeline } from "../../local/pipeline/pipeline";
import { waitFor } from "../local/support/wait-for";
import { emailsByRecipient, orderFor, postOrder, readOrders } from "./support/orders";

/** The seeded subset of `npm run fuzz` that runs in npm test; the command runs thousands. */
const SEED = 20261204;
const RUNS = 35;

// End to end through local mode, with hostile input: the HTTP API, SubmitOrder, the queue, the
// worker, ProcessOrder and the emulators, each pipeline on its own table, queues and sender.
describe("hostile input through local mode", function () {
    this.timeout(120_000);
    const sender = "hostile-e2e@example.com";
    let emulators: Emulators;
    let pipeline: LocalPipeline;

    // One pipeline for both tests (each finds its own orders and emails): starting one bundles the handlers.
    before(async () => {
        emulators = await startEmulators();
        pipeline = await startLocalPipeline({ emulators, name: "hostile-e2e", args: { email: { sender } }, onLog: () => {} });
    });
    after(async () => {
        await pipeline?.stop();
        await emulators.stop();
    });

    it(`should answer a problem body or confirm with one well-formed email, for ${RUNS} seeded fuzz inputs`, async () => {
        const report = await runOrderFuzz(pipeline, { seed: SEED, runs: RUNS });

        expect(report.problems, formatFuzzReport(report)).to.deep.equal([]);
        expect(Object.values(report.inputs).reduce((a, b) => a + b, 0)).to.equal(RUNS);
        expect(INPUT_CLASSES.filter((c) => report.inputs[c] === 0), "input classes never drawn").to.deep.equal([]);
        expect(report.confirmed).to.equal(report.statuses["202"] ?? 0).and.be.greaterThan(0);
        expect(report.emails).to.equal(report.confirmed);
    });

    it("should refuse a poison name and confirm 9 orders sent at once right after it, one email each to its own customer", async () => {
        // Prepare
        const poisonRecipient = "poison.victim@example.com";
        const customers = Array.from({ length: 9 }, (_, i) => `innocent-${i}@example.com`);

        // Act: the poison (a lone surrogate in the name), then 9 good orders at once.
        const poison = await postOrder(pipeline.apiUrl, orderFor(poisonRecipient, "Ada \ud800 L"));
        const good = await Promise.all(customers.map((email) => postOrder(pipeline.apiUrl, orderFor(email))));

        // Assess
        expect(poison.status).to.equal(400);
        expect(poison.body.errors).to.deep.include({ pointer: "/customer/name", detail: "must be well-formed text with a visible character and no control characters" });
        expect(good.map((answer) => answer.status)).to.deep.equal(customers.map(() => 202));
        const orderIds = good.map((answer) => answer.body.orderId as string);
        const clients = createLocalClients(pipeline.endpoints);
        try {
            await waitFor(async () => {
                const orders = await readOrders(clients.dynamodb, pipeline.resources.tableName, orderIds);
                return orderIds.every((id) => orders.get(id)?.status === "CONFIRMED");
            }, "the 9 orders to be confirmed");
        } finally {
            clients.destroy();
        }
        const emails = await emailsByRecipient(pipeline.endpoints.ses, sender);
        expect(emails.has(poisonRecipient), "an email to the refused order's customer").to.equal(false);
        for (const [i, email] of customers.entries()) {
            const own = emails.get(email)!;
            expect(own, email).to.have.length(1);
            expect(own[0].destination.to).to.deep.equal([email]);
            expect(own[0].subject).to.include(orderIds[i]);
            expect(`${own[0].body.text}${own[0].body.html}`).not.to.include(poisonRecipient);
        }
    });
});
