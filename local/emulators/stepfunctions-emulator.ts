/**
 * A minimal AWS Step Functions API on 127.0.0.1 for tests and local mode: StartExecution and
 * DescribeExecution of the AWS JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Op>`), answered
 * the way Step Functions answers them, so that the real `@aws-sdk/client-sfn` can talk to it.
 *
 * It records executions; it does NOT run definitions: an execution stays RUNNING until a test
 * calls {@link StepFunctionsEmulator.finishExecution}. What it reproduces is what callers depend on:
 * the execution name as idempotency key (the same name and input while RUNNING answer the same
 * execution; another input, or a name whose execution has closed, is ExecutionAlreadyExists),
 * name and input validation, unknown state machines, and injected 5xx answers for retry tests.
 *
 * Point a client at it with `endpoint: emulator.endpoint` (or `AWS_ENDPOINT_URL_SFN`).
 */
import { randomUUID } from "node:crypto";
import { AwsApiError, startAwsJsonServer } from "./aws-json-server";

/** Step Functions' limit on an execution's input: 256 KiB of UTF-8 (quota "Maximum input or output size"). */
export const MAX_EXECUTION_INPUT_BYTES = 256 * 1024;

/** Longest execution name StartExecution accepts. */
export const MAX_EXECUTION_NAME_LENGTH = 80;

/**
 * Characters StartExecution refuses in a name (API reference, StartExecution `name`): white
 * space, brackets `< > { } [ ]`, wildcards `? *`, the specials `" # % \ ^ | ~ \` $ & , ; : /`,
 * and control characters (U+0000-001F, U+007F-009F).
 */
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. */
const STATE_MACHINE_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;

/** `arn:<partition>:states:<region>:<account>:execution:<machine>:<name>`. */
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]{1,80}:[^:]{1,80}$/;

/** Where an execution stands. */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** One execution the emulator started. */
export interface RecordedExecution {
    readonly executionArn: string;
    readonly stateMachineArn: string;
    readonly name: string;
    /** The input as sent (a JSON text). */
    readonly input: string;
    /** Epoch milliseconds. */
    readonly startDate: number;
    readonly status: ExecutionStatus;
    readonly stopDate?: number;
    readonly output?: string;
}

/** A running emulator. */
export interface StepFunctionsEmulator {
    /** `http://127.0.0.1:<port>`. */
    readonly endpoint: string;
    /** Makes a state machine known, so StartExecution accepts its ARN. Throws for a malformed ARN. */
    addStateMachine(stateMachineArn: string): void;
    /** Every execution started, in order (copies). */
    executions(): RecordedExecution[];
    /** Every request answered, by operation, in order, including injected failures. */
    requests(): { readonly operation: string; readonly status: number }[];
    /** Makes the next `count` requests fail with HTTP `status` (a 5xx, which SDKs retry) before anything else happens. */
    failNextRequests(count: number, status?: number): void;
    /** Closes a RUNNING execution with a final status (and output), as if its definition had run. */
    finishExecution(executionArn: string, status: Exclude<ExecutionStatus, "RUNNING">, output?: unknown): void;
    /** Forgets executions, requests and pending failures; keeps the state machines. */
    reset(): void;
    /** Stops listening and closes open connections. */
    stop(): Promise<void>;
}

/** Options of {@link startStepFunctionsEmulator}. */
export interface StepFunctionsEmulatorOptions {
    /** State machines known from the start. */
    readonly stateMachineArns?: readonly string[];
}

/** Request bodies larger than this are refused before parsing (room for a 256 KiB input escaped in JSON). */
const MAX_REQUEST_BODY_BYTES = 4 * MAX_EXECUTION_INPUT_BYTES;

/** Why a name is refused, or undefined when StartExecution accepts it. */
function nameProblem(name: string): string | undefined {
    if (name.length < 1 || name.length > MAX_EXECUTION_NAME_LENGTH) return `Invalid Name: '${name}' (must be 1 to ${MAX_EXECUTION_NAME_LENGTH} characters)`;
    if (FORBIDDEN_NAME_CHARACTERS.test(name)) return `Invalid Name: '${name}'`;
    return undefined;
}

/** The execution's description as DescribeExecution answers it (dates in epoch seconds). */
function describe(execution: RecordedExecution): Record<string, unknown> {
    return {
        executionArn: execution.executionArn,
        stateMachineArn: execution.stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate / 1000,
        input: execution.input,
        inputDetails: { included: true },
        ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate / 1000 }),
        ...(execution.output === undefined ? {} : { output: execution.output, outputDetails: { included: true } }),
    };
}

