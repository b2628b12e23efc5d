import {
    DescribeExecutionCommand,
    DescribeStateMachineCommand,
    ListExecutionsCommand,
    RedriveExecutionCommand,
    SendTaskSuccessCommand,
    SFNClient,
    StartExecutionCommand,
    StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { expect } from "chai";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import { MAX_EXECUTION_INPUT_BYTES, startStepFunctionsEmulator, type StepFunctionsEmulator } from "../../local/emulators/stepfunctions-emulator";

const LOCAL_AWS = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } } as const;
const SHIPPING = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-shipping";
const REFUND = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-refund";
/** A machine that succeeds at once, and one that fails at once: executions that close by themselves. */
const QUICK = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-quick";
const FAILING = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-failing";
const QUICK_DEFINITION = { StartAt: "Done", States: { Done: { Type: "Pass", Result: { done: true }, End: true } } };
const FAILING_DEFINITION = { StartAt: "Broken", States: { Broken: { Type: "Fail", Error: "Broken", Cause: "fails on purpose" } } };
const ORDER_ID = "0b7c8f3e-5d6a-4c1b-9e2f-3a4b5c6d7e8f";
const INPUT = JSON.stringify({ orderId: ORDER_ID });

/** The error a call fails with (its name and HTTP status), or undefined if it succeeds. */
async function failureOf(call: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string } | undefined> {
    try {
        await call;
        return undefined;
    } catch (error) {
        const e = error as Error & { $metadata?: { httpStatusCode?: number } };
        return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
    }
}

