import { EventBridgeClient, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { expect } from "chai";
import { createEventPublisher, EventPublishError } from "../../../handlers/events/event-publisher";
import { orderEventEntry, orderPlacedDetail } from "../../../handlers/events/order-events";
import { PUT_EVENTS_MAX_BYTES, putEventsEntrySize } from "../../../handlers/events/put-events-limits";
import { sdkClientSettings } from "../../../handlers/runtime/aws-clients";
import { startEventBridgeEmulator, type EventBridgeEmulator } from "../../../local/emulators/eventbridge-emulator";
import { closedPortUrl } from "../support/emulators";

const LOCAL_AWS = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } } as const;
const BUS = "orders-bus";
const TOTALS = { currency: "EUR", subtotal: 2500, itemCount: 2, lineCount: 1 };

/** The OrderPlaced entry of order number n (a fixed UUID per n). */
function placed(n: number): PutEventsRequestEntry {
    const orderId = `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
    return orderEventEntry(BUS, "OrderPlaced", orderPlacedDetail({ orderId, occurredAt: "2025-01-01T12:00:00.000Z", totals: TOTALS }));
}

/** An entry of exactly `bytes` bytes as EventBridge counts them (no Time). */
function entryOfSize(bytes: number, tag: string): PutEventsRequestEntry {
    const fixed = Buffer.byteLength("test") + Buffer.byteLength("Padding") + `{"tag":"${tag}","p":""}`.length;
    return { Source: "test", DetailType: "Padding", Detail: JSON.stringify({ tag, p: "x".repeat(bytes - fixed) }) };
}

describe("event publisher (on the local EventBridge emulator, real SDK client)", () => {
    let emulator: EventBridgeEmulator;
    let client: EventBridgeClient;

    before(async () => {
        emulator = await startEventBridgeEmulator();
        client = new EventBridgeClient({ ...LOCAL_AWS, ...sdkClientSettings(), endpoint: emulator.endpoint });
    });
    after(async () => {
        client.destroy();
        await emulator.stop();
    });
    beforeEach(() => emulator.reset());

    it("should publish 23 entries in calls of 10, 10 and 3, in order, on its bus, and answer their ids", async () => {
        const entries = Array.from({ length: 23 }, (_, i) => placed(i));
        const ids = await createEventPublisher(client, BUS, { retryDelayMs: 0 }).publish(entries);
        expect(emulator.requests().map((r) => r.entryCount)).to.deep.equal([10, 10, 3]);
        const events = emulator.events();
        expect(ids).to.deep.equal(events.map((e) => e.id));
        expect(events.map((e) => e.detail.eventId)).to.deep.equal(entries.map((e) => JSON.parse(e.Detail!).eventId));
        expect(new Set(events.map((e) => e.eventBusName))).to.deep.equal(new Set([BUS]));
    });

    it("should put entries on its own bus when they name none", async () => {
        await createEventPublisher(client, BUS).publish([{ ...placed(1), EventBusName: undefined }]);
        expect(emulator.events()[0].eventBusName).to.equal(BUS);
    });

    it("should split calls by size: three entries of 100 KiB go in calls of 2 and 1", async () => {
        const entries = ["a", "b", "c"].map((tag) => entryOfSize(100 * 1024, tag));
        await createEventPublisher(client, BUS).publish(entries);
        expect(emulator.requests().map((r) => r.entryCount)).to.deep.equal([2, 1]);
        expect(emulator.events().map((e) => e.detail.tag)).to.deep.equal(["a", "b", "c"]);
    });

    it("should send an entry of exactly 256 KiB, and refuse one a byte larger without sending anything, naming it", async () => {
        expect(putEventsEntrySize(entryOfSize(PUT_EVENTS_MAX_BYTES, "max"))).to.equal(PUT_EVENTS_MAX_BYTES);
        await createEventPublisher(client, BUS).publish([entryOfSize(PUT_EVENTS_MAX_BYTES, "max")]);
        expect(emulator.events()).to.have.length(1);
        emulator.reset();
        const error = await createEventPublisher(client, BUS)
            .publish([placed(1), entryOfSize(PUT_EVENTS_MAX_BYTES + 1, "big")])
            .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(EventPublishError);
        expect((error as EventPublishError).failures).to.deep.equal([
            { index: 1, label: "entry 1 (Padding)", errorCode: "InvalidEntry", errorMessage: `it is ${PUT_EVENTS_MAX_BYTES + 1} bytes, over PutEvents' limit of ${PUT_EVENTS_MAX_BYTES}` },
        ]);
        expect(emulator.requests()).to.deep.equal([]);
    });

    it("should refuse an entry without a Detail or for another bus, before sending", async () => {
        const error = (await createEventPublisher(client, BUS)
            .publish([{ ...placed(1), Detail: undefined }, { ...placed(2), EventBusName: "other" }])
            .catch((e: unknown) => e)) as EventPublishError;
        expect(error.failures.map((f) => f.errorMessage)).to.deep.equal(["Detail is required", 'it names bus "other", not "orders-bus"']);
        expect(emulator.requests()).to.deep.equal([]);
    });

    it("should re-send only the entries that failed, with the same event ids, until they are published", async () => {
        emulator.failNextEntries(2, "InternalFailure");
        const entries = [placed(1), placed(2), placed(3)];
        const ids = await createEventPublisher(client, BUS, { retryDelayMs: 0 }).publish(entries);
        // First call: 3 entries, 2 failed; second call: only those 2.
        expect(emulator.requests().map((r) => r.entryCount)).to.deep.equal([3, 2]);
        const events = emulator.events();
        expect(events.map((e) => e.detail.eventId)).to.deep.equal([3, 1, 2].map((n) => JSON.parse(placed(n).Detail!).eventId));
        // Ids come back in the entries' order, whatever order they got through in.
        expect(ids).to.deep.equal([events[1].id, events[2].id, events[0].id]);
    });

    it("should give up after its attempts and throw an error naming each failed entry with EventBridge's code and message", async () => {
        // Failures are handed out in arrival order: calls 1 and 2 fail all three entries, call 3 the first only.
        emulator.failNextEntries(7, "ThrottlingException", "Rate exceeded");
        const entries = [placed(1), placed(2), placed(3)];
        const error = (await createEventPublisher(client, BUS, { attempts: 3, retryDelayMs: 0 }).publish(entries).catch((e: unknown) => e)) as EventPublishError;
        expect(error).to.be.instanceOf(EventPublishError);
        expect(emulator.requests().map((r) => r.entryCount)).to.deep.equal([3, 3, 3]);
        const eventId = JSON.parse(entries[0].Detail!).eventId;
        expect(error.failures).to.deep.equal([
            { index: 0, label: `entry 0 (OrderPlaced, eventId ${eventId})`, errorCode: "ThrottlingException", errorMessage: "Rate exceeded" },
        ]);
        expect(error.message).to.equal(`1 event(s) not published: entry 0 (OrderPlaced, eventId ${eventId}): ThrottlingException: Rate exceeded`);
        expect(emulator.events()).to.have.length(2);
    });

    it("should not re-send an entry whose error a re-send cannot fix", async () => {
        emulator.failNextEntries(1, "AccessDeniedException", "not authorized");
        const error = (await createEventPublisher(client, BUS, { retryDelayMs: 0 }).publish([placed(1), placed(2)]).catch((e: unknown) => e)) as EventPublishError;
        expect(error.failures.map((f) => [f.index, f.errorCode])).to.deep.equal([[0, "AccessDeniedException"]]);
        expect(emulator.requests().map((r) => r.entryCount)).to.deep.equal([2]);
    });

    it("should publish the same event id again when the caller retries after a failure, so consumers can dedupe", async () => {
        const publisher = createEventPublisher(client, BUS, { attempts: 1 });
        emulator.failNextEntries(1);
        const first = await publisher.publish([placed(1), placed(2)]).catch((e: unknown) => e);
        expect(first).to.be.instanceOf(EventPublishError);
        // The SQS record is retried: the handler rebuilds and republishes both events.
        await publisher.publish([placed(1), placed(2)]);
        const ids = emulator.events().map((e) => e.detail.eventId);
        const expected = [2, 1, 2].map((n) => JSON.parse(placed(n).Detail!).eventId);
        expect(ids).to.deep.equal(expected);
        // Event 2 arrived twice, with one event id: the duplicate a consumer drops.
        expect(new Set(ids).size).to.equal(2);
    });

    it("should report a call that fails as a whole (no listener) for every entry of it", async () => {
        const closed = new EventBridgeClient({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: await closedPortUrl() });
        try {
            const error = (await createEventPublisher(closed, BUS).publish([placed(1), placed(2)]).catch((e: unknown) => e)) as EventPublishError;
            expect(error).to.be.instanceOf(EventPublishError);
            expect(error.failures.map((f) => f.index)).to.deep.equal([0, 1]);
            expect(error.failures[0].errorMessage).to.match(/ECONNREFUSED|connect/i);
        } finally {
            closed.destroy();
        }
    });
});
