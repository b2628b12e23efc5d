import { expect } from "chai";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createGetOrderHandler } from "../../handlers/get/get-order-handler";
import { createProcessOrderHandler } from "../../handlers/process/process-order-handler";
import { createSubmitOrderHandler } from "../../handlers/submit/submit-order-handler";
import type { LocalResources } from "../../local/pipeline/resources";
import { clientsFor, freshResources, sharedEmulators, type TestClients } from "./support/emulators";
import { httpEvent, lambdaContext, lineCollector, postOrderEvent, sampleOrder, sqsRecord, sqsEvent } from "./support/fixtures";
import { receiveAll } from "./support/queue";
import { startHttpApi } from "../../local/api/http-api";
import { createJwtAuthorizer } from "../../local/api/jwt-authorizer";
import { createJwtIssuer } from "../../local/auth/token-issuer";

const ALICE = "6c1f0f0e-1111-4a4a-9b9b-000000000001";
const BOB = "6c1f0f0e-2222-4a4a-9b9b-000000000002";

/** A request as API Gateway passes it on after its JWT authorizer accepted a token of `sub`. */
function signedIn(event: ReturnType<typeof httpEvent>, sub: string) {
    return { ...event, requestContext: { ...event.requestContext, authorizer: { jwt: { claims: { sub, token_use: "access" }, scopes: null } } } };
}

