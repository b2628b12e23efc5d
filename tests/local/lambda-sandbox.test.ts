import { expect } from "chai";
import { bundleHandler } from "../../components/bundling";
import type { SystemLogLevel } from "../../contract/functions";
import { bundleCodeCache, FunctionInvocationError, LocalFunction } from "../../local/lambda/lambda-sandbox";

const FIXTURE = "tests/local/fixtures/sandbox-handler.ts";

describe("local functions run from their deployment bundle", () => {
    const code = () => bundleHandler(FIXTURE).code;
    const make = (env: Record<string, string> = {}, timeoutSeconds = 2, lines: string[] = [], systemLogLevel?: SystemLogLevel) =>
        new LocalFunction({
            systemLogLevel,
            functionName: "fixture-fn",
            timeoutSeconds,
            memoryMb: 256,
            region: "us-east-1",
            code: code(),
            env: { FIXTURE_VALUE: "from-the-function-env", AWS_LAMBDA_FUNCTION_NAME: "fixture-fn", ...env },
            onLog: (_fn, line) => lines.push(line),
        });

    it("should give the function its own environment, not this process's, and keep its changes inside", async () => {
        process.env.FIXTURE_HOST_ONLY = "visible-to-the-host-only";
        try {
            const fn = make();
            expect(await fn.invoke({ action: "env" })).to.deep.equal({
                fixture: "from-the-function-env",
                hostOnly: null,
                functionName: "fixture-fn",
                sqsEndpoint: null,
            });
            await fn.invoke({ action: "mutate-env" });
            expect(process.env.FIXTURE_LEAK).to.equal(undefined);
        } finally {
            delete process.env.FIXTURE_HOST_ONLY;
        }
    });

    it("should write console calls as the runtime's JSON lines and stdout as it is, counting their bytes, as Lambda captures function output", async () => {
        const lines: string[] = [];
        const fn = make({}, 2, lines);
        expect(await fn.invoke({ action: "log" })).to.equal("logged");
        // JSON log format: each console call is one JSON line stamped with the invocation's request
        // id; console.debug is below the application log level (INFO); stdout is not wrapped.
        expect(lines).to.have.length(4);
        const [plain, json, cyclic, error] = lines;
        // An object JSON cannot hold is written as text, not thrown at the handler.
        expect(JSON.parse(cyclic)).to.include({ level: "INFO", requestId: JSON.parse(plain).requestId });
        expect(JSON.parse(cyclic).message).to.be.a("string").and.include("a cycle");
        const requestId = JSON.parse(plain).requestId;
        expect(requestId).to.match(/^[0-9a-f-]{36}$/);
        expect(JSON.parse(plain)).to.deep.equal({ timestamp: JSON.parse(plain).timestamp, level: "INFO", requestId, message: "plain line" });
        expect(json).to.equal('{"level":"INFO","message":"json line"}');
        expect(JSON.parse(error)).to.include({ level: "ERROR", requestId, message: "error line" });
        expect(fn.log.volume).to.deep.equal({ lines: 4, bytes: lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) });
    });

    describe("platform records, as the system log level lets them through", () => {
        const records = (lines: string[]) => lines.map((l) => JSON.parse(l) as { type?: string; record?: Record<string, any> }).filter((l) => l.type?.startsWith("platform."));

        it("should write none for a successful invocation at WARN, the component's level", async () => {
            const lines: string[] = [];
            const fn = make({}, 2, lines);
            await fn.invoke({ action: "context" });
            expect(records(lines)).to.deep.equal([]);
            expect(fn.log.platform).to.deep.equal({ lines: 0, bytes: 0 });
        });

        it("should write the failed invocation's runtimeDone and report at WARN, with duration, memory and the error type", async () => {
            const lines: string[] = [];
            const fn = make({}, 2, lines);
            await fn.invoke({ action: "throw" }).catch(() => undefined);
            const [done, report] = records(lines);
            expect([done.type, report.type]).to.deep.equal(["platform.runtimeDone", "platform.report"]);
            expect(report.record).to.include({ status: "error", errorType: "TypeError" });
            expect(report.record!.metrics).to.include({ memorySizeMB: 256 }).and.to.have.all.keys("durationMs", "billedDurationMs", "memorySizeMB", "maxMemoryUsedMB", "initDurationMs");
            expect(report.record!.metrics.billedDurationMs).to.equal(Math.max(1, Math.ceil(report.record!.metrics.durationMs)));
            expect(fn.log.platform.lines).to.equal(2);
            expect(fn.log.platform.bytes).to.equal(lines.filter((l) => l.includes('"type":"platform.')).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0));
        });

        it("should report a timed-out invocation at WARN with status timeout", async () => {
            const lines: string[] = [];
            const fn = make({}, 0.2, lines);
            await fn.invoke({ action: "hang" }).catch(() => undefined);
            expect(records(lines).map((r) => [r.type, r.record!.status])).to.deep.equal([
                ["platform.runtimeDone", "timeout"],
                ["platform.report", "timeout"],
            ]);
        });

        it("should write start and report for every invocation at INFO, Lambda's default, with the init duration on the first only", async () => {
            const lines: string[] = [];
            const fn = make({}, 2, lines, "INFO");
            const first = (await fn.invoke({ action: "context" })) as { requestId: string };
            await fn.invoke({ action: "context" });
            const seen = records(lines);
            expect(seen.map((r) => r.type)).to.deep.equal(["platform.start", "platform.report", "platform.start", "platform.report"]);
            expect(seen[0].record).to.deep.equal({ requestId: first.requestId, version: "$LATEST" });
            expect(seen[1].record).to.include({ requestId: first.requestId, status: "success" });
            expect(seen[1].record!.metrics).to.have.property("initDurationMs");
            expect(seen[3].record!.metrics).not.to.have.property("initDurationMs");
            // The handler's own output is counted apart from the platform's.
            expect(fn.log.volume.bytes).to.equal(0);
            expect(fn.log.platform.lines).to.equal(4);
        });
    });

    it("should pass a Lambda context whose remaining time counts down from the function timeout", async () => {
        const fn = make({}, 3);
        const seen = (await fn.invoke({ action: "context" })) as { remaining: number; requestId: string; functionName: string };
        expect(seen.remaining).to.be.within(1, 3000);
        expect(seen.requestId).to.match(/^[0-9a-f-]{36}$/);
        expect(seen.functionName).to.equal("fixture-fn");
    });

    it("should report a thrown error as a failed invocation that names the error", async () => {
        const fn = make();
        const error = await fn.invoke({ action: "throw" }).then(() => undefined, (e: unknown) => e);
        expect(error).to.be.instanceOf(FunctionInvocationError);
        expect((error as FunctionInvocationError).timedOut).to.equal(false);
        expect((error as Error).message).to.contain("TypeError: bad input in the fixture");
        expect(fn.counts).to.include({ invocations: 1, errors: 1, timeouts: 0, inFlight: 0 });
    });

    it("should time out at the function timeout and start a fresh sandbox for the next invocation", async () => {
        const fn = make({}, 0.2);
        const warm = await fn.invoke({ action: "instance" });
        expect(await fn.invoke({ action: "instance" })).to.equal(warm);
        const error = await fn.invoke({ action: "hang" }).then(() => undefined, (e: unknown) => e);
        expect(error).to.be.instanceOf(FunctionInvocationError);
        expect((error as FunctionInvocationError).timedOut).to.equal(true);
        expect((error as Error).message).to.equal("Task timed out after 0.20 seconds");
        expect(await fn.invoke({ action: "instance" })).to.not.equal(warm);
        expect(fn.counts).to.include({ timeouts: 1, inits: 2 });
    });

    it("should give each sandbox of one bundle a module scope and an environment of its own (they share compiled code, not modules)", async () => {
        const first = make({ FIXTURE_VALUE: "first" });
        const second = make({ FIXTURE_VALUE: "second" });
        const [a, b] = [await first.invoke({ action: "instance" }), await second.invoke({ action: "instance" })];
        expect(a).to.not.equal(b);
        expect(await first.invoke({ action: "instance" })).to.equal(a);
        expect([await first.invoke({ action: "env" }), await second.invoke({ action: "env" })].map((r) => (r as { fixture: string }).fixture)).to.deep.equal(["first", "second"]);
    });

    it("should run a bundle given a code cache that does not fit it (another bundle's, or junk) as if given none, and keep a cache of its own", async () => {
        await make().invoke({ action: "instance" });
        const foreign = [bundleCodeCache(code())!, Buffer.from("not a code cache")];
        for (const [n, codeCache] of foreign.entries()) {
            // A bundle this process has not run yet: its sandbox can only use the cache it is given.
            const fresh = `${code()}\n// ${process.pid}-${Date.now()}-${n}`;
            expect(bundleCodeCache(fresh)).to.equal(undefined);
            const fn = new LocalFunction({ functionName: "fixture-fn", timeoutSeconds: 2, memoryMb: 256, region: "us-east-1", code: fresh, env: { FIXTURE_VALUE: `foreign cache ${n}` }, codeCache });
            expect(((await fn.invoke({ action: "env" })) as { fixture: string }).fixture).to.equal(`foreign cache ${n}`);
            expect(bundleCodeCache(fresh)).to.be.an.instanceOf(Buffer).that.does.not.deep.equal(codeCache);
        }
    });

    it("should fail at init with the module's own message when the handler throws at load", () => {
        const fn = make({ FIXTURE_FAIL_AT_LOAD: "true" });
        expect(() => fn.init()).to.throw(/fixture-fn: the handler module failed to load .*FIXTURE_REQUIRED is required/);
    });

    it("should refuse a bundle that exports no handler", () => {
        const fn = new LocalFunction({ functionName: "empty", timeoutSeconds: 1, memoryMb: 128, region: "us-east-1", code: "exports.other = 1;", env: {} });
        expect(() => fn.init()).to.throw(/exports no function named "handler"/);
    });
});
