/**
 * The shipping and refund definitions as data: valid for asl-validator and sound for
 * checkDefinition in every variant, status writes built from the transition table, every Task's
 * error handling (retried, then failing at the Task for a redrive), and what reaches the warehouse
 * and the customer. What the definitions DO is run in tests/workflows/ in the ASL interpreter.
 */
import aslValidator from "asl-validator";
import { expect } from "chai";
import { checkDefinition, type StateMachineDefinition, type TaskState } from "../../../components/workflows/asl";
import { workflowDefinitions, type WorkflowDefinitionRefs } from "../../../components/workflows/definitions";
import { executionArnPrefix, REFUND_STATES } from "../../../components/workflows/refund-definition";
import { SHIPPING_STATES } from "../../../components/workflows/shipping-definition";
import { TASK_RETRY } from "../../../components/workflows/workflow-defaults";
import { SHIPMENT_TIMEOUT_SECONDS } from "../../../contract/options/workflows";
import { transitionCondition } from "../../../handlers/store/transition-condition";

const SHIPPING_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-ship-sm";
const BASE: WorkflowDefinitionRefs = {
    tableName: "orders-table",
    shipmentQueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/orders-shipment-queue",
    shippingStateMachineArn: SHIPPING_ARN,
};
const EMAIL = { sender: "orders@example.com", identityArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" };

/** Every definition variant the component can build. */
const VARIANTS: { label: string; refs: WorkflowDefinitionRefs }[] = [
    { label: "no notifications", refs: BASE },
    { label: "events only", refs: { ...BASE, eventBusName: "orders-bus" } },
    { label: "email only", refs: { ...BASE, email: EMAIL } },
    { label: "email without identity", refs: { ...BASE, email: { sender: EMAIL.sender } } },
    { label: "events and email", refs: { ...BASE, eventBusName: "orders-bus", email: EMAIL } },
    { label: "another partition and a short timeout", refs: { ...BASE, eventBusName: "b", email: EMAIL, partition: "aws-cn", shipmentTimeoutSeconds: 60 } },
];

const all = (refs: WorkflowDefinitionRefs = VARIANTS[4].refs) => workflowDefinitions(refs);
const task = (definition: StateMachineDefinition, name: string) => definition.States[name] as TaskState;
const tasks = (definition: StateMachineDefinition) => Object.entries(definition.States).filter(([, s]) => s.Type === "Task") as [string, TaskState][];

describe("workflows: definitions", () => {
    for (const { label, refs } of VARIANTS) {
        it(`should pass asl-validator (ARNs and paths checked) and checkDefinition with ${label}`, () => {
            for (const [name, definition] of Object.entries(workflowDefinitions(refs))) {
                const { isValid, errorsText } = aslValidator(definition as never, { checkArn: true, checkPaths: true });
                expect(isValid, `${name}: ${errorsText?.("; ")}`).to.equal(true);
                expect(checkDefinition(definition), name).to.deep.equal([]);
            }
        });
    }

    it("should notify exactly as configured: the event, then the recipient read and the email", () => {
        const chain = (definition: StateMachineDefinition, from: string, end: string) => {
            const names: string[] = [];
            for (let name = task(definition, from).Next!; name !== end; name = task(definition, name).Next!) names.push(name);
            return names;
        };
        for (const { refs } of VARIANTS) {
            const expected = [...(refs.eventBusName ? ["PublishEvent"] : []), ...(refs.email ? ["ReadRecipient", "EmailCustomer"] : [])];
            const { shipping, refund } = workflowDefinitions(refs);
            expect(chain(shipping, SHIPPING_STATES.markShipped, SHIPPING_STATES.shipped)).to.deep.equal(expected);
            expect(chain(refund, REFUND_STATES.markRefunded, REFUND_STATES.refunded)).to.deep.equal(expected);
        }
    });

    it("should build every status write from transitionCondition(target), values marshalled as strings", () => {
        const { shipping, refund } = all();
        const writes: [StateMachineDefinition, string, "PREPARING" | "SHIPPED" | "REFUNDED"][] = [
            [shipping, SHIPPING_STATES.prepare, "PREPARING"],
            [shipping, SHIPPING_STATES.markShipped, "SHIPPED"],
            [refund, REFUND_STATES.markRefunded, "REFUNDED"],
        ];
        for (const [definition, name, to] of writes) {
            const parameters = task(definition, name).Parameters as Record<string, any>;
            const condition = transitionCondition(to);
            expect(task(definition, name).Resource).to.equal("arn:aws:states:::dynamodb:updateItem");
            expect(parameters.ConditionExpression, name).to.equal(condition.ConditionExpression);
            for (const [placeholder, status] of Object.entries(condition.ExpressionAttributeValues)) {
                expect(parameters.ExpressionAttributeValues[placeholder], `${name} ${placeholder}`).to.deep.equal({ S: status });
            }
            expect(parameters.ExpressionAttributeValues[":updatedAt"]).to.deep.equal({ "S.$": "$$.State.EnteredTime" });
        }
    });

    it("should retry every Task's errors with backoff and jitter and catch nothing but a failed condition, so a failure stops at its Task", () => {
        for (const definition of Object.values(all())) {
            for (const [name, state] of tasks(definition)) {
                const transient = state.Retry!.find((r) => r.ErrorEquals.includes("States.TaskFailed"))!;
                expect(transient, name).to.include(TASK_RETRY);
                expect((state.Catch ?? []).flatMap((c) => c.ErrorEquals), name).to.satisfy((errors: string[]) => errors.every((e) => e === "DynamoDB.ConditionalCheckFailedException"));
            }
        }
    });

    it("should never retry a failed status condition nor a warehouse refusal, and never catch a timeout", () => {
        const { shipping, refund } = all();
        for (const [definition, name] of [[shipping, "Prepare"], [shipping, "MarkShipped"], [refund, "MarkRefunded"]] as const) {
            expect(task(definition, name).Retry![0], name).to.deep.equal({ ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], MaxAttempts: 0 });
        }
        const request = task(shipping, SHIPPING_STATES.requestShipment);
        expect(request.Retry![0]).to.deep.equal({ ErrorEquals: ["ShipmentRefused"], MaxAttempts: 0 });
        expect(request.Catch).to.equal(undefined);
        expect(request.TimeoutSeconds).to.equal(SHIPMENT_TIMEOUT_SECONDS).and.to.equal(604800);
        expect(task(workflowDefinitions({ ...BASE, shipmentTimeoutSeconds: 3600 }).shipping, SHIPPING_STATES.requestShipment).TimeoutSeconds).to.equal(3600);
    });

    it("should send the warehouse the order id and the token only, and email no name", () => {
        const { shipping, refund } = all();
        expect((task(shipping, SHIPPING_STATES.requestShipment).Parameters as any).MessageBody).to.deep.equal({
            version: 2,
            type: "ShipmentRequested",
            "orderId.$": "$.orderId",
            "taskToken.$": "$$.Task.Token",
        });
        expect((task(refund, REFUND_STATES.cancelShipment).Parameters as any).MessageBody).to.deep.equal({ version: 2, type: "ShipmentCancelled", "orderId.$": "$.orderId" });
        for (const definition of [shipping, refund]) {
            expect(JSON.stringify(definition)).not.to.match(/customer\.M\.name|shippingAddress/);
            expect((task(definition, "ReadRecipient").Parameters as any).ProjectionExpression).to.equal("#order.#customer.#email");
        }
    });

    it("should stop only the shipping machine's execution of the order", () => {
        const stop = task(all().refund, REFUND_STATES.stopShipping).Parameters as Record<string, string>;
        // The name ProcessOrder starts (`ship-<orderId>`), under the `ship-*` scope of the role's StopExecution grant.
        expect(stop["ExecutionArn.$"]).to.equal(`States.Format('arn:aws:states:us-east-1:123456789012:execution:orders-ship-sm:ship-{}', $.orderId)`);
        expect(() => executionArnPrefix("arn:aws:states:us-east-1:123456789012:activity:x")).to.throw(TypeError);
    });

    it("should use the partition it is given in every integration ARN, and leave FromEmailAddressIdentityArn out without an identity", () => {
        for (const definition of Object.values(all(VARIANTS[5].refs))) {
            for (const [, state] of tasks(definition)) expect(state.Resource).to.match(/^arn:aws-cn:states:::/);
        }
        expect(task(all(VARIANTS[3].refs).shipping, "EmailCustomer").Parameters).not.to.have.property("FromEmailAddressIdentityArn");
        expect(task(all().shipping, "EmailCustomer").Parameters).to.have.property("FromEmailAddressIdentityArn", EMAIL.identityArn);
    });
});
