import { expect } from "chai";
import { bundleHandler } from "../../components/bundling";
import { FunctionInvocationError, LocalFunction } from "../../local/lambda/lambda-sandbox";

const FIXTURE = "tests/local/fixtures/sandbox-handler.ts";

describe("local functions run from their deployment bundle", () => {
    const code = () => bundleHandler(FIXTURE).code;
    const make = (env: Record<string, string> = {}, timeoutSeconds = 2, lines: string[] = []) =>
        new LocalFunction({
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

    it("should capture console and stdout lines and count their bytes, as Lambda captures function output", async () => {
        const lines: string[] = [];
        const fn = make({}, 2, lines);
        expect(await fn.invoke({ action: "log" })).to.equal("logged");
        expect(lines).to.deep.equal(["plain line", '{"level":"INFO","message":"json line"}', "error line"]);
        expect(fn.log.volume).to.deep.equal({ lines: 3, bytes: lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) });
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

    it("should fail at init with the module's own message when the handler throws at load", () => {
        const fn = make({ FIXTURE_FAIL_AT_LOAD: "true" });
        expect(() => fn.init()).to.throw(/fixture-fn: the handler module failed to load .*FIXTURE_REQUIRED is required/);
    });

    it("should refuse a bundle that exports no handler", () => {
        const fn = new LocalFunction({ functionName: "empty", timeoutSeconds: 1, memoryMb: 128, region: "us-east-1", code: "exports.other = 1;", env: {} });
        expect(() => fn.init()).to.throw(/exports no function named "handler"/);
    });
});
