import { expect } from "chai";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";
import { startLocalPipeline, type LocalPipeline } from "../../local/pipeline/pipeline";
import type { BatchReport } from "../../local/worker/sqs-worker";
import { startFaultProxy, type FaultProxy } from "../../bench/fault-proxy";
import { orderFor, postOrder } from "../e2e/support/orders";
import { waitFor } from "./support/wait-for";

// The order queue hides a received message for 60 s here; the first retry delay is 1 s. An order
// that failed on SES can only be confirmed within the test's bound if the worker honours the
// visibility ProcessOrder set, as SQS does.
describe("local mode's worker with ProcessOrder's retry backoff", function () {
    this.timeout(60_000);
    let emulators: Emulators;
    let proxy: FaultProxy;
    let pipeline: LocalPipeline;
    const batches: BatchReport[] = [];

    before(async () => {
        emulators = await startEmulators();
        proxy = await startFaultProxy({ target: emulators.endpoints.ses, protocol: "ses", failureRate: 0 });
        pipeline = await startLocalPipeline({
            emulators,
            name: "backoff",
            // No batching window: each receive is invoked at once, so the wait is the retry delay's.
            args: { email: { sender: "shop@example.com" }, processing: { maxBatchingWindowSeconds: 0 } },
            overrides: { visibilityTimeoutSeconds: 60, retryBaseDelaySeconds: 1 },
            // fauxqs takes fractional waits: stopping the workers waits out 0.2 s, not a 1 s poll.
            pollWaitSeconds: 0.2,
            handlerEndpoints: { ses: proxy.url },
            onBatch: (report) => batches.push(report),
        });
    });
    after(async () => {
        await pipeline?.stop();
        await proxy?.close();
        await emulators?.stop();
    });

    it("should confirm an order that failed during an SES outage once SES is back, long before the visibility timeout", async () => {
        // Prepare: SES answers 503 to everything.
        proxy.setDown(true);
        const posted = await postOrder(pipeline.apiUrl, orderFor("backoff@example.com"));
        const orderId = posted.body.orderId as string;

        // Act: the first receive fails; then SES comes back.
        await waitFor(() => batches.some((b) => b.failed.length > 0), "a failed batch");
        proxy.setDown(false);
        await waitFor(async () => {
            const answer = await fetch(`${pipeline.apiUrl}/orders/${orderId}`);
            return answer.status === 200 && ((await answer.json()) as { status: string }).status === "CONFIRMED";
        }, "the order to be confirmed after the retry delay (the visibility timeout is 60 s)", { timeoutMs: 30_000, intervalMs: 200 });

        // Assess: the record came back as a second receive, not a new message.
        expect(posted.status).to.equal(202);
        expect(proxy.counts.refused).to.be.greaterThan(0);
        const receives = batches.flatMap((b) => b.receiveCounts);
        expect(receives).to.include(2);
        expect((await pipeline.stats()).dlq).to.equal(0);
    });
});
