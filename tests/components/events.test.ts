import { recordProgram, findResource, resourcesOfType, MOCK_ACCOUNT_ID, type RecordedResource } from "../support/pulumi-mocks";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { createEvents, putEventsStatement, type OrderEvents } from "../../components/events";
import type { EventsArgs } from "../../components/args";
import { resolveEventsArgs } from "../../contract/options/events";
import { DLQ_RETENTION_SECONDS } from "../../contract/defaults";

const TOPIC = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT_ID}:orders-alarms`;
const QUEUE = `arn:aws:sqs:us-east-1:${MOCK_ACCOUNT_ID}:billing`;
const FUNCTION = `arn:aws:lambda:us-east-1:${MOCK_ACCOUNT_ID}:function:notify`;
const OTHER_BUS = `arn:aws:events:us-east-1:210987654321:event-bus/analytics`;
const KEY = `arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const T = {
    bus: "aws:cloudwatch/eventBus:EventBus",
    archive: "aws:cloudwatch/eventArchive:EventArchive",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    permission: "aws:lambda/permission:Permission",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

const SUBSCRIBERS: EventsArgs["subscribers"] = [
    { name: "billing", pattern: { "detail-type": ["OrderPlaced"] }, target: { queueArn: QUEUE } },
    { name: "notify", pattern: { "detail-type": ["OrderShipped", "OrderRefunded"] }, target: { functionArn: FUNCTION }, maximumRetryAttempts: 4, maximumEventAgeSeconds: 3600 },
    { name: "analytics", pattern: { source: ["order-pipeline"] }, target: { eventBusArn: OTHER_BUS } },
];

interface Recorded {
    resources: RecordedResource[];
    events: OrderEvents;
    get(type: string, name: string): RecordedResource;
}

async function record(args: EventsArgs, kmsKeyArn?: string): Promise<Recorded> {
    const { settings, problems } = resolveEventsArgs(args);
    expect(problems).to.deep.equal([]);
    let events!: OrderEvents;
    const resources = await recordProgram(() => {
        const parent = new pulumi.ComponentResource("test:index:Events", "orders");
        events = createEvents("orders", { settings, alarmTopicArn: TOPIC, kmsKeyArn, tags: { app: "orders" } }, parent);
        const statements = Object.fromEntries(
            Object.entries(events.subscribers).flatMap(([name, s]) => (s.queueOwnerStatement ? [[name, s.queueOwnerStatement]] : [])),
        );
        return { busName: events.busName, busArn: events.busArn, ...statements };
    });
    return { resources, events, get: (type, name) => findResource(resources, type, name) };
}

const awaitOutput = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("events component (Pulumi mocks)", () => {
    describe("without subscribers", () => {
        it("should create a named bus and an archive of it with the default 30 days, and nothing else", async () => {
            const r = await record({});
            const bus = r.get(T.bus, "orders-bus");
            expect(bus.inputs.name).to.match(/^orders-bus-[0-9a-f]{7}$/);
            expect(bus.inputs).not.to.have.any.keys("kmsKeyIdentifier", "deadLetterConfig");
            const archive = r.get(T.archive, "orders-archive");
            expect(archive.inputs.eventSourceArn).to.equal(bus.state.arn);
            expect(archive.inputs.retentionDays).to.equal(30);
            expect(archive.inputs.name.length).to.be.at.most(48);
            expect(r.resources.map((x) => x.type).sort()).to.deep.equal([T.archive, T.bus, "test:index:Events"].sort());
            expect(await awaitOutput(r.events.busName)).to.equal(bus.inputs.name);
        });

        it("should keep the archive for the days given", async () => {
            const r = await record({ archiveRetentionDays: 365 });
            expect(r.get(T.archive, "orders-archive").inputs.retentionDays).to.equal(365);
        });
    });

    describe("with a queue, a function and a bus subscriber", () => {
        let r: Recorded;
        before(async () => {
            r = await record({ subscribers: SUBSCRIBERS });
        });

        it("should create one rule per subscriber on the bus, named after it, with its pattern", () => {
            const bus = r.get(T.bus, "orders-bus");
            for (const s of SUBSCRIBERS!) {
                const rule = r.get(T.rule, `orders-${s.name}-rule`);
                expect(rule.inputs.name).to.equal(s.name);
                expect(rule.inputs.eventBusName).to.equal(bus.inputs.name);
                expect(JSON.parse(rule.inputs.eventPattern)).to.deep.equal(s.pattern);
            }
            expect(resourcesOfType(r.resources, T.rule)).to.have.length(3);
        });

        it("should give every target a retry policy (defaults 185 / 24 h) and its own DLQ", () => {
            const expected: Record<string, [string, number, number]> = { billing: [QUEUE, 185, 86400], notify: [FUNCTION, 4, 3600], analytics: [OTHER_BUS, 185, 86400] };
            const dlqArns = new Set<string>();
            for (const [name, [arn, attempts, age]] of Object.entries(expected)) {
                const target = r.get(T.target, `orders-${name}-target`);
                const dlq = r.get(T.queue, `orders-${name}-dlq`);
                expect(target.inputs.rule).to.equal(name);
                expect(target.inputs.eventBusName).to.equal(r.get(T.bus, "orders-bus").inputs.name);
                expect(target.inputs.arn).to.equal(arn);
                expect(target.inputs.retryPolicy).to.deep.equal({ maximumRetryAttempts: attempts, maximumEventAgeInSeconds: age });
                expect(target.inputs.deadLetterConfig).to.deep.equal({ arn: dlq.state.arn });
                dlqArns.add(dlq.state.arn);
            }
            expect(dlqArns.size).to.equal(3);
        });

        it("should make each DLQ encrypted, kept 14 days, closed to SQS redrive, and writable only by EventBridge for its own rule over TLS", () => {
            for (const name of ["billing", "notify", "analytics"]) {
                const dlq = r.get(T.queue, `orders-${name}-dlq`);
                expect(dlq.inputs.sqsManagedSseEnabled).to.equal(true);
                expect(dlq.inputs.messageRetentionSeconds).to.equal(DLQ_RETENTION_SECONDS);
                expect(JSON.parse(dlq.inputs.redriveAllowPolicy)).to.deep.equal({ redrivePermission: "denyAll" });
                const policy = r.get(T.queuePolicy, `orders-${name}-dlq-policy`);
                expect(policy.inputs.queueUrl).to.equal(dlq.state.url);
                expect(JSON.parse(policy.inputs.policy).Statement).to.deep.equal([
                    {
                        Sid: "AllowEventBridgeDeadLetters",
                        Effect: "Allow",
                        Principal: { Service: "events.amazonaws.com" },
                        Action: "sqs:SendMessage",
                        Resource: dlq.state.arn,
                        Condition: { ArnEquals: { "aws:SourceArn": r.get(T.rule, `orders-${name}-rule`).state.arn } },
                    },
                    { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: dlq.state.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
                ]);
                const alarm = r.get(T.alarm, `orders-${name}-dlq-alarm`);
                expect(alarm.inputs).to.include({ namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", threshold: 0, comparisonOperator: "GreaterThanThreshold" });
                expect(alarm.inputs.dimensions).to.deep.equal({ QueueName: dlq.state.name });
                expect(alarm.inputs.alarmActions).to.deep.equal([TOPIC]);
            }
        });

        it("should let EventBridge invoke the function target for its rule only", () => {
            const permissions = resourcesOfType(r.resources, T.permission);
            expect(permissions).to.have.length(1);
            expect(permissions[0].name).to.equal("orders-notify-invoke");
            expect(permissions[0].inputs).to.deep.include({
                action: "lambda:InvokeFunction",
                function: FUNCTION,
                principal: "events.amazonaws.com",
                sourceArn: r.get(T.rule, "orders-notify-rule").state.arn,
            });
        });

        it("should give the bus target a role only EventBridge can assume, allowed PutEvents on that bus only", () => {
            const roles = resourcesOfType(r.resources, T.role);
            expect(roles).to.have.length(1);
            const role = roles[0];
            expect(role.inputs.name.length).to.be.at.most(64);
            expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).to.deep.equal([
                { Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            const policy = r.get(T.rolePolicy, "orders-analytics-role-policy");
            expect(policy.inputs.role).to.equal(role.state.name);
            expect(JSON.parse(policy.inputs.policy)).to.deep.equal({
                Version: "2012-10-17",
                Statement: [{ Sid: "ForwardOrderEvents", Effect: "Allow", Action: ["events:PutEvents"], Resource: OTHER_BUS }],
            });
            expect(r.get(T.target, "orders-analytics-target").inputs.roleArn).to.equal(role.state.arn);
            expect(r.get(T.target, "orders-billing-target").inputs).not.to.have.property("roleArn");
        });

        it("should leave the queue target's policy alone and hand over the statement its owner must add", async () => {
            expect(resourcesOfType(r.resources, T.queuePolicy).map((p) => p.name)).to.have.members(["orders-billing-dlq-policy", "orders-notify-dlq-policy", "orders-analytics-dlq-policy"]);
            expect(await awaitOutput(r.events.subscribers.billing.queueOwnerStatement!)).to.deep.equal({
                Sid: "AllowOrderEventsRule",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: QUEUE,
                Condition: { ArnEquals: { "aws:SourceArn": r.get(T.rule, "orders-billing-rule").state.arn } },
            });
            expect(r.events.subscribers.notify.queueOwnerStatement).to.equal(undefined);
        });
    });

    describe("with a customer managed key", () => {
        it("should encrypt the bus and the archive with it and give the bus a DLQ only the bus may write to", async () => {
            const r = await record({}, KEY);
            const bus = r.get(T.bus, "orders-bus");
            const dlq = r.get(T.queue, "orders-bus-dlq");
            expect(bus.inputs.kmsKeyIdentifier).to.equal(KEY);
            expect(bus.inputs.deadLetterConfig).to.deep.equal({ arn: dlq.state.arn });
            expect(r.get(T.archive, "orders-archive").inputs.kmsKeyIdentifier).to.equal(KEY);
            const statement = JSON.parse(r.get(T.queuePolicy, "orders-bus-dlq-policy").inputs.policy).Statement[0];
            expect(statement.Condition).to.deep.equal({ ArnEquals: { "aws:SourceArn": bus.state.arn } });
            r.get(T.alarm, "orders-bus-dlq-alarm");
        });
    });

    it("putEventsStatement: should allow PutEvents on the one bus, with the pipeline's source and the given detail-types only, by set operators", () => {
        expect(putEventsStatement("arn:aws:events:us-east-1:123456789012:event-bus/orders", ["OrderPlaced", "OrderConflict"])).to.deep.equal({
            Sid: "PublishOrderEvents",
            Effect: "Allow",
            Action: ["events:PutEvents"],
            Resource: "arn:aws:events:us-east-1:123456789012:event-bus/orders",
            Condition: {
                "ForAllValues:StringEquals": { "events:source": ["order-pipeline"], "events:detail-type": ["OrderPlaced", "OrderConflict"] },
                Null: { "events:source": "false", "events:detail-type": "false" },
            },
        });
    });

    describe("resolveEventsArgs", () => {
        const ok = { name: "billing", pattern: { "detail-type": ["OrderPlaced"] }, target: { queueArn: QUEUE } };

        it("should apply the defaults", () => {
            const { settings, problems } = resolveEventsArgs({ subscribers: [ok] });
            expect(problems).to.deep.equal([]);
            expect(settings.archiveRetentionDays).to.equal(30);
            expect(settings.subscribers).to.deep.equal([
                { name: "billing", eventPattern: '{"detail-type":["OrderPlaced"]}', target: { kind: "queue", arn: QUEUE }, maximumRetryAttempts: 185, maximumEventAgeSeconds: 86400 },
            ]);
        });

        it("should accept a target ARN known only at deployment", () => {
            const { problems } = resolveEventsArgs({ subscribers: [{ ...ok, target: { queueArn: pulumi.output(QUEUE) } }] });
            expect(problems).to.deep.equal([]);
        });

        const cases: [string, EventsArgs, string][] = [
            ["retention out of range", { archiveRetentionDays: 0 }, "events.archiveRetentionDays must be an integer from 1 to 3650, got 0"],
            ["retention not an integer", { archiveRetentionDays: 1.5 }, "events.archiveRetentionDays must be an integer from 1 to 3650"],
            ["a bad name", { subscribers: [{ ...ok, name: "bad name!" }] }, "events.subscribers[0].name must be 1-24 letters"],
            ["a name too long", { subscribers: [{ ...ok, name: "a".repeat(25) }] }, "events.subscribers[0].name must be 1-24"],
            ["duplicate names", { subscribers: [ok, { ...ok, name: "Billing" }] }, 'events.subscribers[1].name "Billing" is used by another subscriber'],
            ["an empty pattern", { subscribers: [{ ...ok, pattern: {} }] }, "events.subscribers[0].pattern must be a non-empty event pattern object"],
            ["a pattern value not in an array", { subscribers: [{ ...ok, pattern: { source: "order-pipeline" } }] }, "events.subscribers[0].pattern.source must be an array of match values"],
            ["a nested empty array", { subscribers: [{ ...ok, pattern: { detail: { orderId: [] } } }] }, "events.subscribers[0].pattern.detail.orderId must list at least one match value"],
            ["a pattern too long", { subscribers: [{ ...ok, pattern: { "detail-type": ["x".repeat(2100)] } }] }, "events.subscribers[0].pattern is 2120 characters as JSON; EventBridge's default limit is 2048"],
            ["two target kinds", { subscribers: [{ ...ok, target: { queueArn: QUEUE, functionArn: FUNCTION } as never }] }, "events.subscribers[0].target must set exactly one of queueArn, functionArn, eventBusArn (got queueArn and functionArn)"],
            ["no target kind", { subscribers: [{ ...ok, target: {} as never }] }, "(got none)"],
            ["a function ARN for a queue", { subscribers: [{ ...ok, target: { queueArn: FUNCTION } }] }, "events.subscribers[0].target.queueArn must be an ARN of that kind"],
            ["a bus name instead of an ARN", { subscribers: [{ ...ok, target: { eventBusArn: "analytics" } }] }, "events.subscribers[0].target.eventBusArn must be an ARN of that kind"],
            ["too many retries", { subscribers: [{ ...ok, maximumRetryAttempts: 186 }] }, "events.subscribers[0].maximumRetryAttempts must be an integer from 0 to 185, got 186"],
            ["an event age too short", { subscribers: [{ ...ok, maximumEventAgeSeconds: 59 }] }, "events.subscribers[0].maximumEventAgeSeconds must be an integer from 60 to 86400, got 59"],
        ];
        for (const [what, args, expected] of cases) {
            it(`should name the field for ${what}`, () => {
                const { problems } = resolveEventsArgs(args);
                expect(problems.some((p) => p.includes(expected)), problems.join("\n")).to.equal(true);
            });
        }

        it("should list every problem at once and leave out the subscribers that have any", () => {
            const { settings, problems } = resolveEventsArgs({ archiveRetentionDays: -1, subscribers: [ok, { ...ok, name: "x y", maximumRetryAttempts: -1 }] });
            expect(problems).to.have.length(3);
            expect(settings.subscribers.map((s) => s.name)).to.deep.equal(["billing"]);
        });
    });
});
