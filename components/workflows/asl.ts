/**
 * Typed pieces of the Amazon States Language (JSONPath flavour), so that state machine definitions
 * are built and checked as objects, and serialised with `JSON.stringify` only at the end.
 * Pure data and functions, no AWS import: the policy pack and the tests load it too.
 *
 * Grammar: the Amazon States Language specification (https://states-language.net/spec.html) and
 * the Step Functions Developer Guide ("State machine structure", "Handling errors").
 */

/** Matches every error name in a Retry or Catch (except `States.Runtime`, which cannot be caught). */
export const CATCH_ALL_ERROR = "States.ALL";

/** Longest state name the language accepts. */
export const MAX_STATE_NAME_LENGTH = 80;

/** A JSON value as a definition may hold it (payload templates, Pass results). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A payload template: keys ending in `.$` take a path or an intrinsic function instead of a value. */
export type PayloadTemplate = { readonly [key: string]: JsonValue };

/** How a Task (or Parallel/Map) retries an error before a Catch sees it. */
export interface Retrier {
    readonly ErrorEquals: readonly string[];
    /** Seconds before the first retry. ASL default 1. */
    readonly IntervalSeconds?: number;
    /** Retries after the first attempt; 0 means never retry. ASL default 3. */
    readonly MaxAttempts?: number;
    /** Multiplier of the interval per retry. ASL default 2.0. */
    readonly BackoffRate?: number;
    /** Upper bound of a retry interval. */
    readonly MaxDelaySeconds?: number;
    /** `FULL` randomises each interval between 0 and its computed value (spreads retries out). */
    readonly JitterStrategy?: "FULL" | "NONE";
}

/** Where an error goes once its retries are spent. */
export interface Catcher {
    readonly ErrorEquals: readonly string[];
    readonly Next: string;
    /** Where the error output (`{Error, Cause}`) goes in the state's input; null discards it. */
    readonly ResultPath?: string | null;
}

/** A state that continues with `Next`, or ends the execution with `End: true`. */
export type Transition = { readonly Next: string; readonly End?: never } | { readonly End: true; readonly Next?: never };

interface Common {
    readonly Comment?: string;
    readonly InputPath?: string | null;
    readonly OutputPath?: string | null;
}

/** Calls a service integration (`arn:aws:states:::<service>:<api>[.<pattern>]`) or an activity/Lambda ARN. */
export type TaskState = Common &
    Transition & {
        readonly Type: "Task";
        readonly Resource: string;
        readonly Parameters?: PayloadTemplate;
        readonly ResultSelector?: PayloadTemplate;
        readonly ResultPath?: string | null;
        /** Seconds before the task fails with `States.Timeout`. */
        readonly TimeoutSeconds?: number;
        readonly HeartbeatSeconds?: number;
        readonly Retry?: readonly Retrier[];
        readonly Catch?: readonly Catcher[];
    };

/** Passes its input (or `Result`, or a `Parameters` template) to the next state. */
export type PassState = Common &
    Transition & {
        readonly Type: "Pass";
        readonly Parameters?: PayloadTemplate;
        readonly Result?: JsonValue;
        readonly ResultPath?: string | null;
    };

/** Waits for a number of seconds or until a timestamp. */
export type WaitState = Common &
    Transition & {
        readonly Type: "Wait";
        readonly Seconds?: number;
        readonly Timestamp?: string;
        readonly SecondsPath?: string;
        readonly TimestampPath?: string;
    };

/** A comparison of a Choice rule (the subset this project uses, plus the boolean combinators). */
export interface ChoiceComparison {
    readonly Variable?: string;
    readonly StringEquals?: string;
    readonly StringEqualsPath?: string;
    readonly NumericEquals?: number;
    readonly BooleanEquals?: boolean;
    readonly IsPresent?: boolean;
    readonly IsString?: boolean;
    readonly IsNull?: boolean;
    readonly And?: readonly ChoiceComparison[];
    readonly Or?: readonly ChoiceComparison[];
    readonly Not?: ChoiceComparison;
}

/** A top-level Choice rule: a comparison and where it leads. */
export type ChoiceRule = ChoiceComparison & { readonly Next: string };

/** Branches on its input; `Default` when no rule matches (else `States.NoChoiceMatched`). */
export type ChoiceState = Common & {
    readonly Type: "Choice";
    readonly Choices: readonly ChoiceRule[];
    readonly Default?: string;
};

/** Ends the execution successfully. */
export type SucceedState = Common & { readonly Type: "Succeed" };

/** Ends the execution as failed with an error name and a cause. */
export interface FailState {
    readonly Type: "Fail";
    readonly Comment?: string;
    readonly Error?: string;
    readonly Cause?: string;
}

/** Any state of the typed subset. */
export type State = TaskState | PassState | WaitState | ChoiceState | SucceedState | FailState;

/** A whole state machine definition. */
export interface StateMachineDefinition {
    readonly Comment?: string;
    readonly StartAt: string;
    readonly States: { readonly [name: string]: State };
    /** Seconds before the whole execution times out (`ExecutionsTimedOut`). */
    readonly TimeoutSeconds?: number;
}

/** Whether a state ends the execution by its type (no `Next` or `End` allowed or needed). */
function isTerminalType(type: string): boolean {
    return type === "Succeed" || type === "Fail";
}

/** The states a state can go to next: `Next`, Choice rules and `Default`, Catch targets. */
export function successorsOf(state: State): string[] {
    const targets: string[] = [];
    if ("Next" in state && typeof state.Next === "string") targets.push(state.Next);
    if (state.Type === "Choice") {
        for (const rule of state.Choices ?? []) targets.push(rule.Next);
        if (state.Default !== undefined) targets.push(state.Default);
    }
    if (state.Type === "Task") for (const catcher of state.Catch ?? []) targets.push(catcher.Next);
    return targets;
}

