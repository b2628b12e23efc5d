import { expect } from "chai";
import { shippingDefinition } from "../../components/workflows/shipping-definition";
import { SFN_STATE_MACHINE_TYPE, sfnStateMachineLogging, sfnTasksCatchErrors, stepFunctionsPolicies, tasksWithoutCatchAll } from "../../policies/stepfunctions";
import { copy } from "./fixtures";
import { messages, runResourcePolicy, UNKNOWN } from "./harness";

const LOG_DESTINATION = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/orders-workflows-1a2b3c4:*";
const DEFINITION = shippingDefinition({
    tableName: "orders-table",
    shipmentQueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/orders-shipment-queue",
    eventBusName: "orders-bus",
});

/** A compliant state machine, with `change` applied to a copy of its properties. */
function machine(change: (props: Record<string, any>) => void = () => {}) {
    const props: Record<string, any> = {
        type: "STANDARD",
        roleArn: "arn:aws:iam::123456789012:role/orders-shipping-role",
        definition: JSON.stringify(DEFINITION),
        loggingConfiguration: { level: "ERROR", includeExecutionData: false, logDestination: LOG_DESTINATION },
        tracingConfiguration: { enabled: false },
    };
    change(props);
    return { type: SFN_STATE_MACHINE_TYPE, name: "orders-shipping", props };
}

/** The shipping definition with `change` applied to a copy. */
function definitionWith(change: (definition: any) => void): string {
    const definition = copy(DEFINITION) as any;
    change(definition);
    return JSON.stringify(definition);
}