/** Starts an emulator on 127.0.0.1 on a port the OS chooses. */
export async function startStepFunctionsEmulator(options: StepFunctionsEmulatorOptions = {}): Promise<StepFunctionsEmulator> {
    const stateMachines = new Set<string>();
    let executions = new Map<string, RecordedExecution>();
    let requests: { operation: string; status: number }[] = [];
    let failures: number[] = [];

    function addStateMachine(arn: string): void {
        if (!STATE_MACHINE_ARN.test(arn)) throw new TypeError(`not a state machine ARN: ${arn}`);
        stateMachines.add(arn);
    }
    for (const arn of options.stateMachineArns ?? []) addStateMachine(arn);

    function startExecution(input: Record<string, unknown>): unknown {
        const stateMachineArn = input.stateMachineArn;
        if (typeof stateMachineArn !== "string") throw new AwsApiError(400, "ValidationException", "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
        const arn = STATE_MACHINE_ARN.exec(stateMachineArn);
        if (!arn) throw new AwsApiError(400, "InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${stateMachineArn}'`);
        if (!stateMachines.has(stateMachineArn)) throw new AwsApiError(400, "StateMachineDoesNotExist", `State Machine Does Not Exist: '${stateMachineArn}'`);

        const name = input.name === undefined ? randomUUID() : input.name;
        if (typeof name !== "string") throw new AwsApiError(400, "SerializationException", "name must be a string");
        const invalidName = nameProblem(name);
        if (invalidName) throw new AwsApiError(400, "InvalidName", invalidName);

        const text = input.input === undefined ? "{}" : input.input;
        if (typeof text !== "string") throw new AwsApiError(400, "SerializationException", "input must be a string");
        if (Buffer.byteLength(text, "utf8") > MAX_EXECUTION_INPUT_BYTES) {
            throw new AwsApiError(400, "InvalidExecutionInput", `Invalid Execution Input: input exceeds the maximum size of ${MAX_EXECUTION_INPUT_BYTES} bytes`);
        }
        try {
            JSON.parse(text);
        } catch {
            throw new AwsApiError(400, "InvalidExecutionInput", "Invalid Execution Input: the input is not valid JSON");
        }

        const [, partition, region, account, machineName] = arn;
        const executionArn = `arn:${partition}:states:${region}:${account}:execution:${machineName}:${name}`;
        const existing = executions.get(executionArn);
        if (existing) {
            // A Standard workflow's name is its idempotency key: the same request while it runs
            // answers the running execution; anything else is refused.
            if (existing.status === "RUNNING" && existing.input === text) return { executionArn, startDate: existing.startDate / 1000 };
            throw new AwsApiError(400, "ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`);
        }
        const execution: RecordedExecution = { executionArn, stateMachineArn, name, input: text, startDate: Date.now(), status: "RUNNING" };
        executions.set(executionArn, execution);
        return { executionArn, startDate: execution.startDate / 1000 };
    }

    function describeExecution(input: Record<string, unknown>): unknown {
        const executionArn = input.executionArn;
        if (typeof executionArn !== "string" || !EXECUTION_ARN.test(executionArn)) {
            throw new AwsApiError(400, "InvalidArn", `Invalid Arn: '${String(executionArn)}'`);
        }
        const execution = executions.get(executionArn);
        if (!execution) throw new AwsApiError(400, "ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`);
        return describe(execution);
    }

    const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
        StartExecution: startExecution,
        DescribeExecution: describeExecution,
    };

    const server = await startAwsJsonServer({
        targetPrefix: "AWSStepFunctions",
        contentType: "application/x-amz-json-1.0",
        maxBodyBytes: MAX_REQUEST_BODY_BYTES,
        operations,
        intercept: () => {
            const status = failures.shift();
            return status === undefined ? undefined : { status, body: { __type: "ServiceUnavailable", message: "Service unavailable (injected by the emulator)." } };
        },
        onAnswer: (operation, status) => requests.push({ operation, status }),
    });

    return {
        endpoint: server.endpoint,
        addStateMachine,
        executions: () => [...executions.values()].map((e) => ({ ...e })),
        requests: () => requests.map((r) => ({ ...r })),
        failNextRequests(count, status = 500) {
            if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
            if (!Number.isInteger(status) || status < 500 || status > 599) throw new RangeError(`status must be a 5xx code, got ${status}`);
            for (let i = 0; i < count; i++) failures.push(status);
        },
        finishExecution(executionArn, status, output) {
            const execution = executions.get(executionArn);
            if (!execution) throw new Error(`no execution ${executionArn}`);
            if (execution.status !== "RUNNING") throw new Error(`execution ${executionArn} is already ${execution.status}`);
            executions.set(executionArn, {
                ...execution,
                status,
                stopDate: Date.now(),
                ...(output === undefined ? {} : { output: JSON.stringify(output) }),
            });
        },
        reset() {
            executions = new Map();
            requests = [];
            failures = [];
        },
        stop: server.stop,
    };
}
