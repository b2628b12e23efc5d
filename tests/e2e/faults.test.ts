import { expect } from "chai";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";
import { createLocalClients, type LocalClients } from "../../local/pipeline/local-clients";
import { startLocalPipeline, type LocalPipeline } from "../../local/pipeline/pipeline";
import { countMessages } from "../../local/pipeline/pipeline-stats";
import type { BatchReport } from "../../local/worker/sqs-worker";
import { waitFor } from "../local/support/wait-for";
import { seededRandom } from "../../bench/orders";
import { startFaultProxy, type FaultProxy } from "../../bench/fault-proxy";
import { emailsByRecipient, orderFor, postOrder, readOrders } from "./support/orders";

/** Share of DynamoDB and SES requests failed before they reach the emulator (500, throttling, dropped connection). */
const FAILURE_RATE = 0.2;
/**
 * The same request fails at most twice in a row, so the handlers' third SDK attempt gets through:
 * transient faults. (A fault that outlasts every retry right after SES accepted an email leaves
 * the send unrecorded; the redelivery then sends again. See the README on what local mode shows.)
 */
const MAX_CONSECUTIVE_FAILURES = 2;
/** Share of DynamoDB requests that take effect but whose answer is lost (the client cannot tell). */
const LOST_RESPONSE_RATE = 0.03;

// Shortened for these tests: ProcessOrder times out after 4 s instead of 30 s, the worker invokes
// it as soon as a receive returns (no batching window, which would add its 1 s before each start),
// and the order queue's visibility timeout is 6 s instead of 181 s. As in the deployed settings, a
// message comes back only after the email claim of the invocation that last held it has run out
// (the claim lasts until the invocation's deadline plus 1 s).
const PROCESS_TIMEOUT_SECONDS = 4;
const BATCHING_WINDOW_SECONDS = 0;
const VISIBILITY_TIMEOUT_SECONDS = 6;

