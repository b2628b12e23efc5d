import { expect } from "chai";
import {
    eventBridgeBusArchived,
    eventBridgeDeadLetterQueues,
    eventBridgePolicies,
    eventBridgeTargetHasDeadLetterQueue,
    eventBridgeTargetHasRetryPolicy,
} from "../../policies/eventbridge";
import { AwsType } from "../../policies/support/resource-types";
import { messages, runResourcePolicy, runStackPolicy, UNKNOWN, urnOf, type StackResourceUnderTest } from "./harness";
import { DLQ_ARN } from "./fixtures";

const target = (props: Record<string, unknown>) => ({
    type: AwsType.eventTarget,
    name: "orders-billing-target",
    props: {
        rule: "billing",
        arn: "arn:aws:sqs:us-east-1:123456789012:billing",
        deadLetterConfig: { arn: DLQ_ARN },
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
        ...props,
    },
});

const BUS_ARN = "arn:aws:events:us-east-1:123456789012:event-bus/orders-bus";
const bus = (props: Record<string, unknown> = {}): StackResourceUnderTest => ({ type: AwsType.eventBus, name: "orders-bus", props: { name: "orders-bus", arn: BUS_ARN, ...props } });
const archive = (props: Record<string, unknown> = {}): StackResourceUnderTest => ({
    type: AwsType.eventArchive,
    name: "orders-archive",
    props: { eventSourceArn: BUS_ARN, retentionDays: 30, ...props },
});

