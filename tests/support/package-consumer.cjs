/**
 * A consumer project's Pulumi program, run by tests/components/package.test.ts from a temporary
 * project that has the packed `order-pipeline` tarball extracted into its node_modules. It builds
 * an OrderPipeline from `require("order-pipeline")` under the recorder mocks (whose path comes in
 * ORDER_PIPELINE_MOCKS) and prints one JSON line describing what it found.
 */
"use strict";
const { createHash } = require("node:crypto");
const path = require("node:path");
const mocks = require(process.env.ORDER_PIPELINE_MOCKS);
const pkg = require("order-pipeline");

async function main() {
    const resources = await mocks.recordProgram(() => new pkg.OrderPipeline("shop", { email: { sender: "shop@example.com" } }));
    const component = mocks.findResource(resources, pkg.ORDER_PIPELINE_TYPE, "shop");
    const submit = mocks.findResource(resources, "aws:lambda/function:Function", "shop-submit");
    const files = await mocks.archiveFiles(submit.inputs.code);
    process.stdout.write(
        JSON.stringify({
            resolved: require.resolve("order-pipeline"),
            packageRoot: pkg.packageRoot(),
            counts: mocks.countByType(resources),
            parents: [...new Set(resources.filter((r) => r !== component).map((r) => r.parent))],
            componentUrn: component.urn,
            ordersEndpoint: component.state.ordersEndpoint,
            archiveFiles: Object.keys(files),
            submitSha256: createHash("sha256").update(files["index.js"]).digest("hex"),
            maxReceiveCount: pkg.MAX_RECEIVE_COUNT,
            // Whether @pulumi/aws's index (which loads every AWS service) was loaded.
            awsIndexLoaded: Object.keys(require.cache).some((file) => file.endsWith(path.join(path.sep, "@pulumi", "aws", "index.js"))),
        }) + "\n",
    );
}

main().catch((error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
});