describe("sign-in: the caller's own orders only (handlers on the emulators)", () => {
    let clients: TestClients;
    let resources: LocalResources;

    before(async () => {
        clients = clientsFor((await sharedEmulators()).endpoints);
    });
    beforeEach(async () => {
        resources = await freshResources(clients);
    });

    const submit = () => createSubmitOrderHandler({ sqs: clients.sqs, queueUrl: resources.queueUrl, authEnabled: true, writeLine: lineCollector().write });
    const getOrder = () => createGetOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, authEnabled: true, writeLine: lineCollector().write });

    /** Places an order as `sub` and lets ProcessOrder store it; returns its id. */
    async function placeOrderAs(sub: string, headers: Record<string, string> = {}): Promise<string> {
        const response = await submit()(signedIn(postOrderEvent(sampleOrder(), headers), sub));
        expect(response.statusCode).to.equal(202);
        const messages = await receiveAll(clients.sqs, resources.queueUrl);
        const processOrder = createProcessOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, writeLine: lineCollector().write });
        expect((await processOrder(sqsEvent(messages.map((m) => sqsRecord(m))), lambdaContext())).batchItemFailures).to.deep.equal([]);
        return JSON.parse(response.body).orderId;
    }

    it("should answer 401 to POST /orders without a caller and queue nothing", async () => {
        const response = await submit()(postOrderEvent(sampleOrder()));

        expect(response.statusCode).to.equal(401);
        expect(JSON.parse(response.body).type).to.equal("urn:order-pipeline:problem:unauthorized");
        expect(await receiveAll(clients.sqs, resources.queueUrl)).to.have.length(0);
    });

    it("should record the caller's sub as the customer, through the queue into the stored order", async () => {
        const orderId = await placeOrderAs(ALICE);

        const { Item } = await DynamoDBDocumentClient.from(clients.dynamodb).send(new GetCommand({ TableName: resources.tableName, Key: { orderId } }));
        expect(Item).to.include({ orderId, customerId: ALICE });
    });

    it("should scope an Idempotency-Key by the caller: same key, same caller, same order; another caller, another order", async () => {
        const key = { "Idempotency-Key": "checkout-42" };
        const first = JSON.parse((await submit()(signedIn(postOrderEvent(sampleOrder(), key), ALICE))).body).orderId;
        const again = JSON.parse((await submit()(signedIn(postOrderEvent(sampleOrder(), key), ALICE))).body).orderId;
        const other = JSON.parse((await submit()(signedIn(postOrderEvent(sampleOrder(), key), BOB))).body).orderId;

        expect(again).to.equal(first);
        expect(other).not.to.equal(first);
    });

    it("should show an order to its owner, 403 to another caller and 401 without a caller", async () => {
        const orderId = await placeOrderAs(ALICE);
        const get = httpEvent({ method: "GET", path: `/orders/${orderId}`, pathParameters: { orderId } });

        const owner = await getOrder()(signedIn(get, ALICE));
        const stranger = await getOrder()(signedIn(get, BOB));
        const anonymous = await getOrder()(get);

        expect(owner.statusCode).to.equal(200);
        expect(JSON.parse(owner.body)).to.include({ orderId, status: "CONFIRMED" }).and.not.have.property("customerId");
        expect(stranger.statusCode).to.equal(403);
        expect(JSON.parse(stranger.body).type).to.equal("urn:order-pipeline:problem:forbidden");
        expect(anonymous.statusCode).to.equal(401);
    });

    it("should refuse an order stored without an owner to every caller once sign-in is on", async () => {
        const unowned = createProcessOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, writeLine: lineCollector().write });
        await createSubmitOrderHandler({ sqs: clients.sqs, queueUrl: resources.queueUrl, writeLine: lineCollector().write })(postOrderEvent(sampleOrder()));
        const [message] = await receiveAll(clients.sqs, resources.queueUrl);
        await unowned(sqsEvent([sqsRecord(message)]), lambdaContext());
        const orderId = JSON.parse(message.Body!).orderId;

        const response = await getOrder()(signedIn(httpEvent({ method: "GET", path: `/orders/${orderId}`, pathParameters: { orderId } }), ALICE));

        expect(response.statusCode).to.equal(403);
    });

    it("should show the workflows' progress: shipment and refund fields as the state machines write them", async () => {
        const orderId = await placeOrderAs(ALICE);
        await DynamoDBDocumentClient.from(clients.dynamodb).send(
            new UpdateCommand({
                TableName: resources.tableName,
                Key: { orderId },
                UpdateExpression: "SET #s = :s, shippingStartedAt = :a, carrier = :c, trackingNumber = :t, shippedAt = :b, refundRequestedAt = :r",
                ExpressionAttributeNames: { "#s": "status" },
                ExpressionAttributeValues: {
                    ":s": "REFUND_REQUESTED",
                    ":a": "2025-03-01T10:00:00.000Z",
                    ":c": "DHL",
                    ":t": "JD0142",
                    ":b": "2025-03-02T10:00:00.000Z",
                    ":r": "2025-03-03T10:00:00.000Z",
                },
            }),
        );

        const response = await getOrder()(signedIn(httpEvent({ method: "GET", path: `/orders/${orderId}`, pathParameters: { orderId } }), ALICE));

        const view = JSON.parse(response.body);
        expect(view.status).to.equal("REFUND_REQUESTED");
        expect(view.shipment).to.deep.equal({ startedAt: "2025-03-01T10:00:00.000Z", carrier: "DHL", trackingNumber: "JD0142", shippedAt: "2025-03-02T10:00:00.000Z" });
        expect(view.refund).to.deep.equal({ requestedAt: "2025-03-03T10:00:00.000Z" });
    });

    it("end to end with tokens signed here: the local API's JWT authorizer in front of the real SubmitOrder and GetOrder", async () => {
        const issuer = createJwtIssuer();
        const processOrder = createProcessOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, writeLine: lineCollector().write });
        const api = await startHttpApi({
            authorizer: createJwtAuthorizer(issuer.authorizerOptions()),
            routes: [
                { method: "POST", path: "/orders", invoke: (event) => submit()(event as never), requireSignIn: true },
                { method: "GET", path: "/orders/{orderId}", invoke: (event) => getOrder()(event as never), requireSignIn: true },
            ],
        });
        try {
            const as = (sub: string) => ({ authorization: `Bearer ${issuer.accessToken(sub)}` });
            const posted = await fetch(`${api.url}/orders`, { method: "POST", headers: { "content-type": "application/json", ...as(ALICE) }, body: JSON.stringify(sampleOrder()) });
            const { orderId } = (await posted.json()) as { orderId: string };
            const messages = await receiveAll(clients.sqs, resources.queueUrl);
            await processOrder(sqsEvent(messages.map((m) => sqsRecord(m))), lambdaContext());

            const mine = await fetch(`${api.url}/orders/${orderId}`, { headers: as(ALICE) });
            const theirs = await fetch(`${api.url}/orders/${orderId}`, { headers: as(BOB) });
            const none = await fetch(`${api.url}/orders/${orderId}`);

            expect(posted.status).to.equal(202);
            expect(JSON.parse(messages[0].Body!).customerId).to.equal(ALICE);
            expect([mine.status, theirs.status, none.status]).to.deep.equal([200, 403, 401]);
        } finally {
            await api.close();
        }
    });
});
