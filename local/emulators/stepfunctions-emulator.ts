/**
 * A local AWS Step Functions API on 127.0.0.1 for tests and local mode, answering the AWS JSON 1.0
 * protocol (`X-Amz-Target: AWSStepFunctions.<Op>`) so that the real `@aws-sdk/client-sfn` talks to
 * it, and RUNNING the registered definitions in the ASL interpreter `aws-local-stepfunctions`,
 * every Task performed by the real AWS SDK against the local emulators (see
 * `stepfunctions/integrations.ts`).
 *
 * Served: StartExecution (the name is the idempotency key: the same name and input while RUNNING
 * answer the same execution; another input, or a name whose execution has closed, is
 * ExecutionAlreadyExists; name and input validated as AWS does), DescribeExecution,
 * StopExecution, ListExecutions, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat and
 * RedriveExecution (a FAILED, TIMED_OUT or ABORTED execution goes on from the state that failed,
 * with that state's input, under the same ARN; the states that succeeded are not run again).
 *
 * Point a client at it with `endpoint: emulator.endpoint` (or `AWS_ENDPOINT_URL_SFN`).
 */
import { randomUUID } from "node:crypto";
import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { AwsApiError, startAwsJsonServer } from "./aws-json-server";
import { startRun, type HistoryEvent, type Run } from "./stepfunctions/execution-runner";
import { createIntegrations, type Integrations, type StepFunctionsEndpoints } from "./stepfunctions/integrations";
import { TaskTokens } from "./stepfunctions/task-tokens";

export type { StepFunctionsEndpoints } from "./stepfunctions/integrations";
export type { HistoryEvent } from "./stepfunctions/execution-runner";

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

/**
 * The definition of a machine registered by ARN alone: it waits a day, so its executions stay
 * RUNNING until stopped. For callers that only start executions (the handlers' own tests).
 */
export const WAITING_DEFINITION: StateMachineDefinition = {
    Comment: "Waits; registered for callers that only start executions.",
    StartAt: "Wait",
    States: { Wait: { Type: "Wait", Seconds: 86400, End: true } },
} as StateMachineDefinition;

/** Where an execution stands. */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** One execution, as the emulator keeps it. */
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
    /** The output (a JSON text) of a SUCCEEDED execution. */
    readonly output?: string;
    /** The error and cause of a FAILED or ABORTED execution. */
    readonly error?: string;
    readonly cause?: string;
    /** The state the execution failed or was stopped in (where a redrive goes on). */
    readonly failedState?: string;
    readonly redriveCount: number;
    readonly redriveDate?: number;
}

/** One state machine the emulator runs. */
export interface StateMachineRegistration {
    /** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. */
    readonly arn: string;
    /** The definition the component builds (object or JSON text). */
    readonly definition: object | string;
    /** The execution role (`$$.Execution.RoleArn`). */
    readonly roleArn?: string;
}

/** Options of {@link startStepFunctionsEmulator}. */
export interface StepFunctionsEmulatorOptions {
    /** Where the Tasks' integrations are performed. Needed as soon as a definition has a Task. */
    readonly endpoints?: StepFunctionsEndpoints;
    /** State machines known from the start, with their definitions. */
    readonly stateMachines?: readonly StateMachineRegistration[];
    /** State machines known by ARN alone: they run {@link WAITING_DEFINITION}. */
    readonly stateMachineArns?: readonly string[];
    /** Region of the integrations' SDK clients. Defaults to us-east-1. */
    readonly region?: string;
    /**
     * Milliseconds to pause before each retry of a Retry entry instead of its intervals, so that
     * tests see every retry without waiting seconds. Defaults to the definition's own intervals.
     */
    readonly retryPauseMs?: number;
}

