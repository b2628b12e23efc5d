import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundleHandler } from "../../components/bundling";
import { MAX_RECEIVE_COUNT } from "../../contract/defaults";
import { HANDLER_ENTRIES } from "../../contract/functions";
import { distIsFresh } from "../support/fresh-build";

const ROOT = path.resolve(__dirname, "../..");

/** What the consumer program prints (tests/support/package-consumer.cjs). */
interface ConsumerReport {
    resolved: string;
    packageRoot: string;
    counts: Record<string, number>;
    parents: string[];
    componentUrn: string;
    ordersEndpoint: string;
    archiveFiles: string[];
    submitSha256: string;
    maxReceiveCount: number;
    awsIndexLoaded: boolean;
}

/**
 * Packs the project with `npm pack` (which builds it through `prepare`, unless `dist/` is already
 * built from the same sources), installs the tarball into
 * a temporary consumer project by extracting it into the consumer's node_modules, and runs a
 * program there that imports `order-pipeline`. Nothing is fetched: the consumer lives inside this
 * repository, so its other dependencies resolve from the repository's node_modules.
 */
describe("order-pipeline as an installed package", function () {
    // Building and packing take a while on a busy machine.
    this.timeout(180_000);

    let packDir: string;
    let consumerDir: string;
    let packed: { filename: string; files: { path: string }[] };

    before(() => {
        packDir = fs.mkdtempSync(path.join(os.tmpdir(), "order-pipeline-pack-"));
        // `npm ci` has built dist/ through `prepare`: while no source changed since, pack that
        // build rather than build again; otherwise `npm pack` builds as it always does.
        const prebuilt = distIsFresh(ROOT);
        const output = execFileSync("npm", ["pack", "--json", "--pack-destination", packDir, ...(prebuilt ? ["--ignore-scripts"] : [])], {
            cwd: ROOT,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        packed = JSON.parse(output)[0];
        consumerDir = fs.mkdtempSync(path.join(ROOT, "tests", ".tmp-consumer-"));
        const installed = path.join(consumerDir, "node_modules", "order-pipeline");
        fs.mkdirSync(installed, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(packDir, packed.filename), "--strip-components=1", "-C", installed]);
        fs.writeFileSync(path.join(consumerDir, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
        fs.copyFileSync(path.join(ROOT, "tests", "support", "package-consumer.cjs"), path.join(consumerDir, "index.cjs"));
    });

    after(() => {
        if (consumerDir) fs.rmSync(consumerDir, { recursive: true, force: true });
        if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
    });

    it("packs the compiled entry point, its types and the handler sources, and no tests", () => {
        const files = packed.files.map((f) => f.path);
        for (const file of [
            "package.json",
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/components/order-pipeline.js",
            "dist/components/bundling.js",
            ...Object.values(HANDLER_ENTRIES),
        ]) {
            expect(files, file).to.include(file);
        }
        expect(files.filter((f) => f.startsWith("tests/") || f.includes(".test."))).to.deep.equal([]);
        const manifest = JSON.parse(fs.readFileSync(path.join(consumerDir, "node_modules/order-pipeline/package.json"), "utf8"));
        expect(manifest.exports["."]).to.deep.equal({ types: "./dist/components/index.d.ts", default: "./dist/components/index.js" });
    });

    it("builds an OrderPipeline from `order-pipeline` in another project, bundling the installed handlers", () => {
        const output = execFileSync(process.execPath, ["--import", "tsx", "index.cjs"], {
            cwd: consumerDir,
            encoding: "utf8",
            env: { ...process.env, ORDER_PIPELINE_MOCKS: path.join(ROOT, "tests", "support", "pulumi-mocks.ts") },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const report: ConsumerReport = JSON.parse(output.trim().split("\n").pop()!);
        const installed = path.join(consumerDir, "node_modules", "order-pipeline");
        // It used the installed copy, not this repository's sources.
        expect(report.resolved).to.equal(path.join(installed, "dist", "components", "index.js"));
        expect(report.packageRoot).to.equal(installed);
        expect(report.counts).to.deep.include({
            "order-pipeline:index:OrderPipeline": 1,
            // With email: the email-events function, its queue and DLQ besides the order queue's pair.
            "aws:lambda/function:Function": 4,
            "aws:sqs/queue:Queue": 4,
            "aws:sesv2/emailIdentity:EmailIdentity": 1,
        });
        expect(report.parents).to.deep.equal([report.componentUrn]);
        expect(report.ordersEndpoint).to.match(/^https:\/\/.+\/orders$/);
        expect(report.maxReceiveCount).to.equal(MAX_RECEIVE_COUNT);
        expect(report.archiveFiles).to.deep.equal(["index.js"]);
        // It loads the AWS services it uses one by one, not @pulumi/aws's index of every service.
        expect(report.awsIndexLoaded).to.equal(false);
        // Bundled from another directory, the handler is byte-for-byte the same as here.
        expect(report.submitSha256).to.equal(bundleHandler(HANDLER_ENTRIES.submit).sha256);
    });
});
