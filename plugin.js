/**
 * The package's `main`: what Pulumi's Node.js plugin host loads when this package runs as a
 * source-based plugin (PulumiPlugin.yaml). It is the compiled package, which `npm run build` writes
 * and `npm install` builds through the `prepare` script; Pulumi finds OrderPipeline among its
 * exports. Its twin plugin.ts is the same entry in TypeScript, which Pulumi's schema inference reads.
 * npm consumers go through `exports` in package.json to the same compiled entry.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const compiled = path.join(__dirname, "dist", "components", "index.js");
if (!fs.existsSync(compiled)) {
    throw new Error(`order-pipeline is not built: ${compiled} is missing. Run \`npm run build\` in ${__dirname} (\`npm install\` runs it).`);
}
module.exports = require(compiled);
