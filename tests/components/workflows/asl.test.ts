import { expect } from "chai";
import { catchesAll, checkDefinition, type State, type StateMachineDefinition } from "../../../components/workflows/asl";

const retry = [{ ErrorEquals: ["States.TaskFailed"], MaxAttempts: 2 }];
const catchAll = [{ ErrorEquals: ["States.ALL"], Next: "Failed" }];

/** A sound definition: a Task, a Choice, a Pass, a Wait, a Succeed and a Fail, every one reachable. */
function sound(): { StartAt: string; States: Record<string, State> } {
    return {
        StartAt: "Write",
        States: {
            Write: { Type: "Task", Resource: "arn:aws:states:::dynamodb:updateItem", Retry: retry, Catch: catchAll, Next: "Check" },
            Check: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Pause" }], Default: "Failed" },
            Pause: { Type: "Wait", Seconds: 1, Next: "Shape" },
            Shape: { Type: "Pass", Result: { done: true }, End: true },
            Failed: { Type: "Fail", Error: "Failed", Cause: "test" },
        },
    };
}

/** The definition with one state replaced (or added). */
function withState(name: string, state: unknown): StateMachineDefinition {
    const definition = sound();
    definition.States[name] = state as State;
    return definition;
}

describe("workflows: ASL definition checks", () => {
    it("should find nothing wrong with a sound definition", () => {
        expect(checkDefinition(sound())).to.deep.equal([]);
    });

    it("should report a StartAt that names no state", () => {
        expect(checkDefinition({ ...sound(), StartAt: "Nowhere" })).to.include('StartAt names "Nowhere", which is not a state');
    });

    it("should report an empty state list", () => {
        expect(checkDefinition({ StartAt: "A", States: {} })).to.include("States is empty: a state machine needs at least one state");
    });

    it("should report a Next, a Default and a Catch that lead nowhere", () => {
        const definition = sound();
        definition.States.Write = { Type: "Task", Resource: "arn:aws:states:::dynamodb:updateItem", Retry: retry, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Lost" }], Next: "Gone" };
        definition.States.Check = { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Pause" }], Default: "Missing" };
        const problems = checkDefinition(definition);
        expect(problems).to.include('state "Write": goes to "Gone", which is not a state');
        expect(problems).to.include('state "Write": goes to "Lost", which is not a state');
        expect(problems).to.include('state "Check": goes to "Missing", which is not a state');
    });

    it("should report a state that StartAt cannot reach", () => {
        expect(checkDefinition(withState("Orphan", { Type: "Succeed" }))).to.deep.equal(['state "Orphan": cannot be reached from StartAt "Write"']);
    });

    it("should count only Catch and Choice transitions as reaching a state when nothing else does", () => {
        // "Failed" is reached only through the Task's Catch and the Choice's Default.
        const definition = sound();
        definition.States.Check = { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Pause" }] };
        expect(checkDefinition(definition)).to.deep.equal([]);
        definition.States.Write = { Type: "Task", Resource: "arn:aws:states:::dynamodb:updateItem", Retry: retry, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Shape" }], Next: "Check" };
        expect(checkDefinition(definition)).to.deep.equal(['state "Failed": cannot be reached from StartAt "Write"']);
    });

    it("should report a non-terminal state with neither Next nor End, and one with both", () => {
        expect(checkDefinition(withState("Shape", { Type: "Pass" }))).to.deep.equal(['state "Shape": has neither Next nor End; give it exactly one']);
        expect(checkDefinition(withState("Shape", { Type: "Pass", Next: "Failed", End: true }))).to.deep.equal([
            'state "Shape": has both Next and End; give it exactly one',
        ]);
    });

    it("should report a Choice without rules", () => {
        expect(checkDefinition(withState("Check", { Type: "Choice", Choices: [], Default: "Pause" }))).to.include('state "Check": a Choice needs at least one rule in Choices');
    });

    it("should report a Task without Retry", () => {
        const task = { Type: "Task", Resource: "arn:aws:states:::dynamodb:updateItem", Catch: catchAll, Next: "Check" };
        expect(checkDefinition(withState("Write", task))).to.deep.equal(['state "Write": a Task needs a Retry for transient errors']);
        expect(checkDefinition(withState("Write", { ...task, Retry: [] }))).to.deep.equal(['state "Write": a Task needs a Retry for transient errors']);
    });

    it("should accept a Task that retries States.TaskFailed without a Catch, and report one that retries only named errors and catches no States.ALL", () => {
        const task = { Type: "Task", Resource: "arn:aws:states:::dynamodb:updateItem", Retry: retry, Next: "Check" };
        expect(checkDefinition(withState("Write", task))).to.deep.equal([]);
        const named = { ...task, Retry: [{ ErrorEquals: ["DynamoDB.ProvisionedThroughputExceededException"] }], Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Failed" }] };
        expect(checkDefinition(withState("Write", named))).to.deep.equal([
            'state "Write": a Task needs a Retry on States.TaskFailed (or a Catch on States.ALL, last in its Catch list)',
        ]);
        expect(checkDefinition(withState("Write", { ...task, Retry: [{ ErrorEquals: ["States.TaskFailed"], MaxAttempts: 0 }] }))).to.have.length(1);
    });

    it("should report a heartbeat not below the timeout, a callback Task without $$.Task.Token, and IsPresent: false", () => {
        const wait = { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Retry: retry, Next: "Check", Parameters: { QueueUrl: "q", MessageBody: { "token.$": "$$.Task.Token" } } };
        expect(checkDefinition(withState("Write", wait))).to.deep.equal([]);
        expect(checkDefinition(withState("Write", { ...wait, TimeoutSeconds: 60, HeartbeatSeconds: 60 }))).to.deep.equal(['state "Write": HeartbeatSeconds must be below TimeoutSeconds']);
        expect(checkDefinition(withState("Write", { ...wait, Parameters: { QueueUrl: "q", MessageBody: "x" } }))).to.deep.equal([
            'state "Write": a .waitForTaskToken Task must pass $$.Task.Token in its Parameters',
        ]);
        const absent = { Type: "Choice", Choices: [{ Variable: "$.ok", IsPresent: false, Next: "Pause" }], Default: "Failed" };
        expect(checkDefinition(withState("Check", absent))).to.deep.equal(['state "Check": write Not of IsPresent: true instead of IsPresent: false']);
    });

    it("should report States.ALL that is not alone or not last", () => {
        const task = { Type: "Task", Resource: "arn:aws:states:::dynamodb:updateItem", Retry: retry, Next: "Check" };
        const notLast = { ...task, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }, { ErrorEquals: ["States.Timeout"], Next: "Failed" }] };
        expect(checkDefinition(withState("Write", notLast))).to.include('state "Write": States.ALL must appear alone in ErrorEquals and in the last entry');
        const notAlone = { ...task, Retry: [{ ErrorEquals: ["States.ALL", "States.Timeout"] }], Catch: catchAll };
        expect(checkDefinition(withState("Write", notAlone))).to.deep.equal(['state "Write": States.ALL must appear alone in ErrorEquals and in the last entry']);
    });

    it("should report a state name longer than 80 characters", () => {
        const long = "S".repeat(81);
        const definition = sound();
        definition.States.Shape = { Type: "Pass", Next: long };
        definition.States[long] = { Type: "Succeed" };
        expect(checkDefinition(definition)).to.deep.equal([`state "${long}": a state name must be 1 to 80 characters`]);
    });

    it("should tell a Catch list that ends in States.ALL from one that does not", () => {
        expect(catchesAll(catchAll)).to.equal(true);
        expect(catchesAll(undefined)).to.equal(false);
        expect(catchesAll([])).to.equal(false);
        expect(catchesAll([{ ErrorEquals: ["States.ALL", "X"], Next: "A" }])).to.equal(false);
    });
});
