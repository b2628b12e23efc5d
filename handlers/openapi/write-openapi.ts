/**
 * Writes the OpenAPI document to `openapi.json` at the package root (`npm run openapi`). A test
 * fails when the file differs from what this would write.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderOpenApi } from "./openapi-document";

/** Where the document lives: the package root, next to package.json. */
export const OPENAPI_FILE = path.join(__dirname, "..", "..", "openapi.json");

if (require.main === module) {
    fs.writeFileSync(OPENAPI_FILE, renderOpenApi());
    process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
