import { expect } from "chai";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { createGetOrderHandler } from "../../handlers/get/get-order-handler";
import { createRecordEmailEventHandler } from "../../handlers/email-events/record-email-event-handler";
import { buildOrderMessage } from "../../handlers/order/message";
import { createProcessOrderHandler } from "../../handlers/process/process-order-handler";
import type { LocalResources } from "../../local/pipeline/resources";
import {
    bounceRecord,
    complaintRecord,
    deliveryRecord,
    EXAMPLE_ADDRESSES,
    EXAMPLE_MESSAGE_ID,
    rejectRecord,
    sendRecord,
    snsEnvelope,
    type ExampleTarget,
} from "./email-events/ses-event-examples";
import { clientsFor, closedPortUrl, freshResources, sharedEmulators, type TestClients } from "./support/emulators";
import { httpEvent, lambdaContext, lineCollector, recordWithBody, sampleOrder, sqsEvent } from "./support/fixtures";

describe("the email-events function on the DynamoDB emulator", () => {
    let clients: TestClients;
    let resources: LocalResources;
    let doc: DynamoDBDocumentClient;
    const storedAt = "2017-08-05T00:40:00.000Z";

    before(async () => {
        clients = clientsFor((await sharedEmulators()).endpoints);
        resources = await freshResources(clients);
        doc = DynamoDBDocumentClient.from(clients.dynamodb);
    });

    /** A confirmed order whose confirmation SES knows by `messageId` (none: not yet recorded). */
    async function storedOrder(messageId: string | undefined = EXAMPLE_MESSAGE_ID): Promise<ExampleTarget> {
        const orderId = randomUUID();
        await doc.send(
            new PutCommand({
                TableName: resources.tableName,
                Item: {
                    orderId,
                    status: "CONFIRMED",
                    createdAt: storedAt,
                    updatedAt: storedAt,
                    emailStatus: "SENT",
                    totals: { currency: "EUR", subtotal: 3097, itemCount: 5, lineCount: 2 },
                    ...(messageId === undefined ? {} : { emailMessageId: messageId }),
                    order: sampleOrder({ customer: { email: "recipient@example.com", name: "Ada" } }),
                },
            }),
        );
        return { orderId, ...(messageId === undefined ? {} : { messageId }) };
    }

    async function item(orderId: string): Promise<Record<string, unknown> | undefined> {
        return (await doc.send(new GetCommand({ TableName: resources.tableName, Key: { orderId }, ConsistentRead: true }))).Item;
    }

    /** The attributes the function writes. */
    function deliveryFields(stored: Record<string, unknown> | undefined): Record<string, unknown> {
        return Object.fromEntries(Object.entries(stored ?? {}).filter(([name]) => name.startsWith("emailDelivery") || name.startsWith("emailBounce")));
    }

    /** Runs the function on one batch: strings are bodies as they are, objects SES records in an SNS envelope. */
    async function deliver(messages: unknown[], log = lineCollector(), dynamodb = clients.dynamodb) {
        const handler = createRecordEmailEventHandler({ dynamodb, tableName: resources.tableName, writeLine: log.write });
        const records = messages.map((message, i) => recordWithBody(typeof message === "string" ? message : snsEnvelope(message), `m-${i}`));
        return { response: await handler(sqsEvent(records)), log };
    }

    it("should record DELIVERED with SES's time on the order, and leave status and updatedAt alone", async () => {
        // Prepare
        const target = await storedOrder();

        // Act
        const { response, log } = await deliver([deliveryRecord(target)]);

        // Assess
        expect(response.batchItemFailures).to.deep.equal([]);
        const stored = await item(target.orderId);
        expect(deliveryFields(stored)).to.deep.equal({ emailDelivery: "DELIVERED", emailDeliveryAt: "2016-10-19T23:21:04.133Z", emailDeliveryRank: 2 });
        expect(stored).to.include({ status: "CONFIRMED", updatedAt: storedAt });
        expect(log.json()).to.have.length(1);
        expect(log.json()[0]).to.include({ orderId: target.orderId, outcome: "DELIVERED", result: "recorded", level: "INFO", sesMessageId: EXAMPLE_MESSAGE_ID });
    });

    it("should record a permanent bounce with its type and subtype and no recipient address", async () => {
        const target = await storedOrder();

        const { response, log } = await deliver([bounceRecord(target)]);

        expect(response.batchItemFailures).to.deep.equal([]);
        const fields = deliveryFields(await item(target.orderId));
        expect(fields).to.deep.equal({
            emailDelivery: "BOUNCED",
            emailDeliveryAt: "2017-08-05T00:41:02.669Z",
            emailDeliveryRank: 4,
            emailBounceType: "Permanent",
            emailBounceSubType: "General",
        });
        for (const address of EXAMPLE_ADDRESSES) {
            expect(JSON.stringify(fields)).not.to.include(address);
            expect(log.lines.join("\n")).not.to.include(address);
        }
    });

    it("should show the outcome on GET /orders/{orderId} as email, without the recipient, status unchanged", async () => {
        const target = await storedOrder();
        const getOrder = createGetOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, writeLine: lineCollector().write });
        const get = () => getOrder(httpEvent({ method: "GET", path: `/orders/${target.orderId}`, pathParameters: { orderId: target.orderId } }));
        const before = JSON.parse((await get()).body);

        await deliver([bounceRecord(target, { bounceType: "Transient", bounceSubType: "MailboxFull" })]);
        const response = await get();

        expect(before).not.to.have.property("email");
        expect(response.statusCode).to.equal(200);
        const view = JSON.parse(response.body);
        expect(view.email).to.deep.equal({ outcome: "BOUNCED", at: "2017-08-05T00:41:02.669Z", bounceType: "Transient", bounceSubType: "MailboxFull" });
        expect(view).to.include({ status: "CONFIRMED", updatedAt: storedAt });
        for (const address of EXAMPLE_ADDRESSES) expect(response.body).not.to.include(address);
    });

    it("should record COMPLAINED and REJECTED (a Reject at the mail's time)", async () => {
        const complained = await storedOrder();
        const rejected = await storedOrder();

        await deliver([complaintRecord(complained), rejectRecord(rejected)]);

        expect(deliveryFields(await item(complained.orderId))).to.include({ emailDelivery: "COMPLAINED", emailDeliveryAt: "2017-08-05T00:41:02.669Z" });
        expect(deliveryFields(await item(rejected.orderId))).to.include({ emailDelivery: "REJECTED", emailDeliveryAt: "2016-10-14T17:38:15.211Z" });
    });

    it("should change nothing on a duplicate notification, and say so", async () => {
        const target = await storedOrder();
        const event = deliveryRecord(target);
        await deliver([event]);
        const before = await item(target.orderId);

        const { response, log } = await deliver([event]);

        expect(response.batchItemFailures).to.deep.equal([]);
        expect(await item(target.orderId)).to.deep.equal(before);
        expect(log.json()[0]).to.include({ result: "duplicate", orderId: target.orderId });
    });

    it("should end with the same record whatever order the events arrive in, one by one or in one batch", async () => {
        const events = (target: ExampleTarget) => [
            bounceRecord(target, { bounceType: "Transient", bounceSubType: "MailboxFull", timestamp: "2017-08-05T00:40:30.000Z" }),
            deliveryRecord(target, "2017-08-05T00:41:00.000Z"),
            bounceRecord(target, { timestamp: "2017-08-05T00:41:02.669Z" }),
            complaintRecord(target, "2017-08-05T00:45:00.000Z"),
        ];
        const orders = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]];
        const finals: Record<string, unknown>[] = [];
        for (const order of orders) {
            const target = await storedOrder();
            for (const i of order) await deliver([events(target)[i]]);
            finals.push(deliveryFields(await item(target.orderId)));
        }
        const batched = await storedOrder();
        await deliver(events(batched));
        finals.push(deliveryFields(await item(batched.orderId)));

        for (const final of finals) {
            expect(final).to.deep.equal({ emailDelivery: "COMPLAINED", emailDeliveryAt: "2017-08-05T00:45:00.000Z", emailDeliveryRank: 5 });
        }
    });

    it("should never let a transient bounce override DELIVERED, in either order", async () => {
        const transient = (target: ExampleTarget, at: string) => bounceRecord(target, { bounceType: "Transient", bounceSubType: "General", timestamp: at });
        const deliveredFirst = await storedOrder();
        const bouncedFirst = await storedOrder();

        await deliver([deliveryRecord(deliveredFirst, "2017-08-05T00:41:00.000Z")]);
        const { log } = await deliver([transient(deliveredFirst, "2017-08-05T00:50:00.000Z")]);
        await deliver([transient(bouncedFirst, "2017-08-05T00:40:30.000Z")]);
        await deliver([deliveryRecord(bouncedFirst, "2017-08-05T00:41:00.000Z")]);

        expect(log.json()[0]).to.include({ result: "superseded", outcome: "BOUNCED", bounceType: "Transient" });
        for (const target of [deliveredFirst, bouncedFirst]) {
            expect(deliveryFields(await item(target.orderId))).to.deep.equal({ emailDelivery: "DELIVERED", emailDeliveryAt: "2017-08-05T00:41:00.000Z", emailDeliveryRank: 2 });
        }
    });

    it("should let a permanent bounce after a delivery replace it, and drop the bounce fields when a complaint follows", async () => {
        const target = await storedOrder();

        await deliver([deliveryRecord(target, "2017-08-05T00:41:00.000Z")]);
        await deliver([bounceRecord(target, { timestamp: "2017-08-05T00:42:00.000Z" })]);
        const bounced = deliveryFields(await item(target.orderId));
        await deliver([complaintRecord(target, "2017-08-05T00:43:00.000Z")]);

        expect(bounced).to.include({ emailDelivery: "BOUNCED", emailBounceType: "Permanent" });
        expect(deliveryFields(await item(target.orderId))).to.deep.equal({ emailDelivery: "COMPLAINED", emailDeliveryAt: "2017-08-05T00:43:00.000Z", emailDeliveryRank: 5 });
    });

    it("should record an event that arrives before the order's SES message id is stored", async () => {
        const target = await storedOrder(undefined);

        await deliver([deliveryRecord(target)]);

        expect(deliveryFields(await item(target.orderId))).to.include({ emailDelivery: "DELIVERED" });
    });

    it("should acknowledge an event about another email of the order without recording it", async () => {
        const target = await storedOrder("EXAMPLEother-000000");

        const { response, log } = await deliver([deliveryRecord({ orderId: target.orderId, messageId: EXAMPLE_MESSAGE_ID })]);

        expect(response.batchItemFailures).to.deep.equal([]);
        expect(deliveryFields(await item(target.orderId))).to.deep.equal({});
        expect(log.json()[0]).to.include({ result: "other-email", level: "WARN", orderId: target.orderId });
    });

    it("should acknowledge an event for an unknown order with a clear reason, and create no item", async () => {
        const orderId = randomUUID();

        const { response, log } = await deliver([deliveryRecord({ orderId })]);

        expect(response.batchItemFailures).to.deep.equal([]);
        expect(await item(orderId)).to.equal(undefined);
        expect(log.json()[0]).to.include({ result: "unknown-order", level: "WARN", orderId });
        expect(log.json()[0].message).to.include("no order has this id");
    });

    const malformed: Array<[string, (target: ExampleTarget) => unknown, RegExp]> = [
        ["a body that is not JSON", () => "not json", /not JSON/],
        ["a body that is not an SNS notification", () => JSON.stringify({ Type: "SubscriptionConfirmation", Message: "{}", MessageId: "x", TopicArn: "t" }), /not an SNS notification/],
        ["an SNS message that is not JSON", () => snsEnvelope("{oops"), /SNS message is not JSON/],
        ["an identity feedback notification (notificationType)", (t) => snsEnvelope({ notificationType: "Delivery", mail: deliveryRecord(t).mail }), /no eventType/],
        ["an event without the orderId tag", (t) => { const r = deliveryRecord(t); delete (r.mail.tags as Record<string, unknown>).orderId; return snsEnvelope(r); }, /orderId tag/],
        ["an orderId tag that is not a UUID", () => snsEnvelope(deliveryRecord({ orderId: "order-1" })), /orderId tag/],
        ["an event type the pipeline does not record (Send)", (t) => snsEnvelope(sendRecord(t)), /"Send" is not recorded/],
        ["a bounce of unknown type", (t) => snsEnvelope(bounceRecord(t, { bounceType: "Soft" })), /bounceType/],
        ["a delivery without a valid time", (t) => snsEnvelope(deliveryRecord(t, "yesterday")), /timestamp/],
        ["a delivery without its delivery object", (t) => { const r: Record<string, unknown> = { ...deliveryRecord(t) }; delete r.delivery; return snsEnvelope(r); }, /no delivery object/],
    ];
    for (const [name, message, reason] of malformed) {
        it(`should log and acknowledge ${name}, writing nothing`, async () => {
            const target = await storedOrder();
            const before = await item(target.orderId);

            const { response, log } = await deliver([message(target)]);

            expect(response.batchItemFailures).to.deep.equal([]);
            expect(await item(target.orderId)).to.deep.equal(before);
            const [line] = log.json();
            expect(line).to.include({ level: "WARN", result: "malformed" });
            expect(String(line.message)).to.match(reason);
            for (const address of EXAMPLE_ADDRESSES) expect(log.lines.join("\n")).not.to.include(address);
        });
    }

    it("should acknowledge any body or SES record it cannot use, log one warning for each, and change no order", async () => {
        const target = await storedOrder();
        const before = await item(target.orderId);
        // A valid record with one member replaced by anything: the orderId tag stays valid, so a
        // mutation that still makes a recordable event would write (and fail the equality below).
        const members = ["eventType", "mail", "delivery"] as const;
        const mutated = fc.record({ member: fc.constantFrom(...members), value: fc.anything() }).map(({ member, value }) => {
            const record: Record<string, unknown> = { ...deliveryRecord(target), [member]: value };
            return snsEnvelope(record);
        });
        const body = fc.oneof(fc.string(), fc.anything().map((value) => JSON.stringify(value) ?? "undefined"), fc.anything().map((value) => snsEnvelope(JSON.stringify(value) ?? "")), mutated);
        await fc.assert(
            fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 5 }), async (bodies) => {
                const { response, log } = await deliver(bodies);
                expect(response.batchItemFailures).to.deep.equal([]);
                expect(log.json().map((line) => line.level)).to.deep.equal(bodies.map(() => "WARN"));
                expect(await item(target.orderId)).to.deep.equal(before);
            }),
            { numRuns: 60 },
        );
    });

    it("should report only the records DynamoDB could not take for retry, and acknowledge the malformed ones", async () => {
        const target = await storedOrder();
        const unreachable = clientsFor({ ...(await sharedEmulators()).endpoints, dynamodb: await closedPortUrl() }, { maxAttempts: 1 }).dynamodb;

        const { response, log } = await deliver(["not json", deliveryRecord(target)], lineCollector(), unreachable);

        expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "m-1" }]);
        const lines = log.json();
        expect(lines.map((line) => line.level)).to.have.members(["WARN", "ERROR"]);
        expect(lines.find((line) => line.level === "ERROR")).to.include({ messageId: "m-1" });
        expect(deliveryFields(await item(target.orderId))).to.deep.equal({});
    });

    it("should record a delivery of a real confirmation: ProcessOrder tags its email with the order id", async () => {
        // Prepare: an order confirmed through the SES emulator, and the SES message id it stored.
        const orderId = randomUUID();
        const process = createProcessOrderHandler({
            dynamodb: clients.dynamodb,
            tableName: resources.tableName,
            email: { ses: clients.ses, source: "shop@example.com", configurationSetName: "shop-dev" },
            writeLine: lineCollector().write,
        });
        const body = JSON.stringify(buildOrderMessage(orderId, new Date(storedAt), sampleOrder()));
        expect((await process(sqsEvent([recordWithBody(body, "o-1")]), lambdaContext())).batchItemFailures).to.deep.equal([]);
        const messageId = String((await item(orderId))?.emailMessageId);

        // Act
        await deliver([deliveryRecord({ orderId, messageId })]);

        // Assess
        expect(deliveryFields(await item(orderId))).to.include({ emailDelivery: "DELIVERED" });
        expect((await item(orderId))?.status).to.equal("CONFIRMED");
    });
});
