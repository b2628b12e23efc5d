/**
 * Writes the event detail schemas to `events.schema.json` at the package root. A test fails when
 * the file differs from what this would write.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderEventsSchema } from "./events-schema-document";

/** Where the document lives: the package root, next to package.json. */
export const EVENTS_SCHEMA_FILE = path.join(__dirname, "..", "..", "events.schema.json");

if (require.main === module) {
    fs.writeFileSync(EVENTS_SCHEMA_FILE, renderEventsSchema());
    process.stdout.write(`wrote ${EVENTS_SCHEMA_FILE}\n`);
}