/** A running emulator. */
export interface StepFunctionsEmulator {
    /** `http://127.0.0.1:<port>`. */
    readonly endpoint: string;
    /** Makes a state machine known (an ARN alone runs {@link WAITING_DEFINITION}). Throws for a malformed ARN or an invalid definition. */
    addStateMachine(registration: StateMachineRegistration | string): void;
    /** Every execution started, in order (copies). */
    executions(): RecordedExecution[];
    /** The history of an execution: each state entered, left, failed, retried or caught, with its data. */
    history(executionArn: string): HistoryEvent[];
    /** Resolves with the execution once it is no longer RUNNING (rejects after `timeoutMs`, default 10 s). */
    settled(executionArn: string, timeoutMs?: number): Promise<RecordedExecution>;
    /** Resolves once no execution is RUNNING (rejects after `timeoutMs`, default 10 s). */
    idle(timeoutMs?: number): Promise<void>;
    /** Every request answered, by operation, in order, including injected failures. */
    requests(): { readonly operation: string; readonly status: number }[];
    /** Makes the next `count` requests fail with HTTP `status` (a 5xx, which SDKs retry) before anything else happens. */
    failNextRequests(count: number, status?: number): void;
    /** Stops running executions and forgets executions, requests and pending failures; keeps the state machines. */
    reset(): void;
    /** Stops running executions, stops listening and closes open connections. */
    stop(): Promise<void>;
}

/** Request bodies larger than this are refused before parsing (room for a 256 KiB input escaped in JSON). */
const MAX_REQUEST_BODY_BYTES = 4 * MAX_EXECUTION_INPUT_BYTES;

/** Why a name is refused, or undefined when StartExecution accepts it. */
function nameProblem(name: string): string | undefined {
    if (name.length < 1 || name.length > MAX_EXECUTION_NAME_LENGTH) return `Invalid Name: '${name}' (must be 1 to ${MAX_EXECUTION_NAME_LENGTH} characters)`;
    if (FORBIDDEN_NAME_CHARACTERS.test(name)) return `Invalid Name: '${name}'`;
    return undefined;
}

/** An execution and what the emulator needs to run it. */
interface ExecutionState {
    record: RecordedExecution;
    history: HistoryEvent[];
    failedInput?: unknown;
    run?: Run;
    settled: Promise<void>;
}

/**
 * The definitions the interpreter has already accepted in this process, as JSON text: its
 * validation (asl-validator) compiles its schemas on every call, about 150 ms, and the same
 * definitions are registered again with every emulator started.
 */
const acceptedDefinitions = new Set<string>();

/** Throws what the interpreter's own validation (asl-validator, with ARN and path checks) finds wrong in a definition. */
function validateDefinition(definition: StateMachineDefinition): void {
    const text = JSON.stringify(definition);
    if (acceptedDefinitions.has(text)) return;
    new StateMachine(definition);
    acceptedDefinitions.add(text);
}

interface Machine {
    readonly arn: string;
    readonly definition: StateMachineDefinition;
    readonly roleArn?: string;
}

/** Seconds since the epoch, as the JSON protocol carries timestamps. */
const seconds = (ms: number) => ms / 1000;