describe("policies: Step Functions", () => {
    it("should export every rule", () => {
        expect(stepFunctionsPolicies.map((p) => p.name)).to.deep.equal(["sfn-state-machine-logging", "sfn-tasks-catch-errors", "sfn-state-machine-tracing"]);
    });

    describe("sfn-state-machine-logging", () => {
        const policy = sfnStateMachineLogging;

        it("Compliance: level ERROR, a log group destination, no execution data", async () => {
            expect(messages(await runResourcePolicy(policy, machine()))).to.deep.equal([]);
        });

        it("Compliance: levels ALL and FATAL", async () => {
            for (const level of ["ALL", "FATAL"]) {
                expect(messages(await runResourcePolicy(policy, machine((p) => (p.loggingConfiguration.level = level))))).to.deep.equal([]);
            }
        });

        it("Compliance: execution data when the config allows it", async () => {
            const outcome = await runResourcePolicy(policy, machine((p) => (p.loggingConfiguration.includeExecutionData = true)), { allowExecutionData: true });
            expect(messages(outcome)).to.deep.equal([]);
        });

        it("Noncompliance 1: no logging configuration", async () => {
            expect(messages(await runResourcePolicy(policy, machine((p) => delete p.loggingConfiguration)))).to.deep.equal([
                'Configure loggingConfiguration on state machine "orders-shipping": level ERROR (or ALL or FATAL) and logDestination "<log group ARN>:*"; without it failed executions leave no log.',
            ]);
        });

        it("Noncompliance 2: level OFF, or no level", async () => {
            const off = messages(await runResourcePolicy(policy, machine((p) => (p.loggingConfiguration.level = "OFF"))));
            expect(off).to.deep.equal(['Set loggingConfiguration.level on state machine "orders-shipping" to ERROR, ALL or FATAL instead of "OFF": failed executions must leave a log.']);
            const none = messages(await runResourcePolicy(policy, machine((p) => delete p.loggingConfiguration.level)));
            expect(none).to.deep.equal(off);
        });

        it("Noncompliance 3: no destination, or a log group ARN without the trailing :*", async () => {
            for (const change of [(p: any) => delete p.loggingConfiguration.logDestination, (p: any) => (p.loggingConfiguration.logDestination = LOG_DESTINATION.slice(0, -2))]) {
                expect(messages(await runResourcePolicy(policy, machine(change)))).to.deep.equal([
                    'Set loggingConfiguration.logDestination on state machine "orders-shipping" to a CloudWatch log group ARN ending in ":*".',
                ]);
            }
        });

        it("Noncompliance 4: execution data in the logs by default", async () => {
            const outcome = await runResourcePolicy(policy, machine((p) => (p.loggingConfiguration.includeExecutionData = true)));
            expect(messages(outcome)).to.have.length(1);
            expect(messages(outcome)[0]).to.contain("includeExecutionData to false").and.to.contain("personal data");
        });

        it("Preview: a destination not known yet is left to the update, the rest still judged", async () => {
            const unknownDestination = await runResourcePolicy(policy, machine((p) => (p.loggingConfiguration.logDestination = UNKNOWN.string)));
            expect(unknownDestination.violations).to.deep.equal([]);
            expect(unknownDestination.previewNote).to.contain("logDestination");
            const alsoOff = await runResourcePolicy(
                policy,
                machine((p) => {
                    p.loggingConfiguration.logDestination = UNKNOWN.string;
                    p.loggingConfiguration.level = "OFF";
                }),
            );
            expect(messages(alsoOff)[0]).to.contain("instead of \"OFF\"");
            expect(alsoOff.previewNote).to.contain("logDestination");
        });

        it("should not apply to other resources", async () => {
            const outcome = await runResourcePolicy(policy, { type: "aws:sqs/queue:Queue", name: "q", props: {} });
            expect(outcome.notApplicable).to.contain("aws:sfn/stateMachine:StateMachine");
        });
    });

    describe("sfn-tasks-catch-errors", () => {
        const policy = sfnTasksCatchErrors;

        it("Compliance: the shipping workflow's definition", async () => {
            expect(messages(await runResourcePolicy(policy, machine()))).to.deep.equal([]);
        });

        it("Compliance 2: a Task that catches States.ALL instead of retrying", async () => {
            const definition = definitionWith((d) => {
                d.States.Prepare.Retry = [];
                d.States.Prepare.Catch = [{ ErrorEquals: ["States.ALL"], Next: "OrderNotFound" }];
            });
            expect(messages(await runResourcePolicy(policy, machine((p) => (p.definition = definition))))).to.deep.equal([]);
        });

        it("Noncompliance 1: a Task with neither Retry nor Catch, and one that retries only named errors", async () => {
            const definition = definitionWith((d) => {
                delete d.States.Prepare.Retry;
                delete d.States.Prepare.Catch;
                d.States.MarkShipped.Retry = [{ ErrorEquals: ["DynamoDB.ProvisionedThroughputExceededException"] }];
                d.States.MarkShipped.Catch = [{ ErrorEquals: ["States.TaskFailed"], Next: "OrderMovedOn" }];
            });
            expect(messages(await runResourcePolicy(policy, machine((p) => (p.definition = definition))))).to.deep.equal([
                'Add a Retry on States.TaskFailed (so that a failure stops at the Task, for a redrive) or a Catch on States.ALL (last in its Catch list) leading to a failure path to Task states "Prepare", "MarkShipped" of state machine "orders-shipping".',
            ]);
        });

        it("Noncompliance 2: a retry on States.TaskFailed that never retries", async () => {
            const definition = definitionWith((d) => {
                d.States.Prepare.Retry = [{ ErrorEquals: ["States.TaskFailed"], MaxAttempts: 0 }];
                delete d.States.Prepare.Catch;
            });
            expect(messages(await runResourcePolicy(policy, machine((p) => (p.definition = definition))))[0]).to.contain('"Prepare"');
        });

        it("Noncompliance 3: a Task inside a Parallel branch or a Map processor", async () => {
            const definition = definitionWith((d) => {
                d.States.Fanout = {
                    Type: "Parallel",
                    Branches: [{ StartAt: "A", States: { A: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true } } }],
                    Catch: [{ ErrorEquals: ["States.ALL"], Next: "StatusWriteFailed" }],
                    End: true,
                };
                d.States.Each = {
                    Type: "Map",
                    ItemProcessor: { StartAt: "B", States: { B: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Catch: [], End: true } } },
                    End: true,
                };
            });
            expect(messages(await runResourcePolicy(policy, machine((p) => (p.definition = definition))))[0]).to.contain('"Fanout/branch 1/A", "Each/B"');
        });

        it("Noncompliance 4: a definition that is not JSON", async () => {
            expect(messages(await runResourcePolicy(policy, machine((p) => (p.definition = "{not json"))))[0]).to.match(
                /^Fix the definition of state machine "orders-shipping": it is not valid JSON/,
            );
        });

        it("Preview: a definition not known yet is left to the update", async () => {
            const outcome = await runResourcePolicy(policy, machine((p) => (p.definition = UNKNOWN.string)));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("definition");
        });

        it("should find Tasks in old-style Map iterators and ignore malformed parts", () => {
            const states = {
                Loop: { Type: "Map", Iterator: { States: { C: { Type: "Task", Catch: [{ ErrorEquals: "States.ALL", Next: "X" }] } } } },
                Broken: "not a state",
                Fine: { Type: "Task", Catch: [{ ErrorEquals: ["States.ALL"], Next: "X" }] },
            };
            expect(tasksWithoutCatchAll(states)).to.deep.equal(["Loop/C"]);
            expect(tasksWithoutCatchAll(undefined)).to.deep.equal([]);
        });
    });
});