describe("local Step Functions emulator", () => {
    let emulator: StepFunctionsEmulator;
    let client: SFNClient;
    const start = (input: Partial<ConstructorParameters<typeof StartExecutionCommand>[0]> = {}) =>
        client.send(new StartExecutionCommand({ stateMachineArn: SHIPPING, name: `ship-${ORDER_ID}`, input: INPUT, ...input }));

    before(async () => {
        emulator = await startStepFunctionsEmulator({ stateMachineArns: [SHIPPING], stateMachines: [{ arn: QUICK, definition: QUICK_DEFINITION }] });
        emulator.addStateMachine(REFUND);
        emulator.addStateMachine({ arn: FAILING, definition: JSON.stringify(FAILING_DEFINITION) });
        // One attempt: the tests look at what one call answers; the retry test makes its own client.
        client = new SFNClient({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: emulator.endpoint });
    });
    after(async () => {
        client.destroy();
        await emulator.stop();
    });
    beforeEach(() => emulator.reset());

    it("should listen on 127.0.0.1 only", () => {
        expect(emulator.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("should start an execution named by the caller and record it as RUNNING", async () => {
        const started = await start();
        expect(started.executionArn).to.equal(`arn:aws:states:us-east-1:123456789012:execution:orders-shipping:ship-${ORDER_ID}`);
        expect(started.startDate).to.be.instanceOf(Date);
        const [execution] = emulator.executions();
        expect(execution).to.include({ executionArn: started.executionArn, stateMachineArn: SHIPPING, name: `ship-${ORDER_ID}`, input: INPUT, status: "RUNNING" });
        expect(execution.startDate).to.equal(started.startDate!.getTime());
    });

    it("should answer a repeated start with the same name and input with the same execution, and start nothing more", async () => {
        const first = await start();
        const second = await start();
        expect(second.executionArn).to.equal(first.executionArn);
        expect(second.startDate!.getTime()).to.equal(first.startDate!.getTime());
        expect(emulator.executions()).to.have.length(1);
    });

    it("should refuse the same name with another input as ExecutionAlreadyExists", async () => {
        await start();
        const failure = await failureOf(start({ input: JSON.stringify({ orderId: "other" }) }));
        expect(failure).to.deep.include({ name: "ExecutionAlreadyExists", status: 400 });
        expect(emulator.executions()).to.have.length(1);
    });

    it("should refuse a name whose execution has closed, even with the same input", async () => {
        const { executionArn } = await start({ stateMachineArn: QUICK });
        expect(await emulator.settled(executionArn!)).to.include({ status: "SUCCEEDED", output: JSON.stringify({ done: true }) });
        expect(await failureOf(start({ stateMachineArn: QUICK }))).to.deep.include({ name: "ExecutionAlreadyExists" });
    });

    it("should keep names apart per state machine", async () => {
        const ship = await start({ name: "same" });
        const refund = await start({ stateMachineArn: REFUND, name: "same" });
        expect(refund.executionArn).not.to.equal(ship.executionArn);
        expect(emulator.executions().map((e) => e.stateMachineArn)).to.deep.equal([SHIPPING, REFUND]);
    });

    it("should refuse an unknown state machine, and a malformed ARN", async () => {
        const unknown = "arn:aws:states:us-east-1:123456789012:stateMachine:nobody";
        expect(await failureOf(start({ stateMachineArn: unknown }))).to.deep.include({ name: "StateMachineDoesNotExist", status: 400 });
        expect(await failureOf(start({ stateMachineArn: "orders-shipping" }))).to.deep.include({ name: "InvalidArn", status: 400 });
        expect(emulator.executions()).to.deep.equal([]);
        expect(() => emulator.addStateMachine("not-an-arn")).to.throw(TypeError, "not a state machine ARN");
        expect(() => emulator.addStateMachine({ arn: QUICK, definition: { StartAt: "Nowhere", States: {} } })).to.throw(/invalid/);
    });

    it("should accept names of 1 to 80 allowed characters and refuse the rest as InvalidName", async () => {
        for (const name of ["a", "x".repeat(80), "ship_1-2.3", "naïve"]) {
            expect(await failureOf(start({ name })), name).to.equal(undefined);
        }
        for (const name of ["", "x".repeat(81), "a b", "a/b", "a:b", "a*b", "a{b}", "a\u0007b", "a#b"]) {
            expect(await failureOf(start({ name })), JSON.stringify(name)).to.deep.include({ name: "InvalidName", status: 400 });
        }
        expect(emulator.executions()).to.have.length(4);
    });

    it("should name an execution itself when the caller does not", async () => {
        const { executionArn } = await start({ name: undefined });
        expect(executionArn).to.match(/:execution:orders-shipping:[0-9a-f-]{36}$/);
    });

    it("should refuse input that is not JSON, or larger than 256 KiB, as InvalidExecutionInput", async () => {
        expect(await failureOf(start({ input: "{orderId" }))).to.deep.include({ name: "InvalidExecutionInput", status: 400 });
        // Size counts UTF-8 bytes: "é" is two.
        const exact = JSON.stringify("é".repeat((MAX_EXECUTION_INPUT_BYTES - 2) / 2));
        expect(Buffer.byteLength(exact)).to.equal(MAX_EXECUTION_INPUT_BYTES);
        expect(await failureOf(start({ name: "exact", input: exact }))).to.equal(undefined);
        const over = JSON.stringify("é".repeat((MAX_EXECUTION_INPUT_BYTES - 2) / 2) + "x");
        expect(await failureOf(start({ name: "over", input: over }))).to.deep.include({ name: "InvalidExecutionInput" });
        expect(emulator.executions().map((e) => e.name)).to.deep.equal(["exact"]);
    });

    it("should take a missing input as {}", async () => {
        await start({ input: undefined });
        expect(emulator.executions()[0].input).to.equal("{}");
    });

    it("should describe an execution, running and finished", async () => {
        const { executionArn } = await start();
        const running = await client.send(new DescribeExecutionCommand({ executionArn }));
        expect(running).to.include({ executionArn, stateMachineArn: SHIPPING, name: `ship-${ORDER_ID}`, status: "RUNNING", input: INPUT });
        expect(running.redriveStatus).to.equal("NOT_REDRIVABLE");
        const failing = await start({ stateMachineArn: FAILING });
        await emulator.settled(failing.executionArn!);
        const failed = await client.send(new DescribeExecutionCommand({ executionArn: failing.executionArn }));
        expect(failed).to.include({ status: "FAILED", error: "Broken", cause: "fails on purpose", redriveStatus: "REDRIVABLE" });
        expect(failed.stopDate).to.be.instanceOf(Date);
    });

    it("should answer DescribeExecution for an unknown execution with ExecutionDoesNotExist, and for a malformed ARN with InvalidArn", async () => {
        const executionArn = `arn:aws:states:us-east-1:123456789012:execution:orders-shipping:nobody`;
        expect(await failureOf(client.send(new DescribeExecutionCommand({ executionArn })))).to.deep.include({ name: "ExecutionDoesNotExist" });
        expect(await failureOf(client.send(new DescribeExecutionCommand({ executionArn: "nope" })))).to.deep.include({ name: "InvalidArn" });
    });

    it("should fail the next requests with a 5xx, so that the SDK's retries start the execution once", async () => {
        const retrying = new SFNClient({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 3 }), endpoint: emulator.endpoint });
        try {
            emulator.failNextRequests(2);
            const started = await retrying.send(new StartExecutionCommand({ stateMachineArn: SHIPPING, name: `ship-${ORDER_ID}`, input: INPUT }));
            expect(started.executionArn).to.match(/ship-/);
            expect(emulator.requests()).to.deep.equal([
                { operation: "StartExecution", status: 500 },
                { operation: "StartExecution", status: 500 },
                { operation: "StartExecution", status: 200 },
            ]);
            expect(emulator.executions()).to.have.length(1);
        } finally {
            retrying.destroy();
        }
    });

    it("should let a caller without retries see the injected failure, and nothing started", async () => {
        emulator.failNextRequests(1, 503);
        expect(await failureOf(start())).to.deep.include({ status: 503 });
        expect(emulator.executions()).to.deep.equal([]);
        expect(await failureOf(start())).to.equal(undefined);
        expect(() => emulator.failNextRequests(1, 404)).to.throw(RangeError);
    });

    it("should stop a running execution as ABORTED, and answer a second stop with the same stop date", async () => {
        const { executionArn } = await start();
        const stopped = await client.send(new StopExecutionCommand({ executionArn, error: "Refunded", cause: "the order was refunded" }));
        expect(await emulator.settled(executionArn!)).to.include({ status: "ABORTED", error: "Refunded" });
        const again = await client.send(new StopExecutionCommand({ executionArn }));
        expect(again.stopDate!.getTime()).to.equal(stopped.stopDate!.getTime());
        const unknown = `arn:aws:states:us-east-1:123456789012:execution:orders-shipping:nobody`;
        expect(await failureOf(client.send(new StopExecutionCommand({ executionArn: unknown })))).to.deep.include({ name: "ExecutionDoesNotExist" });
    });

    it("should list a machine's executions newest first, by status, a page at a time", async () => {
        await start({ name: "one" });
        await start({ name: "two" });
        await start({ name: "three" });
        await client.send(new StopExecutionCommand({ executionArn: `arn:aws:states:us-east-1:123456789012:execution:orders-shipping:two` }));
        const first = await client.send(new ListExecutionsCommand({ stateMachineArn: SHIPPING, maxResults: 2 }));
        expect(first.executions!.map((e) => e.name)).to.deep.equal(["three", "two"]);
        const second = await client.send(new ListExecutionsCommand({ stateMachineArn: SHIPPING, maxResults: 2, nextToken: first.nextToken }));
        expect(second.executions!.map((e) => e.name)).to.deep.equal(["one"]);
        expect(second.nextToken).to.equal(undefined);
        const aborted = await client.send(new ListExecutionsCommand({ stateMachineArn: SHIPPING, statusFilter: "ABORTED" }));
        expect(aborted.executions!.map((e) => e.name)).to.deep.equal(["two"]);
    });

    it("should refuse a redrive of a running or succeeded execution as ExecutionNotRedrivable", async () => {
        const running = await start();
        expect(await failureOf(client.send(new RedriveExecutionCommand({ executionArn: running.executionArn })))).to.deep.include({ name: "ExecutionNotRedrivable" });
        const quick = await start({ stateMachineArn: QUICK });
        await emulator.settled(quick.executionArn!);
        expect(await failureOf(client.send(new RedriveExecutionCommand({ executionArn: quick.executionArn })))).to.deep.include({ name: "ExecutionNotRedrivable" });
    });

    it("should answer a token it never issued with InvalidToken", async () => {
        const failure = await failureOf(client.send(new SendTaskSuccessCommand({ taskToken: "not-a-token", output: "{}" })));
        expect(failure).to.deep.include({ name: "InvalidToken", status: 400 });
    });

    it("should refuse other operations", async () => {
        const failure = await failureOf(client.send(new DescribeStateMachineCommand({ stateMachineArn: SHIPPING })));
        expect(failure).to.deep.include({ name: "UnknownOperationException", status: 400 });
    });
});
