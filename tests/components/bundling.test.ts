import { expect } from "chai";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { archiveFiles } from "../support/pulumi-mocks";
import { recordPipeline, ROLES, T, type RecordedPipeline } from "./pipeline-fixture";
import { bundleHandler, ENV, HANDLER_ENTRIES, packageRoot } from "../../components";

/** The files of a recorded function's code archive. */
async function archiveOf(p: RecordedPipeline, role: string): Promise<Record<string, string>> {
    return archiveFiles(p.get(T.function, `orders-${role}`).inputs.code);
}

/**
 * Loads a bundled handler the way Lambda does, from `index.js` in a directory of its own, with
 * exactly `environment` (the variables the component gives the function) on top of a bare
 * Lambda-like environment, and restores process.env afterwards.
 */
function loadBundle(code: string, environment: Record<string, string>): { handler: (...args: any[]) => Promise<any>; dispose(): void } {
    // Inside the package, so that `require("@aws-sdk/...")` finds the SDK as the runtime provides it.
    const dir = fs.mkdtempSync(path.join(packageRoot(), "tests", ".tmp-bundle-"));
    const file = path.join(dir, "index.js");
    fs.writeFileSync(file, code);
    const saved = { ...process.env };
    for (const key of Object.values(ENV)) delete process.env[key];
    Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" }, environment);
    try {
        const module = require(file);
        return {
            handler: module.handler,
            dispose() {
                delete require.cache[file];
                fs.rmSync(dir, { recursive: true, force: true });
            },
        };
    } catch (error) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw error;
    } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
    }
}

/** Runs `act` with stdout captured; returns what it returned and the lines written. */
async function captureStdout<R>(act: () => Promise<R>): Promise<{ result: R; lines: string[] }> {
    const lines: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => {
        lines.push(...String(chunk).split("\n").filter((l) => l.length > 0));
        return true;
    }) as typeof process.stdout.write;
    try {
        return { result: await act(), lines };
    } finally {
        process.stdout.write = write;
    }
}

/** An HTTP API (payload format 2.0) event. */
function httpEvent(routeKey: string, rawPath: string, headers: Record<string, string>, body?: string, pathParameters?: Record<string, string>) {
    const [method] = routeKey.split(" ");
    return {
        version: "2.0",
        routeKey,
        rawPath,
        rawQueryString: "",
        headers,
        body,
        isBase64Encoded: false,
        pathParameters,
        requestContext: {
            accountId: "123456789012",
            apiId: "api",
            domainName: "api.execute-api.us-east-1.amazonaws.com",
            domainPrefix: "api",
            http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
            requestId: "request-1",
            routeKey,
            stage: "$default",
            time: "01/Jan/2030:00:00:00 +0000",
            timeEpoch: 1893456000000,
        },
    };
}

describe("OrderPipeline function code", () => {
    let p: RecordedPipeline;
    before(async () => {
        p = await recordPipeline();
    });

    it("ships each handler as one bundled index.js in the function's archive", async () => {
        for (const role of ROLES) {
            const files = await archiveOf(p, role);
            expect(Object.keys(files), role).to.deep.equal(["index.js"]);
            expect(files["index.js"], role).to.equal(bundleHandler(HANDLER_ENTRIES[role]).code);
            // The AWS SDK is left to the runtime's copy, not bundled (BUNDLE_AWS_SDK).
            expect(files["index.js"], role).to.match(/require\(["']@aws-sdk\/(client-|lib-)/);
        }
    });

    it("bundles deterministically: the same sources give the same bytes, with no machine path in them", () => {
        for (const entry of Object.values(HANDLER_ENTRIES)) {
            // A build of its own, and another one: this process's, or the one an earlier process
            // kept in the test run's cache (kept only while every input is byte for byte the same).
            const first = bundleHandler(entry, { cache: false });
            const second = bundleHandler(entry);
            expect(second.sha256, entry).to.equal(first.sha256);
            expect(second.code, entry).to.equal(first.code);
            expect(first.sha256, entry).to.equal(createHash("sha256").update(first.code).digest("hex"));
            expect(first.code, entry).not.to.include(packageRoot());
            expect(first.code, entry).not.to.include(os.homedir());
        }
    });

    it("gives identical archives to two separate builds of the pipeline", async () => {
        const again = await recordPipeline();
        for (const role of ROLES) {
            expect(await archiveOf(again, role), role).to.deep.equal(await archiveOf(p, role));
        }
    });

    it("bundles the AWS SDK into the handler when functions.bundleAwsSdk is true", async () => {
        const full = await recordPipeline({ functions: { bundleAwsSdk: true } });
        const code = (await archiveOf(full, "submit"))["index.js"];
        expect(code).not.to.match(/require\(["']@aws-sdk\/client-/);
        expect(code.length).to.be.greaterThan((await archiveOf(p, "submit"))["index.js"].length);
    });

    it("the bundled SubmitOrder module loads with the component's environment and answers a sample event", async () => {
        const environment = p.get(T.function, "orders-submit").inputs.environment.variables;
        const submit = loadBundle((await archiveOf(p, "submit"))["index.js"], environment);
        try {
            // A body that is not JSON is refused before any AWS call: 415 with a problem body.
            const event = httpEvent("POST /orders", "/orders", { "content-type": "text/plain" }, "one book please");
            const { result: response, lines } = await captureStdout(() => submit.handler(event, { awsRequestId: "invocation-1" }));
            expect(response.statusCode).to.equal(415);
            expect(response.headers).to.include({ "accept-post": "application/json" });
            const problem = JSON.parse(response.body);
            expect(problem.status).to.equal(415);
            expect(problem.title).to.equal("Unsupported media type");
            // It logs one JSON line per request (the function's log format is JSON).
            expect(lines.map((line) => JSON.parse(line).message)).to.include("order rejected");
        } finally {
            submit.dispose();
        }
    });

    it("the bundled GetOrder and ProcessOrder modules load with the component's environment and answer without AWS", async () => {
        const get = loadBundle((await archiveOf(p, "get"))["index.js"], p.get(T.function, "orders-get").inputs.environment.variables);
        const processOrder = loadBundle((await archiveOf(p, "process"))["index.js"], p.get(T.function, "orders-process").inputs.environment.variables);
        try {
            const event = httpEvent("GET /orders/{orderId}", "/orders/nope", {}, undefined, { orderId: "nope" });
            const { result: response } = await captureStdout(() => get.handler(event, { awsRequestId: "invocation-2" }));
            expect(response.statusCode).to.equal(400);
            // An empty batch fails nothing.
            const { result: batch } = await captureStdout(() => processOrder.handler({ Records: [] }, { awsRequestId: "invocation-3" }));
            expect(batch).to.deep.equal({ batchItemFailures: [] });
        } finally {
            get.dispose();
            processOrder.dispose();
        }
    });

    it("the bundled handlers refuse to load without the variables the component sets", () => {
        expect(() => loadBundle(bundleHandler(HANDLER_ENTRIES.submit).code, {})).to.throw(ENV.queueUrl);
        expect(() => loadBundle(bundleHandler(HANDLER_ENTRIES.get).code, {})).to.throw(ENV.tableName);
        expect(() => loadBundle(bundleHandler(HANDLER_ENTRIES.process).code, { [ENV.tableName]: "orders" })).to.throw(ENV.emailEnabled);
    });
});
