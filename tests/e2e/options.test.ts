import { ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { signInToken } from "../../local/auth/local-user-pool";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";
import { createLocalClients, type LocalClients } from "../../local/pipeline/local-clients";
import { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from "../../local/pipeline/pipeline";
import { formatStatus } from "../../local/pipeline/pipeline-stats";
import { waitFor } from "../local/support/wait-for";
import { call, orderFor, postOrder, type ApiAnswer } from "./support/orders";

// End to end through local mode with the three options on, as `npm start -- --workflows --events
// --auth` runs them: sign-in with a local token, the shipping workflow run by the Step Functions
// emulator and answered by the local warehouse, the order events on the local subscriber queue,
// and a refund. The warehouse packs for a fraction of a second here instead of two, and the worker
// takes each order at once (no batching window).
describe("end to end through local mode with workflows, events and sign-in", function () {
    this.timeout(60_000);
    let emulators: Emulators;
    let clients: LocalClients;
    let localDir: string;
    let run = 0;
    const pipelines: LocalPipeline[] = [];

    before(async () => {
        emulators = await startEmulators();
        clients = createLocalClients(emulators.endpoints);
        localDir = fs.mkdtempSync(path.join(os.tmpdir(), "order-pipeline-options-"));
    });
    afterEach(async () => {
        for (const p of pipelines.splice(0)) await p.stop();
    });
    after(async () => {
        clients.destroy();
        await emulators.stop();
        fs.rmSync(localDir, { recursive: true, force: true });
    });

    const pipeline = async (options: LocalPipelineOptions) => {
        run++;
        const p = await startLocalPipeline({
            emulators,
            name: `opt-${run}`,
            localDir,
            // A 0.2 s long poll (fauxqs takes fractions): each of the pipeline's pollers (orders,
            // email events, the warehouse) then stops after 0.2 s instead of waiting out a 1 s poll.
            pollWaitSeconds: 0.2,
            ...options,
            args: { processing: { maxBatchingWindowSeconds: 0 }, ...options.args },
        });
        pipelines.push(p);
        return p;
    };

    /** The order events on a queue so far, by detail-type, for one order. */
    const eventsFor = async (queueUrl: string, orderId: string, seen: Message[]) => {
        const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        seen.push(...Messages);
        return seen.map((m) => JSON.parse(m.Body!)).filter((e) => e.detail?.orderId === orderId);
    };

    /** Polls GET until `status`, recording every status seen on the way. */
    const untilStatus = async (url: string, headers: Record<string, string>, status: string, seen: string[]): Promise<ApiAnswer> => {
        let view: ApiAnswer | undefined;
        await waitFor(
            async () => {
                view = await call(url, { headers });
                if (view.status === 200 && seen.at(-1) !== view.body.status) seen.push(view.body.status);
                return view.status === 200 && view.body.status === status;
            },
            `the order to be ${status}`,
            { timeoutMs: 20_000, intervalMs: 25 },
        );
        return view!;
    };

    it("should take an order with a token, ship it through the warehouse, publish OrderPlaced and OrderShipped, and refund it", async () => {
        const p = await pipeline({
            args: { email: { sender: "shop@example.com" }, workflows: {}, events: {}, auth: { cognito: {} } },
            warehouse: { mode: "ship", packingMs: 300 },
        });
        const customer = "ada@example.com";
        const token = signInToken(p.options.auth!.pool, { email: customer });
        const auth = { authorization: `Bearer ${token}` };

        expect((await postOrder(p.apiUrl, orderFor(customer))).status).to.equal(401);
        const posted = await postOrder(p.apiUrl, orderFor(customer), auth);
        expect(posted.status).to.equal(202);
        const { orderId } = posted.body;
        const url = `${p.apiUrl}/orders/${orderId}`;

        const seen: string[] = [];
        const shipped = await untilStatus(url, auth, "SHIPPED", seen);
        // Every status GET showed came in the workflow's order, ending SHIPPED after PREPARING (the warehouse packs).
        const ORDER = ["STORED", "CONFIRMED", "PREPARING", "SHIPPED"];
        expect(seen.map((s) => ORDER.indexOf(s))).to.deep.equal([...seen.map((s) => ORDER.indexOf(s))].sort((a, b) => a - b));
        expect(seen).to.include("PREPARING");
        expect(shipped.body.shipment).to.deep.include({ carrier: "Local Parcel Service", trackingNumber: p.options.workflows!.warehouse.parcel(orderId)!.trackingNumber });
        expect((await call(url, { headers: { authorization: `Bearer ${signInToken(p.options.auth!.pool, { email: "grace@example.com" })}` } })).status).to.equal(403);

        const messages: Message[] = [];
        const subscriber = p.options.events!.subscriberQueueUrl;
        await waitFor(async () => (await eventsFor(subscriber, orderId, messages)).some((e) => e["detail-type"] === "OrderShipped"), "OrderShipped on the subscriber queue");
        const placedAndShipped = (await eventsFor(subscriber, orderId, messages)).map((e) => e["detail-type"]);
        expect(placedAndShipped).to.include.members(["OrderPlaced", "OrderShipped"]);

        const refund = await call(`${url}/refund`, { method: "POST", headers: auth });
        expect(refund.status).to.equal(202);
        await untilStatus(url, auth, "REFUNDED", []);
        await waitFor(async () => (await eventsFor(subscriber, orderId, messages)).some((e) => e["detail-type"] === "OrderRefunded"), "OrderRefunded on the subscriber queue");

        const executions = p.options.workflows!.emulator.executions();
        expect(executions.map((e) => [e.name, e.status])).to.deep.equal([
            [`ship-${orderId}`, "SUCCEEDED"],
            [`refund-${orderId}`, "SUCCEEDED"],
        ]);
        const stats = await p.stats();
        expect(stats.executions).to.deep.equal({ started: 2, running: 0, succeeded: 2, failed: 0 });
        expect(stats.events!.published).to.be.at.least(3);
        expect(formatStatus(stats)).to.match(/executions 2 \(0 running, 0 failed\) · events \d+ \(\d+ delivered\)$/);
        // The archive kept every event the bus accepted.
        expect(p.options.events!.emulator.archivedEvents(p.options.events!.archiveName)).to.have.length(stats.events!.published);
    });

    it("should leave the order PREPARING and end its shipping execution FAILED when the warehouse refuses, or ignores it until the timeout", async () => {
        // Two pipelines at once, one per warehouse mode; the ignoring one waits 1 s for the warehouse.
        const [refusing, ignoring] = await Promise.all([
            pipeline({ args: { workflows: {}, events: {} }, warehouse: { mode: "fail", packingMs: 0 } }),
            pipeline({ args: { workflows: {} }, warehouse: { mode: "ignore" }, overrides: { shipmentTimeoutSeconds: 1 } }),
        ]);
        const [refused, ignored] = await Promise.all([
            postOrder(refusing.apiUrl, orderFor("refused@example.com")),
            postOrder(ignoring.apiUrl, orderFor("ignored@example.com")),
        ]);
        const ended = (p: LocalPipeline) => p.options.workflows!.emulator.executions().filter((e) => e.status !== "RUNNING");
        await waitFor(() => ended(refusing).length === 1 && ended(ignoring).length === 1, "both shipping executions to end");

        const [refusedRun] = ended(refusing);
        expect(refusedRun).to.include({ name: `ship-${refused.body.orderId}`, status: "FAILED" });
        expect(refusing.options.workflows!.warehouse.counts).to.include({ requests: 1, refused: 1, shipped: 0 });
        expect((await call(`${refusing.apiUrl}/orders/${refused.body.orderId}`)).body.status).to.equal("PREPARING");
        expect((await eventsFor(refusing.options.events!.subscriberQueueUrl, refused.body.orderId, [])).map((e) => e["detail-type"])).to.deep.equal(["OrderPlaced"]);

        const [ignoredRun] = ended(ignoring);
        expect(ignoredRun).to.include({ name: `ship-${ignored.body.orderId}`, status: "FAILED" });
        expect(ignoredRun.error).to.match(/TimedOut|Timeout/);
        expect(ignoring.options.workflows!.warehouse.counts).to.include({ requests: 1, ignored: 1, shipped: 0 });
        expect((await call(`${ignoring.apiUrl}/orders/${ignored.body.orderId}`)).body.status).to.equal("PREPARING");
    });
});
