/**
 * The JSON Schema (2020-12) document of the event details, published as `events.schema.json`:
 * one definition per detail-type under `$defs`, built from the very schemas the publishers
 * validate with, so the document and the events cannot drift apart.
 */
import { ORDER_EVENT_DETAIL_SCHEMAS, ORDER_EVENT_SOURCE, ORDER_EVENT_VERSION } from "./order-events";

/** The document's identifier (a name, not a URL that is fetched). */
export const EVENTS_SCHEMA_ID = "urn:order-pipeline:events:v1";

/** The document: a detail is valid when it matches the definition named by its event's detail-type. */
export function eventsSchemaDocument(): object {
    return {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: EVENTS_SCHEMA_ID,
        title: "order-pipeline event details",
        description:
            `Details of the events published on the order-pipeline EventBridge bus with source "${ORDER_EVENT_SOURCE}", ` +
            `version ${ORDER_EVENT_VERSION}. Validate an event's "detail" against $defs/<detail-type>. ` +
            "eventId is deterministic: the same fact published twice has the same eventId, so dedupe on it.",
        $defs: JSON.parse(JSON.stringify(ORDER_EVENT_DETAIL_SCHEMAS)),
    };
}

/** The document as written to `events.schema.json`: two-space indentation and a final newline. */
export function renderEventsSchema(): string {
    return `${JSON.stringify(eventsSchemaDocument(), null, 2)}\n`;
}
