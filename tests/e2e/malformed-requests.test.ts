import { expect } from "chai";
import fc from "fast-check";
import { startLocalPipeline, type LocalPipeline } from "../../local/pipeline/pipeline";
import { countMessages } from "../../local/pipeline/pipeline-stats";
import { createLocalClients, type LocalClients } from "../../local/pipeline/local-clients";
import { malformedRequest, validOrder } from "./support/malformed-requests";
import { call, postOrder } from "./support/orders";

const RUNS = 1_200;

// Property-based: generated malformed requests (wrong types, missing fields, out-of-range values,
// unknown and prototype-pollution keys, deep nesting, bad JSON, bad UTF-8, huge bodies, wrong
// content types and codings, bad Idempotency-Keys, bad order ids) through the local HTTP API.
describe("end to end: malformed requests", function () {
    this.timeout(180_000);
    let pipeline: LocalPipeline;
    let clients: LocalClients;

    before(async () => {
        // No worker: whatever SubmitOrder enqueued stays on the queue to be counted. No email either:
        // the API's functions get the same environment with it or without, and nothing here is sent.
        pipeline = await startLocalPipeline({ name: "fuzz", worker: false });
        clients = createLocalClients(pipeline.endpoints);
    });
    after(async () => {
        clients.destroy();
        await pipeline.stop();
    });

    it(`should answer each of ${RUNS} malformed requests with a 4xx problem body and enqueue nothing`, async () => {
        await fc.assert(
            fc.asyncProperty(malformedRequest, async (request) => {
                const answer = await call(`${pipeline.apiUrl}${request.path}`, {
                    method: request.method,
                    headers: request.headers,
                    ...(request.body ? { body: request.body } : {}),
                });
                const where = `${request.fault}: ${answer.status} ${answer.text.slice(0, 300)}`;
                expect(answer.status, where).to.be.within(400, 499);
                expect(answer.contentType, where).to.equal("application/problem+json");
                expect(answer.body, where).to.be.an("object");
                expect(answer.body.type, where).to.match(/^urn:order-pipeline:problem:[a-z-]+$/);
                expect(answer.body.title, where).to.be.a("string").that.is.not.empty;
                expect(answer.body.status, where).to.equal(answer.status);
                expect(answer.body.detail, where).to.be.a("string").that.is.not.empty;
                expect(answer.text, where).to.not.match(/\bat .+\.(js|ts):\d+/);
            }),
            { numRuns: RUNS },
        );

        const stats = await pipeline.stats();
        expect(stats.api).to.deep.include({ accepted: 0, failed: 0 });
        expect(stats.api.rejected).to.be.at.least(RUNS);
        expect(await countMessages(clients.sqs, pipeline.resources.queueUrl)).to.equal(0);

        // The generator's valid orders are accepted, so the rejections above were for the faults alone.
        const valid = fc.sample(validOrder, { numRuns: 10, seed: 42 });
        for (const order of valid) expect((await postOrder(pipeline.apiUrl, order)).status).to.equal(202);
        expect(await countMessages(clients.sqs, pipeline.resources.queueUrl)).to.equal(valid.length);
    });
});