describe("end to end under faults and crashes", function () {
    this.timeout(120_000);
    let emulators: Emulators;
    let clients: LocalClients;
    const closers: Array<() => Promise<void>> = [];

    before(async () => {
        emulators = await startEmulators();
        clients = createLocalClients(emulators.endpoints);
    });
    afterEach(async () => {
        for (const close of closers.splice(0).reverse()) await close();
    });
    after(async () => {
        clients.destroy();
        await emulators.stop();
    });

    const track = <T extends LocalPipeline | FaultProxy>(thing: T): T => {
        closers.push(() => ("stop" in thing ? thing.stop() : thing.close()));
        return thing;
    };

    it(`should store every accepted order and send each email once while ${FAILURE_RATE * 100}% of DynamoDB and SES calls fail`, async () => {
        const dynamodbProxy = track(
            await startFaultProxy({
                target: emulators.endpoints.dynamodb,
                protocol: "dynamodb",
                failureRate: FAILURE_RATE,
                maxConsecutiveFailures: MAX_CONSECUTIVE_FAILURES,
                lostResponseRate: LOST_RESPONSE_RATE,
                random: seededRandom(1),
            }),
        );
        const sesProxy = track(
            await startFaultProxy({ target: emulators.endpoints.ses, protocol: "ses", failureRate: FAILURE_RATE, maxConsecutiveFailures: MAX_CONSECUTIVE_FAILURES, random: seededRandom(2) }),
        );
        const p = track(
            await startLocalPipeline({
                emulators,
                name: "faults",
                args: {
                    email: { sender: "faults@example.com" },
                    functions: { processTimeoutSeconds: PROCESS_TIMEOUT_SECONDS },
                    processing: { maxBatchingWindowSeconds: BATCHING_WINDOW_SECONDS },
                },
                // Shorter than a deployment may set (6x the timeout plus the window), to see retries within the test.
                overrides: { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS },
                // fauxqs takes fractional waits: stopping the workers then waits out 0.2 s, not a 1 s poll.
                pollWaitSeconds: 0.2,
                handlerEndpoints: { dynamodb: dynamodbProxy.url, ses: sesProxy.url },
            }),
        );

        const customers = Array.from({ length: 30 }, (_, i) => `fault-${i}@example.com`);
        const orderIds: string[] = [];
        for (const customer of customers) {
            const posted = await postOrder(p.apiUrl, orderFor(customer));
            expect(posted.status).to.equal(202);
            orderIds.push(posted.body.orderId);
        }
        await waitFor(
            // The table itself, not the status line's counter: under faults an order can be stored by
            // an invocation that failed afterwards, which no metric line counts as a first store.
            async () =>
                (await countMessages(clients.sqs, p.resources.queueUrl)) === 0 &&
                (await countMessages(clients.sqs, p.resources.dlqUrl)) + (await readOrders(clients.dynamodb, p.resources.tableName, orderIds)).size >= orderIds.length,
            "every order to be processed",
            { timeoutMs: 100_000 },
        );

        expect(await countMessages(clients.sqs, p.resources.dlqUrl)).to.equal(0);
        const stored = await readOrders(clients.dynamodb, p.resources.tableName, orderIds);
        expect(orderIds.filter((id) => stored.get(id)?.status !== "CONFIRMED")).to.deep.equal([]);
        const emails = await emailsByRecipient(emulators.endpoints.ses, "faults@example.com");
        expect(customers.map((c) => emails.get(c)?.length ?? 0)).to.deep.equal(customers.map(() => 1));
        // The faults really happened, of every kind.
        for (const kind of ["server-error", "throttle", "drop"] as const) {
            expect(dynamodbProxy.counts[kind], `DynamoDB ${kind}`).to.be.greaterThan(0);
            expect(sesProxy.counts[kind], `SES ${kind}`).to.be.greaterThan(0);
        }
        expect(dynamodbProxy.counts["lost-response"]).to.be.greaterThan(0);
    });

    it("should store once and email once when the worker dies between storing an order and sending its email", async () => {
        const sesHang = track(await startFaultProxy({ target: emulators.endpoints.ses, protocol: "ses", failureRate: 0 }));
        sesHang.setHanging(true);
        const reports: BatchReport[] = [];
        const p = track(
            await startLocalPipeline({
                emulators,
                name: "crash",
                args: {
                    email: { sender: "crash@example.com" },
                    functions: { processTimeoutSeconds: PROCESS_TIMEOUT_SECONDS },
                    processing: { maxBatchingWindowSeconds: BATCHING_WINDOW_SECONDS },
                },
                // Shorter than a deployment may set (6x the timeout plus the window), to see retries within the test.
                overrides: { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS },
                // fauxqs takes fractional waits: stopping the workers then waits out 0.2 s, not a 1 s poll.
                pollWaitSeconds: 0.2,
                worker: false,
                onBatch: (r) => reports.push(r),
            }),
        );
        const customer = "crash-victim@example.com";
        const posted = await postOrder(p.apiUrl, orderFor(customer));
        expect(posted.status).to.equal(202);
        const orderId: string = posted.body.orderId;

        // The first worker's ProcessOrder reaches SES through a proxy that never answers: it stores
        // the order, claims the email, and hangs in SendEmail. Then the worker dies.
        const doomed = p.startWorker({ endpoints: { ses: sesHang.url } });
        await waitFor(async () => sesHang.counts.held > 0 && (await readOrders(clients.dynamodb, p.resources.tableName, [orderId])).has(orderId), "the order to be stored and its email stuck");
        doomed.abandon();
        const before = (await readOrders(clients.dynamodb, p.resources.tableName, [orderId])).get(orderId)!;
        expect(before.emailStatus).to.equal("CLAIMED");
        expect((await emailsByRecipient(emulators.endpoints.ses, "crash@example.com")).get(customer)).to.equal(undefined);

        // A new worker (a fresh ProcessOrder environment) gets the message after the visibility timeout.
        p.startWorker();
        await waitFor(async () => (await countMessages(clients.sqs, p.resources.queueUrl)) === 0, "the redelivered message to be processed", { timeoutMs: 60_000 });
        const after = (await readOrders(clients.dynamodb, p.resources.tableName, [orderId])).get(orderId)!;
        expect(after).to.deep.include({ status: "CONFIRMED", emailStatus: "SENT" });
        // Stored once: the item the first worker wrote is the item (its creation is untouched).
        expect([after.createdAt, after.receivedAt, after.payloadHash]).to.deep.equal([before.createdAt, before.receivedAt, before.payloadHash]);
        expect((await emailsByRecipient(emulators.endpoints.ses, "crash@example.com")).get(customer)).to.have.length(1);
        const abandoned = reports.find((r) => r.outcome === "abandoned")!;
        expect(abandoned.deleted).to.deep.equal([]);
        expect(reports.filter((r) => r.deleted.includes(abandoned.messageIds[0]))).to.have.length(1);
        expect(await countMessages(clients.sqs, p.resources.dlqUrl)).to.equal(0);
    });
});