describe("policies: EventBridge", () => {
    it("should export every rule, each with a kebab-case name and a 'Checks that' description", () => {
        expect(eventBridgePolicies.map((p) => p.name)).to.deep.equal([
            "eventbridge-target-has-dead-letter-queue",
            "eventbridge-target-has-retry-policy",
            "eventbridge-bus-archived",
            "eventbridge-bus-policy-not-open",
        ]);
        for (const p of eventBridgePolicies) expect(p.description).to.match(/^Checks that /);
    });

    describe("eventbridge-target-has-dead-letter-queue", () => {
        const policy = eventBridgeTargetHasDeadLetterQueue;
        it("Compliance: a DLQ ARN", async () => {
            expect(messages(await runResourcePolicy(policy, target({})))).to.deep.equal([]);
        });
        it("Noncompliance 1: no deadLetterConfig", async () => {
            expect(messages(await runResourcePolicy(policy, target({ deadLetterConfig: undefined })))).to.deep.equal([
                'Give EventBridge target "orders-billing-target" a dead-letter queue: set deadLetterConfig.arn to an SQS queue that EventBridge may send to; without one, an event that fails every retry is dropped.',
            ]);
        });
        it("Noncompliance 2: a deadLetterConfig without an ARN", async () => {
            expect(messages(await runResourcePolicy(policy, target({ deadLetterConfig: {} })))).to.have.length(1);
        });
        it("Preview: a DLQ ARN not known yet is left to the update", async () => {
            const outcome = await runResourcePolicy(policy, target({ deadLetterConfig: { arn: UNKNOWN.string } }));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("deadLetterConfig");
        });
        it("does not apply to other resources", async () => {
            expect((await runResourcePolicy(policy, { type: AwsType.sqsQueue, name: "q", props: {} })).notApplicable).to.contain("EventTarget");
        });
    });

    describe("eventbridge-target-has-retry-policy", () => {
        const policy = eventBridgeTargetHasRetryPolicy;
        it("Compliance: both limits set within range", async () => {
            expect(messages(await runResourcePolicy(policy, target({ retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 } })))).to.deep.equal([]);
        });
        it("Noncompliance 1: no retry policy", async () => {
            expect(messages(await runResourcePolicy(policy, target({ retryPolicy: undefined })))[0]).to.equal(
                'Give EventBridge target "orders-billing-target" a retry policy: set retryPolicy.maximumRetryAttempts (0-185) and retryPolicy.maximumEventAgeInSeconds (60-86400).',
            );
        });
        it("Noncompliance 2: one limit missing", async () => {
            expect(messages(await runResourcePolicy(policy, target({ retryPolicy: { maximumRetryAttempts: 3 } })))).to.deep.equal([
                'Set retryPolicy.maximumEventAgeInSeconds of EventBridge target "orders-billing-target" (60-86400), so that how long delivery is retried is stated, not left to a default.',
            ]);
        });
        it("Noncompliance 3: limits out of range", async () => {
            const found = messages(await runResourcePolicy(policy, target({ retryPolicy: { maximumRetryAttempts: 186, maximumEventAgeInSeconds: 30 } })));
            expect(found).to.deep.equal([
                'Set retryPolicy.maximumRetryAttempts of EventBridge target "orders-billing-target" to an integer from 0 to 185, not 186.',
                'Set retryPolicy.maximumEventAgeInSeconds of EventBridge target "orders-billing-target" to an integer from 60 to 86400, not 30.',
            ]);
        });
        it("Preview: a limit not known yet is left to the update, the known one still judged", async () => {
            const outcome = await runResourcePolicy(policy, target({ retryPolicy: { maximumRetryAttempts: UNKNOWN.number, maximumEventAgeInSeconds: 10 } }));
            expect(messages(outcome)).to.have.length(1);
            expect(outcome.previewNote).to.contain("maximumRetryAttempts");
        });
    });

    describe("eventbridge-bus-archived", () => {
        const policy = eventBridgeBusArchived;
        it("Compliance: the bus has an archive", async () => {
            expect(messages(await runStackPolicy(policy, [bus(), archive()]))).to.deep.equal([]);
        });
        it("Compliance: a partner event source bus is not this stack's to archive", async () => {
            expect(messages(await runStackPolicy(policy, [bus({ eventSourceName: "aws.partner/example.com/123/orders" })]))).to.deep.equal([]);
        });
        it("Noncompliance 1: no archive", async () => {
            const outcome = await runStackPolicy(policy, [bus()]);
            expect(outcome.violations).to.deep.equal([
                {
                    message: 'Archive EventBridge bus "orders-bus": add an EventArchive with eventSourceArn set to the bus ARN and a retentionDays, so that its events can be replayed to a consumer that missed them.',
                    urn: urnOf(AwsType.eventBus, "orders-bus"),
                },
            ]);
        });
        it("Noncompliance 2: the archive is of another bus", async () => {
            expect(messages(await runStackPolicy(policy, [bus(), archive({ eventSourceArn: "arn:aws:events:us-east-1:123456789012:event-bus/other" })]))).to.have.length(1);
        });
        it("Preview: an archive whose source is not known yet is matched by its dependency", async () => {
            const resources = [bus({ arn: UNKNOWN.string }), { ...archive({ eventSourceArn: UNKNOWN.string }), propertyDependencies: { eventSourceArn: ["orders-bus"] } }];
            const outcome = await runStackPolicy(policy, resources);
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.equal(undefined);
        });
    });

    it("eventBridgeDeadLetterQueues: should find the queues that targets name as their DLQ", async () => {
        const { unknownCheckingProxy } = require("@pulumi/policy") as { unknownCheckingProxy<T extends object>(v: T): T };
        const resource = (type: string, name: string, props: Record<string, unknown>) =>
            ({ type, name, urn: urnOf(type, name), props: unknownCheckingProxy(props), propertyDependencies: {}, dependencies: [] }) as never;
        const dlq = resource(AwsType.sqsQueue, "orders-billing-dlq", { arn: DLQ_ARN });
        const other = resource(AwsType.sqsQueue, "orders-queue", { arn: "arn:aws:sqs:us-east-1:123456789012:orders-queue" });
        const found = eventBridgeDeadLetterQueues([dlq, other, resource(AwsType.eventTarget, "t", target({}).props)]);
        expect(found).to.deep.equal([dlq]);
    });
});
