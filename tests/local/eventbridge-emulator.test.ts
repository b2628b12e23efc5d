import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { expect } from "chai";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import { startEventBridgeEmulator, type EventBridgeEmulator } from "../../local/emulators/eventbridge-emulator";

const LOCAL_AWS = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } } as const;

const entry = (n: number, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
    Source: "order-pipeline",
    DetailType: "OrderPlaced",
    Detail: JSON.stringify({ n }),
    EventBusName: "orders-bus",
    ...extra,
});

describe("local EventBridge emulator", () => {
    let emulator: EventBridgeEmulator;
    let client: EventBridgeClient;

    before(async () => {
        emulator = await startEventBridgeEmulator();
        // One attempt: the tests look at what one call answers, not at the SDK's retries.
        client = new EventBridgeClient({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: emulator.endpoint });
    });
    after(async () => {
        client.destroy();
        await emulator.stop();
    });
    beforeEach(() => emulator.reset());

    it("should listen on 127.0.0.1 only", () => {
        expect(emulator.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("should accept valid entries through the real SDK, give each an id and record them in order", async () => {
        const time = new Date("2025-01-01T12:00:00.000Z");
        const output = await client.send(new PutEventsCommand({ Entries: [entry(1, { Time: time }), entry(2, { EventBusName: undefined })] }));
        expect(output.FailedEntryCount).to.equal(0);
        const ids = output.Entries!.map((e) => e.EventId);
        expect(new Set(ids).size).to.equal(2);
        expect(emulator.events()).to.deep.equal([
            { id: ids[0], source: "order-pipeline", detailType: "OrderPlaced", detail: { n: 1 }, eventBusName: "orders-bus", time: time.toISOString(), resources: [] },
            { ...emulator.events()[1], id: ids[1], detail: { n: 2 }, eventBusName: "default" },
        ]);
    });

    it("should answer each invalid entry as EventBridge does and still accept its valid batch-mates", async () => {
        const output = await client.send(
            new PutEventsCommand({
                Entries: [
                    entry(1, { Source: undefined }),
                    entry(2, { DetailType: "" }),
                    entry(3, { Detail: undefined }),
                    entry(4, { Detail: "{not json" }),
                    entry(5, { Detail: "[1,2]" }),
                    entry(6),
                ],
            }),
        );
        expect(output.FailedEntryCount).to.equal(5);
        expect(output.Entries!.slice(0, 5)).to.deep.equal([
            { ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument." },
            { ErrorCode: "InvalidArgument", ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument." },
            { ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument." },
            { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
            { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
        ]);
        expect(output.Entries![5].EventId).to.be.a("string");
        expect(emulator.events().map((e) => e.detail)).to.deep.equal([{ n: 6 }]);
    });

    it("should refuse a call with more than 10 entries, or none, as a ValidationException", async () => {
        const eleven = Array.from({ length: 11 }, (_, i) => entry(i));
        const tooMany = await client.send(new PutEventsCommand({ Entries: eleven })).catch((e: Error) => e);
        expect(tooMany).to.be.instanceOf(Error);
        expect((tooMany as Error).name).to.equal("ValidationException");
        expect((tooMany as Error).message).to.contain("less than or equal to 10");
        const none = await client.send(new PutEventsCommand({ Entries: [] })).catch((e: Error) => e);
        expect((none as Error).name).to.equal("ValidationException");
        expect(emulator.events()).to.deep.equal([]);
    });

    it("should refuse a call whose entries add up to more than 256 KiB, and accept one of exactly 256 KiB", async () => {
        const fixed = Buffer.byteLength("order-pipeline") + Buffer.byteLength("OrderPlaced");
        const detailOf = (bytes: number) => JSON.stringify({ p: "x".repeat(bytes - fixed - '{"p":""}'.length) });
        const exact = await client.send(new PutEventsCommand({ Entries: [entry(0, { Detail: detailOf(256 * 1024) })] }));
        expect(exact.FailedEntryCount).to.equal(0);
        const over = await client.send(new PutEventsCommand({ Entries: [entry(0, { Detail: detailOf(256 * 1024 + 1) })] })).catch((e: Error) => e);
        expect((over as Error).name).to.equal("ValidationException");
        expect((over as Error).message).to.equal("Total size of the entries in the request is over the limit.");
        expect(emulator.events()).to.have.length(1);
    });

    it("should fail the chosen number of entries with the chosen code, then accept again", async () => {
        emulator.failNextEntries(2, "ThrottlingException", "Rate exceeded");
        const output = await client.send(new PutEventsCommand({ Entries: [entry(1), entry(2), entry(3)] }));
        expect(output.FailedEntryCount).to.equal(2);
        expect(output.Entries![0]).to.deep.equal({ ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded" });
        expect(output.Entries![1].ErrorCode).to.equal("ThrottlingException");
        expect(output.Entries![2].EventId).to.be.a("string");
        expect(emulator.events().map((e) => e.detail)).to.deep.equal([{ n: 3 }]);
        expect(emulator.requests()).to.deep.equal([{ entryCount: 3 }]);
    });

    it("should refuse other operations", async () => {
        const response = await fetch(emulator.endpoint, {
            method: "POST",
            headers: { "x-amz-target": "AWSEvents.StartReplay", "content-type": "application/x-amz-json-1.1" },
            body: "{}",
        });
        expect(response.status).to.equal(400);
        expect(((await response.json()) as { __type: string }).__type).to.equal("UnknownOperationException");
    });
});