/** The error name that matches every error of a Task but `States.Timeout`. */
const TASK_ERRORS = "States.TaskFailed";

/** Whether a Retry list retries every task error (`States.TaskFailed` or `States.ALL`) at least once. */
export function retriesTaskErrors(retriers: readonly Retrier[] | undefined): boolean {
    if (!Array.isArray(retriers)) return false;
    return retriers.some((r) => Array.isArray(r?.ErrorEquals) && r.ErrorEquals.some((e: string) => e === TASK_ERRORS || e === CATCH_ALL_ERROR) && r.MaxAttempts !== 0);
}

/**
 * Whether a Catch list ends with a catcher for every error (`States.ALL`, alone and last, as ASL
 * requires). Tolerates malformed lists (parsed JSON): they do not catch all.
 */
export function catchesAll(catchers: readonly Catcher[] | undefined): boolean {
    const last: unknown = Array.isArray(catchers) ? catchers.at(-1) : undefined;
    const errors = last !== null && typeof last === "object" ? (last as { ErrorEquals?: unknown }).ErrorEquals : undefined;
    return Array.isArray(errors) && errors.length === 1 && errors[0] === CATCH_ALL_ERROR;
}

/**
 * The problems of a definition, each naming the state it concerns; empty when the definition is
 * sound. Checks what Step Functions rejects at create time (StartAt and every transition naming
 * an existing state; Next or End on every non-terminal state; state names within 80 characters;
 * `States.ALL` alone and last) and what this project requires beyond it, which `asl-validator`
 * does not check: every state reachable from StartAt; every Task retrying `States.TaskFailed` (an
 * error left after the retries fails the execution at the Task, where a redrive resumes) or
 * catching `States.ALL` last; HeartbeatSeconds below TimeoutSeconds; a `.waitForTaskToken` Task
 * that passes `$$.Task.Token`; no `IsPresent: false` (write `Not` of `IsPresent: true`: the same
 * rule in ASL, and the form the local interpreter evaluates right).
 */
export function checkDefinition(definition: StateMachineDefinition): string[] {
    const problems: string[] = [];
    const states = definition.States ?? {};
    const names = Object.keys(states);
    if (names.length === 0) problems.push("States is empty: a state machine needs at least one state");
    if (!Object.hasOwn(states, definition.StartAt)) problems.push(`StartAt names "${definition.StartAt}", which is not a state`);

    for (const [name, state] of Object.entries(states)) {
        const where = `state "${name}"`;
        if (name.length === 0 || name.length > MAX_STATE_NAME_LENGTH) {
            problems.push(`${where}: a state name must be 1 to ${MAX_STATE_NAME_LENGTH} characters`);
        }
        for (const target of successorsOf(state)) {
            if (!Object.hasOwn(states, target)) problems.push(`${where}: goes to "${target}", which is not a state`);
        }
        const hasNext = "Next" in state && state.Next !== undefined;
        const hasEnd = "End" in state && state.End === true;
        if (state.Type === "Choice") {
            if ((state.Choices ?? []).length === 0) problems.push(`${where}: a Choice needs at least one rule in Choices`);
            if (JSON.stringify(state.Choices ?? []).includes('"IsPresent":false')) problems.push(`${where}: write Not of IsPresent: true instead of IsPresent: false`);
        } else if (!isTerminalType(state.Type)) {
            if (hasNext && hasEnd) problems.push(`${where}: has both Next and End; give it exactly one`);
            if (!hasNext && !hasEnd) problems.push(`${where}: has neither Next nor End; give it exactly one`);
        }
        if (state.Type === "Task") {
            if ((state.Retry ?? []).length === 0) problems.push(`${where}: a Task needs a Retry for transient errors`);
            else if (!catchesAll(state.Catch) && !retriesTaskErrors(state.Retry)) {
                problems.push(`${where}: a Task needs a Retry on ${TASK_ERRORS} (or a Catch on ${CATCH_ALL_ERROR}, last in its Catch list)`);
            }
            if (state.HeartbeatSeconds !== undefined && state.TimeoutSeconds !== undefined && state.HeartbeatSeconds >= state.TimeoutSeconds) {
                problems.push(`${where}: HeartbeatSeconds must be below TimeoutSeconds`);
            }
            if (state.Resource.endsWith(".waitForTaskToken") && !JSON.stringify(state.Parameters ?? {}).includes('"$$.Task.Token"')) {
                problems.push(`${where}: a .waitForTaskToken Task must pass $$.Task.Token in its Parameters`);
            }
            for (const list of [state.Retry ?? [], state.Catch ?? []]) {
                list.forEach((entry, index) => {
                    const all = entry.ErrorEquals.includes(CATCH_ALL_ERROR);
                    if (all && (entry.ErrorEquals.length > 1 || index < list.length - 1)) {
                        problems.push(`${where}: ${CATCH_ALL_ERROR} must appear alone in ErrorEquals and in the last entry`);
                    }
                });
            }
        }
    }

    // Reachability: walk every transition from StartAt.
    const reached = new Set<string>();
    const pending = Object.hasOwn(states, definition.StartAt) ? [definition.StartAt] : [];
    while (pending.length > 0) {
        const name = pending.pop()!;
        if (reached.has(name)) continue;
        reached.add(name);
        for (const target of successorsOf(states[name])) if (Object.hasOwn(states, target)) pending.push(target);
    }
    for (const name of names) {
        if (!reached.has(name)) problems.push(`state "${name}": cannot be reached from StartAt "${definition.StartAt}"`);
    }
    return problems;
}
