import { expect } from "chai";
import * as fs from "node:fs";
import { eventsSchemaDocument, renderEventsSchema } from "../../../handlers/events/events-schema-document";
import { ORDER_EVENT_DETAIL_SCHEMAS, orderPlacedDetail, orderShippedDetail } from "../../../handlers/events/order-events";
import { EVENTS_SCHEMA_FILE } from "../../../handlers/events/write-events-schema";

type Doc = { $schema: string; $defs: Record<string, object> };

describe("events.schema.json", () => {
    const doc = eventsSchemaDocument() as Doc;

    it("should be up to date (run `npx tsx handlers/events/write-events-schema.ts` after changing a detail schema)", () => {
        expect(fs.readFileSync(EVENTS_SCHEMA_FILE, "utf8")).to.equal(renderEventsSchema());
    });

    it("should be JSON Schema 2020-12 with one definition per detail-type, equal to the schemas publishers validate with", () => {
        expect(doc.$schema).to.equal("https://json-schema.org/draft/2020-12/schema");
        expect(Object.keys(doc.$defs)).to.deep.equal(["OrderPlaced", "OrderShipped", "OrderRefunded", "OrderConflict"]);
        expect(doc.$defs).to.deep.equal(JSON.parse(JSON.stringify(ORDER_EVENT_DETAIL_SCHEMAS)));
    });

    it("should, read as plain JSON Schema, accept a published detail and reject one with an extra member", async () => {
        const { Check } = await import("typebox/schema");
        const file = JSON.parse(fs.readFileSync(EVENTS_SCHEMA_FILE, "utf8")) as Doc;
        const orderId = "0b6b1b8e-6a4f-8c1d-9e2f-3a4b5c6d7e8f";
        const placed = orderPlacedDetail({ orderId, occurredAt: "2025-01-01T12:00:00.000Z", totals: { currency: "EUR", subtotal: 1, itemCount: 1, lineCount: 1 } });
        expect(Check(file.$defs.OrderPlaced as never, placed)).to.equal(true);
        expect(Check(file.$defs.OrderPlaced as never, { ...placed, name: "Ada" })).to.equal(false);
        // A detail is checked against its own type's definition, not any other.
        const shipped = orderShippedDetail({ orderId, carrier: "DHL", trackingNumber: "1", shippedAt: "2025-01-02T00:00:00.000Z" });
        expect(Check(file.$defs.OrderShipped as never, shipped)).to.equal(true);
        expect(Check(file.$defs.OrderPlaced as never, shipped)).to.equal(false);
    });
});
