/**
 * Runs one execution (or one redrive of it) of a definition in `aws-local-stepfunctions`, the ASL
 * interpreter, with every Task performed by {@link Integrations}. What the interpreter lacks is
 * supplied here: the per-state fields of the context object (`$$.State.Name`,
 * `$$.State.EnteredTime`, `$$.State.RetryCount`), a fresh `$$.Task.Token` for each Task attempt,
 * `$$.Execution.Id/Name/RoleArn/RedriveCount` and `$$.StateMachine.Id/Name`, and the history the
 * execution leaves (each state's input and output, as Step Functions keeps them).
 */
import { ExecutionAbortedError, StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import type { Integrations } from "./integrations";
import type { TaskTokens } from "./task-tokens";

/** One step of an execution's history. */
export interface HistoryEvent {
    readonly type: "StateEntered" | "StateExited" | "StateFailed" | "StateRetried" | "StateCaught";
    readonly state: string;
    /** Epoch milliseconds. */
    readonly timestamp: number;
    /** The state's input (entered, failed, retried) or output (exited). */
    readonly data?: unknown;
    readonly error?: string;
    readonly cause?: string;
}

/** How a run ended. */
export type RunOutcome =
    | { readonly status: "SUCCEEDED"; readonly output: unknown }
    | { readonly status: "FAILED"; readonly error: string; readonly cause: string; readonly failedState: string; readonly failedInput: unknown }
    | { readonly status: "ABORTED"; readonly failedState?: string; readonly failedInput?: unknown };

/** What one run needs. */
export interface RunSpec {
    readonly definition: StateMachineDefinition;
    /** The state to start at: the definition's StartAt, or the failed state of a redrive. */
    readonly startAt: string;
    readonly input: unknown;
    readonly executionArn: string;
    readonly executionName: string;
    readonly stateMachineArn: string;
    readonly roleArn?: string;
    /** Redrives so far (`$$.Execution.RedriveCount`). */
    readonly redriveCount: number;
    readonly integrations: Integrations;
    readonly tokens: TaskTokens;
    /** Milliseconds to pause before each retry instead of the Retry's intervals (tests); undefined keeps them. */
    readonly retryPauseMs?: number;
    /** Told of each history event as it happens. */
    readonly onEvent: (event: HistoryEvent) => void;
}

/** A run in progress. */
export interface Run {
    readonly outcome: Promise<RunOutcome>;
    /** Stops the run (StopExecution). */
    abort(): void;
}

/**
 * What a Task still waiting (for a task token) is released with when its execution is stopped:
 * neither a Retry nor a Catch may match it (the interpreter reads `isRetryable` / `isCatchable`),
 * so the stopped run goes no further. Without it the Task would wait out the interpreter's own
 * Task timeout (60 s when the state sets none), and its timer would keep the process alive.
 */
class ExecutionStoppedError extends Error {
    readonly isRetryable = false;
    readonly isCatchable = false;
    constructor() {
        super("the execution was stopped");
        this.name = "States.Runtime";
    }
}

type TaskStateDefinition = { Type: "Task"; Resource: string; HeartbeatSeconds?: number; Retry?: unknown[] };

/** The event logger methods the run hooks into (internal to the interpreter, pinned by its version). */
interface EventLoggerHooks {
    dispatchStateEnteredEvent(name: string, type: string, input: unknown): void;
    dispatchStateExitedEvent(name: string, type: string, input: unknown, output: unknown): void;
    dispatchStateFailedEvent(name: string, type: string, input: unknown, error: Error): void;
    dispatchStateRetriedEvent(name: string, type: string, input: unknown, retrier: unknown, attempt: number): void;
    dispatchStateCaughtEvent(name: string, type: string, input: unknown, catcher: unknown): void;
}

/** Starts a run. */
export function startRun(spec: RunSpec): Run {
    const { definition, tokens, integrations, executionArn, stateMachineArn } = spec;
    const states = definition.States as Record<string, { Type: string }>;
    const contextState: { Name: string; EnteredTime: string; RetryCount: number } = { Name: spec.startAt, EnteredTime: new Date().toISOString(), RetryCount: 0 };
    const contextTask: { Token?: string } = {};
    let current: { name: string; input: unknown } = { name: spec.startAt, input: spec.input };
    /** Set by abort(): what the interpreter still does on its way out is not the execution's history. */
    let stopped = false;
    const record = (event: HistoryEvent) => {
        if (!stopped) spec.onEvent(event);
    };

    const taskHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, state] of Object.entries(states)) {
        if (state.Type !== "Task") continue;
        const task = state as unknown as TaskStateDefinition;
        // A stopped execution performs nothing more, and a Task that fails once it is stopped is not retried.
        taskHandlers[name] = async (parameters) => {
            if (stopped) throw new ExecutionStoppedError();
            try {
                return await integrations.perform(task.Resource, parameters, {
                    executionArn,
                    stateMachineArn,
                    token: contextTask.Token!,
                    ...(task.HeartbeatSeconds === undefined ? {} : { heartbeatSeconds: task.HeartbeatSeconds }),
                });
            } catch (err) {
                throw stopped ? new ExecutionStoppedError() : err;
            }
        };
    }
    const retryIntervalOverrides: Record<string, number> = {};
    if (spec.retryPauseMs !== undefined) {
        for (const [name, state] of Object.entries(states)) if ("Retry" in state) retryIntervalOverrides[name] = spec.retryPauseMs;
    }

    /** A new token for a Task attempt; the previous one is void. */
    const newToken = (stateName: string) => {
        if (contextTask.Token) tokens.close(contextTask.Token);
        contextTask.Token = states[stateName]?.Type === "Task" ? tokens.issue(executionArn) : undefined;
    };

    // The interpreter validated the definition when it was registered; a redrive starts elsewhere.
    const machine = new StateMachine({ ...definition, StartAt: spec.startAt }, { validationOptions: { noValidate: true } });
    const interpreter = machine as unknown as { execute(input: unknown, options: { eventLogger: EventLoggerHooks }, cleanup: () => void): Promise<unknown> };
    const execute = interpreter.execute.bind(machine);
    interpreter.execute = (input, options, cleanup) => {
        const logger = options.eventLogger;
        const entered = logger.dispatchStateEnteredEvent.bind(logger);
        const exited = logger.dispatchStateExitedEvent.bind(logger);
        const failed = logger.dispatchStateFailedEvent.bind(logger);
        const retried = logger.dispatchStateRetriedEvent.bind(logger);
        const caught = logger.dispatchStateCaughtEvent.bind(logger);
        logger.dispatchStateEnteredEvent = (name, type, stateInput) => {
            contextState.Name = name;
            contextState.EnteredTime = new Date().toISOString();
            contextState.RetryCount = 0;
            newToken(name);
            current = { name, input: stateInput };
            record({ type: "StateEntered", state: name, timestamp: Date.now(), data: stateInput });
            entered(name, type, stateInput);
        };
        logger.dispatchStateExitedEvent = (name, type, stateInput, output) => {
            if (contextTask.Token) tokens.close(contextTask.Token);
            record({ type: "StateExited", state: name, timestamp: Date.now(), data: output });
            exited(name, type, stateInput, output);
        };
        logger.dispatchStateFailedEvent = (name, type, stateInput, error) => {
            if (contextTask.Token) tokens.close(contextTask.Token, error);
            record({ type: "StateFailed", state: name, timestamp: Date.now(), data: stateInput, error: error.name, cause: error.message });
            failed(name, type, stateInput, error);
        };
        logger.dispatchStateRetriedEvent = (name, type, stateInput, retrier, attempt) => {
            contextState.RetryCount = attempt;
            newToken(name);
            record({ type: "StateRetried", state: name, timestamp: Date.now(), data: stateInput });
            retried(name, type, stateInput, retrier, attempt);
        };
        logger.dispatchStateCaughtEvent = (name, type, stateInput, catcher) => {
            record({ type: "StateCaught", state: name, timestamp: Date.now(), data: stateInput });
            caught(name, type, stateInput, catcher);
        };
        return execute(input, options, cleanup);
    };

    const execution = machine.run(spec.input as never, {
        overrides: { taskResourceLocalHandlers: taskHandlers as never, retryIntervalOverrides },
        context: {
            Execution: { Id: executionArn, Name: spec.executionName, ...(spec.roleArn ? { RoleArn: spec.roleArn } : {}), RedriveCount: spec.redriveCount },
            StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(":").pop() },
            State: contextState,
            Task: contextTask,
        } as never,
    });

    const outcome = execution.result.then(
        (output): RunOutcome => ({ status: "SUCCEEDED", output }),
        (err: unknown): RunOutcome => {
            if (contextTask.Token) tokens.close(contextTask.Token);
            if (err instanceof ExecutionAbortedError) return { status: "ABORTED", failedState: current.name, failedInput: current.input };
            const inner = (err as Error).cause instanceof Error ? ((err as Error).cause as Error) : (err as Error);
            return { status: "FAILED", error: inner.name, cause: inner.message, failedState: current.name, failedInput: current.input };
        },
    );
    return {
        outcome,
        abort: () => {
            stopped = true;
            execution.abort();
            tokens.closeExecution(executionArn, new ExecutionStoppedError());
        },
    };
}