/** Starts an emulator on 127.0.0.1 on a port the OS chooses. */
export async function startStepFunctionsEmulator(options: StepFunctionsEmulatorOptions = {}): Promise<StepFunctionsEmulator> {
    const machines = new Map<string, Machine>();
    let executions = new Map<string, ExecutionState>();
    let requests: { operation: string; status: number }[] = [];
    let failures: number[] = [];
    const tokens = new TaskTokens();
    let integrations: Integrations | undefined;

    function addStateMachine(registration: StateMachineRegistration | string): void {
        const reg = typeof registration === "string" ? { arn: registration, definition: WAITING_DEFINITION } : registration;
        if (!STATE_MACHINE_ARN.test(reg.arn)) throw new TypeError(`not a state machine ARN: ${reg.arn}`);
        const definition = (typeof reg.definition === "string" ? JSON.parse(reg.definition) : reg.definition) as StateMachineDefinition;
        validateDefinition(definition);
        const hasTask = Object.values(definition.States as Record<string, { Type: string }>).some((s) => s.Type === "Task");
        if (hasTask && !options.endpoints) throw new TypeError(`state machine ${reg.arn} has Tasks: the emulator needs endpoints`);
        machines.set(reg.arn, { arn: reg.arn, definition, ...(reg.roleArn ? { roleArn: reg.roleArn } : {}) });
    }

    function stateOf(executionArn: unknown): ExecutionState {
        if (typeof executionArn !== "string" || !EXECUTION_ARN.test(executionArn)) {
            throw new AwsApiError(400, "InvalidArn", `Invalid Arn: '${String(executionArn)}'`);
        }
        const state = executions.get(executionArn);
        if (!state) throw new AwsApiError(400, "ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`);
        return state;
    }

    /** Runs `state` from `startAt` with `input`, and records how it ends. */
    function run(state: ExecutionState, startAt: string, input: unknown): void {
        const machine = machines.get(state.record.stateMachineArn)!;
        const run = startRun({
            definition: machine.definition,
            startAt,
            input,
            executionArn: state.record.executionArn,
            executionName: state.record.name,
            stateMachineArn: machine.arn,
            ...(machine.roleArn ? { roleArn: machine.roleArn } : {}),
            redriveCount: state.record.redriveCount,
            integrations: integrations!,
            tokens,
            ...(options.retryPauseMs === undefined ? {} : { retryPauseMs: options.retryPauseMs }),
            onEvent: (event) => state.history.push(event),
        });
        state.run = run;
        state.settled = run.outcome.then((outcome) => {
            if (state.run !== run) return;
            state.run = undefined;
            const stopDate = Date.now();
            switch (outcome.status) {
                case "SUCCEEDED":
                    state.record = { ...state.record, status: "SUCCEEDED", stopDate, output: JSON.stringify(outcome.output ?? null) };
                    break;
                case "FAILED":
                    // A Task's TimeoutSeconds is a States.Timeout failure of the execution (TIMED_OUT is the execution's own timeout).
                    state.record = { ...state.record, status: "FAILED", stopDate, error: outcome.error, cause: outcome.cause, failedState: outcome.failedState };
                    state.failedInput = outcome.failedInput;
                    break;
                case "ABORTED":
                    // StopExecution already recorded ABORTED; keep where it stood for a redrive.
                    state.record = { ...state.record, ...(outcome.failedState ? { failedState: outcome.failedState } : {}) };
                    state.failedInput = outcome.failedInput;
                    break;
            }
        });
    }

    function startExecution(input: Record<string, unknown>): unknown {
        const stateMachineArn = input.stateMachineArn;
        if (typeof stateMachineArn !== "string") throw new AwsApiError(400, "ValidationException", "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
        const arn = STATE_MACHINE_ARN.exec(stateMachineArn);
        if (!arn) throw new AwsApiError(400, "InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${stateMachineArn}'`);
        if (!machines.has(stateMachineArn)) throw new AwsApiError(400, "StateMachineDoesNotExist", `State Machine Does Not Exist: '${stateMachineArn}'`);

        const name = input.name === undefined ? randomUUID() : input.name;
        if (typeof name !== "string") throw new AwsApiError(400, "SerializationException", "name must be a string");
        const invalidName = nameProblem(name);
        if (invalidName) throw new AwsApiError(400, "InvalidName", invalidName);

        const text = input.input === undefined ? "{}" : input.input;
        if (typeof text !== "string") throw new AwsApiError(400, "SerializationException", "input must be a string");
        if (Buffer.byteLength(text, "utf8") > MAX_EXECUTION_INPUT_BYTES) {
            throw new AwsApiError(400, "InvalidExecutionInput", `Invalid Execution Input: input exceeds the maximum size of ${MAX_EXECUTION_INPUT_BYTES} bytes`);
        }
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch {
            throw new AwsApiError(400, "InvalidExecutionInput", "Invalid Execution Input: the input is not valid JSON");
        }

        const [, partition, region, account, machineName] = arn;
        const executionArn = `arn:${partition}:states:${region}:${account}:execution:${machineName}:${name}`;
        const existing = executions.get(executionArn);
        if (existing) {
            // A Standard workflow's name is its idempotency key: the same request while it runs
            // answers the running execution; anything else is refused.
            if (existing.record.status === "RUNNING" && existing.record.input === text) return { executionArn, startDate: seconds(existing.record.startDate) };
            throw new AwsApiError(400, "ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`);
        }
        const state: ExecutionState = {
            record: { executionArn, stateMachineArn, name, input: text, startDate: Date.now(), status: "RUNNING", redriveCount: 0 },
            history: [],
            settled: Promise.resolve(),
        };
        executions.set(executionArn, state);
        run(state, machines.get(stateMachineArn)!.definition.StartAt, parsed);
        return { executionArn, startDate: seconds(state.record.startDate) };
    }

    function describe(record: RecordedExecution): Record<string, unknown> {
        return {
            executionArn: record.executionArn,
            stateMachineArn: record.stateMachineArn,
            name: record.name,
            status: record.status,
            startDate: seconds(record.startDate),
            input: record.input,
            inputDetails: { included: true },
            ...(record.stopDate === undefined ? {} : { stopDate: seconds(record.stopDate) }),
            ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
            ...(record.error === undefined ? {} : { error: record.error }),
            ...(record.cause === undefined ? {} : { cause: record.cause }),
            redriveCount: record.redriveCount,
            ...(record.redriveDate === undefined ? {} : { redriveDate: seconds(record.redriveDate) }),
            redriveStatus: record.status === "RUNNING" || record.status === "SUCCEEDED" ? "NOT_REDRIVABLE" : "REDRIVABLE",
        };
    }

    function stopExecution(input: Record<string, unknown>): unknown {
        const state = stateOf(input.executionArn);
        if (state.record.status !== "RUNNING") return { stopDate: seconds(state.record.stopDate ?? Date.now()) };
        const stopDate = Date.now();
        state.record = {
            ...state.record,
            status: "ABORTED",
            stopDate,
            ...(typeof input.error === "string" ? { error: input.error } : {}),
            ...(typeof input.cause === "string" ? { cause: input.cause } : {}),
        };
        state.run?.abort();
        tokens.closeExecution(state.record.executionArn);
        return { stopDate: seconds(stopDate) };
    }

    function redriveExecution(input: Record<string, unknown>): unknown {
        const state = stateOf(input.executionArn);
        const { status, failedState } = state.record;
        if (status === "RUNNING" || status === "SUCCEEDED" || failedState === undefined) {
            throw new AwsApiError(400, "ExecutionNotRedrivable", `Execution Not Redrivable: the execution is ${status}`);
        }
        const redriveDate = Date.now();
        const { stopDate: _stopDate, error: _error, cause: _cause, ...rest } = state.record;
        state.record = { ...rest, status: "RUNNING", redriveCount: state.record.redriveCount + 1, redriveDate };
        run(state, failedState, state.failedInput);
        return { redriveDate: seconds(redriveDate) };
    }

    function listExecutions(input: Record<string, unknown>): unknown {
        const stateMachineArn = input.stateMachineArn;
        if (typeof stateMachineArn !== "string" || !STATE_MACHINE_ARN.test(stateMachineArn)) throw new AwsApiError(400, "InvalidArn", `Invalid Arn: '${String(stateMachineArn)}'`);
        if (!machines.has(stateMachineArn)) throw new AwsApiError(400, "StateMachineDoesNotExist", `State Machine Does Not Exist: '${stateMachineArn}'`);
        const filter = input.statusFilter;
        const maxResults = typeof input.maxResults === "number" && input.maxResults > 0 ? Math.min(input.maxResults, 1000) : 100;
        const offset = typeof input.nextToken === "string" ? Number(input.nextToken) : 0;
        if (!Number.isInteger(offset) || offset < 0) throw new AwsApiError(400, "InvalidToken", "Invalid Token: nextToken");
        // Newest first, as the API lists them.
        const all = [...executions.values()]
            .map((s) => s.record)
            .filter((r) => r.stateMachineArn === stateMachineArn && (filter === undefined || r.status === filter))
            .reverse();
        const page = all.slice(offset, offset + maxResults);
        return {
            executions: page.map((r) => ({
                executionArn: r.executionArn,
                stateMachineArn: r.stateMachineArn,
                name: r.name,
                status: r.status,
                startDate: seconds(r.startDate),
                ...(r.stopDate === undefined ? {} : { stopDate: seconds(r.stopDate) }),
                redriveCount: r.redriveCount,
                ...(r.redriveDate === undefined ? {} : { redriveDate: seconds(r.redriveDate) }),
            })),
            ...(offset + maxResults < all.length ? { nextToken: String(offset + maxResults) } : {}),
        };
    }

    const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
        StartExecution: startExecution,
        DescribeExecution: (input) => describe(stateOf(input.executionArn).record),
        StopExecution: stopExecution,
        RedriveExecution: redriveExecution,
        ListExecutions: listExecutions,
        SendTaskSuccess: (input) => (tokens.succeed(input.taskToken, input.output), {}),
        SendTaskFailure: (input) => (tokens.fail(input.taskToken, input.error, input.cause), {}),
        SendTaskHeartbeat: (input) => (tokens.heartbeat(input.taskToken), {}),
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
    if (options.endpoints) integrations = createIntegrations(options.endpoints, server.endpoint, options.region ?? "us-east-1", tokens);
    try {
        for (const registration of options.stateMachines ?? []) addStateMachine(registration);
        for (const arn of options.stateMachineArns ?? []) addStateMachine(arn);
    } catch (err) {
        integrations?.destroy();
        await server.stop();
        throw err;
    }

    /** Stops every running execution, as StopExecution would. */
    const stopAll = async () => {
        const running = [...executions.values()].filter((s) => s.record.status === "RUNNING");
        for (const s of running) stopExecution({ executionArn: s.record.executionArn });
        await Promise.all(running.map((s) => s.settled));
    };

    const within = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`${what} still running after ${timeoutMs} ms`)), timeoutMs);
        });
        return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
    };

    return {
        endpoint: server.endpoint,
        addStateMachine,
        executions: () => [...executions.values()].map((s) => ({ ...s.record })),
        history: (executionArn) => [...(executions.get(executionArn)?.history ?? [])],
        async settled(executionArn, timeoutMs = 10_000) {
            const state = executions.get(executionArn);
            if (!state) throw new Error(`no execution ${executionArn}`);
            const wait = async () => {
                // A redrive replaces the run: wait for whichever run is current.
                while (state.record.status === "RUNNING") await state.settled;
                return { ...state.record };
            };
            return within(wait(), timeoutMs, `execution ${executionArn}`);
        },
        async idle(timeoutMs = 10_000) {
            const wait = async () => {
                for (;;) {
                    const running = [...executions.values()].filter((s) => s.record.status === "RUNNING");
                    if (running.length === 0) return;
                    await Promise.all(running.map((s) => s.settled));
                }
            };
            await within(wait(), timeoutMs, "executions");
        },
        requests: () => requests.map((r) => ({ ...r })),
        failNextRequests(count, status = 500) {
            if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
            if (!Number.isInteger(status) || status < 500 || status > 599) throw new RangeError(`status must be a 5xx code, got ${status}`);
            for (let i = 0; i < count; i++) failures.push(status);
        },
        reset() {
            void stopAll();
            executions = new Map();
            requests = [];
            failures = [];
        },
        async stop() {
            await stopAll();
            integrations?.destroy();
            await server.stop();
        },
    };
}
