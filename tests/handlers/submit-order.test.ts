import { expect } from "chai";
import fc from "fast-check";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { SQSClient } from "@aws-sdk/client-sqs";
import { MAX_BODY_BYTES } from "../../handlers/http/body";
import { IDEMPOTENCY_KEY_MAX_LENGTH } from "../../handlers/order/idempotency";
import { payloadHash } from "../../handlers/order/payload-hash";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import { createSubmitOrderHandler, SUBMIT_RETRY_AFTER_SECONDS } from "../../handlers/submit/submit-order-handler";
import type { LocalResources } from "../../local/pipeline/resources";
import { jsonValueArb, orderArb } from "./support/arbitraries";
import { clientsFor, closedPortUrl, freshResources, LOCAL_AWS, sharedEmulators, type TestClients } from "./support/emulators";
import { httpEvent, lineCollector, postOrderEvent, sampleOrder } from "./support/fixtures";
import { receiveAll } from "./support/queue";

const RECEIVED_AT = new Date("2025-03-01T10:00:00.000Z");

describe("SubmitOrder on the SQS emulator", () => {
    let clients: TestClients;
    let resources: LocalResources;

    before(async () => {
        clients = clientsFor((await sharedEmulators()).endpoints);
    });
    beforeEach(async () => {
        resources = await freshResources(clients);
    });

    function submit(writeLine = lineCollector().write) {
        return createSubmitOrderHandler({ sqs: clients.sqs, queueUrl: resources.queueUrl, now: () => RECEIVED_AT, writeLine });
    }

    async function queueDepth(): Promise<number> {
        const { Attributes } = await clients.sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: resources.queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
        );
        return Number(Attributes?.ApproximateNumberOfMessages);
    }

    describe("a valid order", () => {
        it("should answer 202 with the order id and Location, and put one message with the order, its hash and the correlation id", async () => {
            // Prepare
            const order = sampleOrder();
            const handler = submit();

            // Act
            const response = await handler(postOrderEvent(order, { "X-Correlation-Id": "corr-123" }));

            // Assess
            expect(response.statusCode).to.equal(202);
            expect(response.headers["content-type"]).to.equal("application/json");
            const body = JSON.parse(response.body);
            expect(body).to.have.all.keys("orderId", "status");
            expect(body.status).to.equal("ACCEPTED");
            expect(body.orderId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
            expect(response.headers.location).to.equal(`/orders/${body.orderId}`);
            expect(response.headers["x-correlation-id"]).to.equal("corr-123");
            const messages = await receiveAll(clients.sqs, resources.queueUrl);
            expect(messages).to.have.length(1);
            expect(JSON.parse(messages[0].Body!)).to.deep.equal({
                schemaVersion: 1,
                orderId: body.orderId,
                receivedAt: RECEIVED_AT.toISOString(),
                payloadHash: payloadHash(order),
                order,
            });
            expect(messages[0].MessageAttributes?.correlationId).to.deep.include({ DataType: "String", StringValue: "corr-123" });
        });

        it("should use the API request id as correlation id when X-Correlation-Id is missing or malformed", async () => {
            // Prepare
            const handler = submit();
            const event = postOrderEvent(sampleOrder(), { "x-correlation-id": "has spaces and \u00e9" });
            event.requestContext.requestId = "api-req-42";

            // Act
            const response = await handler(event);

            // Assess
            expect(response.statusCode).to.equal(202);
            expect(response.headers["x-correlation-id"]).to.equal("api-req-42");
            const [message] = await receiveAll(clients.sqs, resources.queueUrl);
            expect(message.MessageAttributes?.correlationId?.StringValue).to.equal("api-req-42");
        });

        it("should accept a base64-encoded body and header names in any case", async () => {
            // Prepare
            const order = sampleOrder();
            const event = httpEvent({
                body: Buffer.from(JSON.stringify(order), "utf8").toString("base64"),
                isBase64Encoded: true,
                headers: { "CONTENT-TYPE": "Application/JSON; Charset=\"UTF-8\"" },
            });

            // Act
            const response = await submit()(event);

            // Assess
            expect(response.statusCode).to.equal(202);
            const [message] = await receiveAll(clients.sqs, resources.queueUrl);
            expect(JSON.parse(message.Body!).order).to.deep.equal(order);
        });

        it("should queue names and addresses in any script, including characters SQS refuses raw", async () => {
            // Prepare: an astral emoji (fauxqs refuses it raw) and U+FFFE (SQS refuses it raw).
            const order = sampleOrder({
                customer: { email: "zoe@example.com", name: "Zo\u00eb \u{1F600} \uFFFE" },
                shippingAddress: { line1: "\u4e2d\u5c71\u8def 1", city: "\u53f0\u5317", postalCode: "100", country: "TW" },
            });

            // Act
            const response = await submit()(postOrderEvent(order));

            // Assess
            expect(response.statusCode).to.equal(202);
            const [message] = await receiveAll(clients.sqs, resources.queueUrl);
            expect(JSON.parse(message.Body!).order).to.deep.equal(order);
        });

        it("should log one JSON line and one metrics line without the customer's email, name or address", async () => {
            // Prepare
            const collector = lineCollector();
            const order = sampleOrder({ customer: { email: "grace.hopper@example.org", name: "Grace Hopper" } });

            // Act
            const response = await submit(collector.write)(postOrderEvent(order));

            // Assess
            const { orderId } = JSON.parse(response.body);
            const [log, metrics] = collector.json();
            expect(collector.lines).to.have.length(2);
            expect(log).to.include({ level: "INFO", message: "order accepted", orderId, correlationId: "req-0001" });
            // Zero counts are not written: the Sum of a metric is the same without them.
            expect(metrics).to.include({ accepted: 1 }).and.not.to.have.any.keys("rejected", "failures");
            const all = collector.lines.join("\n");
            for (const secret of ["grace.hopper@example.org", "Grace Hopper", "1 Main St", "N1 1AA"]) expect(all).not.to.include(secret);
        });
    });

    describe("the Idempotency-Key", () => {
        it("should give the same order id to the same key from the same customer, on every retry", async () => {
            // Prepare
            const handler = submit();
            const headers = { "Idempotency-Key": "checkout-7f3a" };

            // Act
            const first = await handler(postOrderEvent(sampleOrder(), headers));
            const second = await handler(postOrderEvent(sampleOrder(), headers));

            // Assess
            expect(first.statusCode).to.equal(202);
            expect(second.statusCode).to.equal(202);
            expect(JSON.parse(second.body).orderId).to.equal(JSON.parse(first.body).orderId);
            const messages = await receiveAll(clients.sqs, resources.queueUrl);
            expect(messages.map((m) => JSON.parse(m.Body!).orderId)).to.deep.equal([JSON.parse(first.body).orderId, JSON.parse(first.body).orderId]);
        });

        it("should give different order ids to the same key from two customers, and to requests without a key", async () => {
            // Prepare
            const handler = submit();
            const key = { "idempotency-key": "cart-1" };
            const ada = sampleOrder();
            const bob = sampleOrder({ customer: { email: "bob@example.com", name: "Bob" } });

            // Act
            const ids = [];
            for (const [order, headers] of [[ada, key], [bob, key], [ada, {}], [ada, {}]] as const) {
                ids.push(JSON.parse((await handler(postOrderEvent(order, headers))).body).orderId);
            }

            // Assess
            expect(new Set(ids).size).to.equal(4);
        });
    });

    describe("bad input", () => {
        const order = sampleOrder();
        const json = JSON.stringify(order);
        const cases: Array<{ name: string; event: () => ReturnType<typeof httpEvent>; status: number; type: string; detail: RegExp }> = [
            { name: "no Content-Type", event: () => httpEvent({ body: json }), status: 415, type: "unsupported-media-type", detail: /Content-Type is missing/ },
            { name: "text/plain", event: () => httpEvent({ body: json, headers: { "content-type": "text/plain" } }), status: 415, type: "unsupported-media-type", detail: /application\/json/ },
            { name: "a charset other than UTF-8", event: () => httpEvent({ body: json, headers: { "content-type": "application/json; charset=iso-8859-1" } }), status: 415, type: "unsupported-media-type", detail: /charset=utf-8/ },
            { name: "a gzip Content-Encoding", event: () => httpEvent({ body: json, headers: { "content-type": "application/json", "content-encoding": "gzip" } }), status: 415, type: "unsupported-media-type", detail: /Content-Encoding/ },
            { name: "a body over the limit", event: () => httpEvent({ body: `{"pad":"${"x".repeat(MAX_BODY_BYTES)}"}`, headers: { "content-type": "application/json" } }), status: 413, type: "content-too-large", detail: new RegExp(String(MAX_BODY_BYTES)) },
            { name: "a base64 body that decodes to more than the limit", event: () => httpEvent({ body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x20).toString("base64"), isBase64Encoded: true, headers: { "content-type": "application/json" } }), status: 413, type: "content-too-large", detail: /exceeds/ },
            { name: "an empty body", event: () => httpEvent({ body: "", headers: { "content-type": "application/json" } }), status: 400, type: "malformed-body", detail: /empty/ },
            { name: "invalid base64", event: () => httpEvent({ body: "not*base64", isBase64Encoded: true, headers: { "content-type": "application/json" } }), status: 400, type: "malformed-body", detail: /base64/ },
            { name: "invalid UTF-8", event: () => httpEvent({ body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]).toString("base64"), isBase64Encoded: true, headers: { "content-type": "application/json" } }), status: 400, type: "malformed-body", detail: /UTF-8/ },
            { name: "invalid JSON", event: () => httpEvent({ body: "{\"customer\":", headers: { "content-type": "application/json" } }), status: 400, type: "malformed-body", detail: /not valid JSON/ },
            { name: "an Idempotency-Key that is too long", event: () => postOrderEvent(order, { "idempotency-key": "k".repeat(IDEMPOTENCY_KEY_MAX_LENGTH + 1) }), status: 400, type: "invalid-header", detail: /at most 255/ },
            { name: "an Idempotency-Key with a space", event: () => postOrderEvent(order, { "idempotency-key": "a b" }), status: 400, type: "invalid-header", detail: /visible ASCII/ },
            { name: "a JSON array instead of an order", event: () => postOrderEvent([order]), status: 400, type: "invalid-order", detail: /schema violation/ },
        ];
        for (const c of cases) {
            it(`should answer ${c.status} ${c.type} and enqueue nothing for ${c.name}`, async () => {
                // Prepare
                const collector = lineCollector();

                // Act
                const response = await submit(collector.write)(c.event());

                // Assess
                expect(response.statusCode).to.equal(c.status);
                expect(response.headers["content-type"]).to.equal("application/problem+json");
                const problem = JSON.parse(response.body);
                expect(problem).to.include({ type: `urn:order-pipeline:problem:${c.type}`, status: c.status });
                expect(problem.detail).to.match(c.detail);
                expect(await queueDepth()).to.equal(0);
                expect(collector.metrics()).to.deep.equal({ rejected: 1 });
            });
        }

        it("should answer 400 listing every schema violation with its JSON Pointer", async () => {
            // Prepare
            const bad = {
                customer: { email: "not-an-email", name: "Ada" },
                items: [{ sku: "BOOK-1", quantity: 0, unitPrice: 12.5 }],
                currency: "EURO",
                shippingAddress: { line1: "1 Main St", city: "London", postalCode: "N1 1AA", country: "GB" },
                total: 1,
            };

            // Act
            const response = await submit()(postOrderEvent(bad));

            // Assess
            expect(response.statusCode).to.equal(400);
            const problem = JSON.parse(response.body);
            expect(problem.type).to.equal("urn:order-pipeline:problem:invalid-order");
            expect(problem.errors.map((e: { pointer: string }) => e.pointer).sort()).to.deep.equal(
                ["/currency", "/customer/email", "/customer/email", "/items/0/quantity", "/items/0/unitPrice", "/total"].sort(),
            );
            expect(await queueDepth()).to.equal(0);
        });

        it("should add Accept-Post to a 415", async () => {
            const response = await submit()(httpEvent({ body: "{}", headers: { "content-type": "text/xml" } }));
            expect(response.headers["accept-post"]).to.equal("application/json");
        });
    });

    describe("fuzz", () => {
        it("should answer malformed requests of every kind with a 4xx problem body, never a 5xx, and enqueue exactly the 202s", async () => {
            // Prepare
            const handler = submit();
            const bodyArb = fc.oneof(
                jsonValueArb.map((value) => JSON.stringify(value)),
                orderArb.chain((order) => fc.constantFrom<unknown>(null, -1, "x", [], {}, 1e308).chain((wrong) =>
                    fc.constantFrom("customer", "items", "currency", "shippingAddress", "__proto__", "total").map((field) =>
                        `{${JSON.stringify(field)}:${JSON.stringify(wrong)},${JSON.stringify(order).slice(1)}`,
                    ),
                )),
                fc.string({ unit: "binary", maxLength: 300 }),
                fc.nat({ max: 40_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
            );
            const requestArb = fc.record({
                body: bodyArb,
                base64: fc.boolean(),
                contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "", "application/json; charset=latin1"),
                idempotencyKey: fc.option(fc.string({ unit: "binary", maxLength: 300 }), { nil: undefined }),
                correlationId: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
            });
            let accepted = 0;

            // Act + Assess
            await fc.assert(
                fc.asyncProperty(requestArb, async (request) => {
                    const headers: Record<string, string> = { "content-type": request.contentType };
                    if (request.idempotencyKey !== undefined) headers["idempotency-key"] = request.idempotencyKey;
                    if (request.correlationId !== undefined) headers["x-correlation-id"] = request.correlationId;
                    const body = request.base64 ? Buffer.from(request.body, "utf8").toString("base64") : request.body;
                    const response = await handler(httpEvent({ body, isBase64Encoded: request.base64, headers }));
                    if (response.statusCode === 202) {
                        accepted++;
                        return true;
                    }
                    const problem = JSON.parse(response.body);
                    return (
                        [400, 413, 415].includes(response.statusCode) &&
                        response.headers["content-type"] === "application/problem+json" &&
                        problem.status === response.statusCode &&
                        typeof problem.detail === "string"
                    );
                }),
                { numRuns: 300 },
            );
            expect(await queueDepth()).to.equal(accepted);
        });
    });

    describe("failures", () => {
        it("should answer 503 with Retry-After and a problem body when SQS is unreachable, and log it", async () => {
            // Prepare
            const collector = lineCollector();
            const sqs = new SQSClient({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: await closedPortUrl() });
            const handler = createSubmitOrderHandler({ sqs, queueUrl: resources.queueUrl, writeLine: collector.write });

            // Act
            const response = await handler(postOrderEvent(sampleOrder()));
            sqs.destroy();

            // Assess
            expect(response.statusCode).to.equal(503);
            expect(response.headers["retry-after"]).to.equal(String(SUBMIT_RETRY_AFTER_SECONDS));
            expect(response.headers["content-type"]).to.equal("application/problem+json");
            expect(JSON.parse(response.body)).to.include({ type: "urn:order-pipeline:problem:service-unavailable", status: 503 });
            const error = collector.json().find((line) => line.level === "ERROR");
            expect(error).to.include({ message: "order not accepted: the queue is unavailable" });
            expect(error?.orderId).to.be.a("string");
            expect(collector.metrics()).to.deep.equal({ failures: 1 });
        });

        it("should answer 500 with a problem body and no stack or error text on an unexpected error", async () => {
            // Prepare
            const collector = lineCollector();
            const handler = createSubmitOrderHandler({
                sqs: clients.sqs,
                queueUrl: resources.queueUrl,
                writeLine: collector.write,
                now: () => {
                    throw new Error("clock failure at /var/task/secret.js");
                },
            });

            // Act
            const response = await handler(postOrderEvent(sampleOrder()));

            // Assess
            expect(response.statusCode).to.equal(500);
            expect(response.headers["content-type"]).to.equal("application/problem+json");
            expect(response.body).not.to.match(/secret|clock failure|at \//);
            expect(JSON.parse(response.body)).to.include({ type: "urn:order-pipeline:problem:internal-error", status: 500 });
            expect(await queueDepth()).to.equal(0);
        });
    });
});
