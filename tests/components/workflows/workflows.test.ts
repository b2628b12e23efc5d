/**
 * The workflows' resource graph under Pulumi mocks: every resource and every IAM statement, for
 * each combination of events and email, with and without a KMS key and tracing; and the pack's
 * rules over the recorded resources.
 */
import { countByType, findResource, MOCK_ACCOUNT_ID, recordProgram, type RecordedResource } from "../../support/pulumi-mocks";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { checkDefinition, type StateMachineDefinition, type TaskState } from "../../../components/workflows/asl";
import { createWorkflows, STATE_MACHINE_NAMES, type Workflows, type WorkflowsInputs } from "../../../components/workflows/workflows";
import { resolveWorkflowsArgs, type WorkflowsArgs } from "../../../contract/options/workflows";
import { LOG_DELIVERY_ACTIONS } from "../../../components/workflows/workflow-defaults";
import { transitionCondition } from "../../../handlers/store/transition-condition";
import { iamPolicies, DEFAULT_WILDCARD_RESOURCE_ACTIONS } from "../../../policies/iam";
import { sqsPolicies } from "../../../policies/sqs";
import { cloudwatchLogsPolicies } from "../../../policies/cloudwatch-logs";
import { stepFunctionsPolicies } from "../../../policies/stepfunctions";
import { messages, runResourcePolicy } from "../../policies/harness";

const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${MOCK_ACCOUNT_ID}:table/orders-table`;
const BUS = { name: "orders-bus", arn: `arn:aws:events:us-east-1:${MOCK_ACCOUNT_ID}:event-bus/orders-bus` };
const EMAIL = { sender: "orders@example.com", identityArn: `arn:aws:ses:us-east-1:${MOCK_ACCOUNT_ID}:identity/example.com` };
const KEY_ARN = `arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TOPIC_ARN = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT_ID}:orders-alarms`;

const T = {
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    machine: "aws:sfn/stateMachine:StateMachine",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    queue: "aws:sqs/queue:Queue",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

interface Recorded {
    readonly resources: RecordedResource[];
    readonly outputs: Record<string, string>;
    get(type: string, name: string): RecordedResource;
    statements(role: "shipping" | "refund"): Record<string, unknown>[];
    definition(role: "shipping" | "refund"): StateMachineDefinition;
}

/** Records `createWorkflows("orders", ...)` under a host component, with resolved settings. */
async function record(options: Partial<Omit<WorkflowsInputs, "settings">> & { args?: WorkflowsArgs } = {}): Promise<Recorded> {
    const { settings, problems } = resolveWorkflowsArgs(options.args ?? {});
    expect(problems).to.deep.equal([]);
    let made: Workflows | undefined;
    const resources = await recordProgram(() => {
        const host = new pulumi.ComponentResource("test:index:Host", "orders", {});
        made = createWorkflows(
            "orders",
            { settings, tableName: "orders-table", tableArn: TABLE_ARN, tracing: false, logRetentionDays: 30, alarmTopicArn: TOPIC_ARN, ...options },
            host,
        );
        return { a: made.shippingStateMachineArn, b: made.refundStateMachineArn, c: made.shipmentQueueUrl, d: made.shipmentQueueArn };
    });
    const outputs: Record<string, string> = {};
    for (const [key, output] of Object.entries({
        shippingStateMachineArn: made!.shippingStateMachineArn,
        refundStateMachineArn: made!.refundStateMachineArn,
        shipmentQueueUrl: made!.shipmentQueueUrl,
        shipmentQueueArn: made!.shipmentQueueArn,
    })) {
        outputs[key] = await new Promise<string>((resolve) => output.apply(resolve));
    }
    const get = (type: string, name: string) => findResource(resources, type, name);
    return {
        resources,
        outputs,
        get,
        statements: (role) => JSON.parse(get(T.rolePolicy, `orders-${STATE_MACHINE_NAMES[role as "shipping"]}-policy`).inputs.policy).Statement,
        definition: (role) => JSON.parse(get(T.machine, `orders-${STATE_MACHINE_NAMES[role as "shipping"]}`).inputs.definition),
    };
}

/** The statements every workflow role has, whatever the options. */
function baseStatements(r: Recorded, role: "shipping" | "refund") {
    return [
        { Sid: "WriteOrderStatus", Effect: "Allow", Action: ["dynamodb:UpdateItem"], Resource: TABLE_ARN },
        { Sid: "ReadOrder", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: TABLE_ARN },
        // Requests (shipping) and cancellations (refund).
        { Sid: "SendShipmentRequests", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: r.get(T.queue, "orders-shipment-queue").state.arn },
        ...(role === "refund"
            ? [
                  {
                      Sid: "StopShippingOfRefundedOrders",
                      Effect: "Allow",
                      Action: ["states:StopExecution"],
                      Resource: `${r.get(T.machine, "orders-ship-sm").state.arn.replace(":stateMachine:", ":execution:")}:ship-*`,
                  },
              ]
            : []),
    ];
}

const LOGS_STATEMENT = { Sid: "DeliverExecutionLogs", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: "*" };
/** PutEvents on the bus, only with the pipeline's source and the one detail-type the machine announces. */
const eventsStatement = (detailType: string) => ({
    Sid: "PublishOrderEvents",
    Effect: "Allow",
    Action: ["events:PutEvents"],
    Resource: BUS.arn,
    Condition: {
        "ForAllValues:StringEquals": { "events:source": ["order-pipeline"], "events:detail-type": [detailType] },
        Null: { "events:source": "false", "events:detail-type": "false" },
    },
});
const DETAIL_TYPES = { shipping: "OrderShipped", refund: "OrderRefunded" } as const;
const EMAIL_STATEMENT = {
    Sid: "EmailCustomer",
    Effect: "Allow",
    Action: ["ses:SendEmail"],
    Resource: EMAIL.identityArn,
    Condition: { StringEquals: { "ses:FromAddress": EMAIL.sender } },
};

describe("workflows: resources", () => {
    describe("arguments", () => {
        it("should default to a 7-day shipment timeout and ERROR logging", () => {
            expect(resolveWorkflowsArgs({})).to.deep.equal({ settings: { shipmentTimeoutSeconds: 604800, logLevel: "ERROR" }, problems: [] });
            expect(resolveWorkflowsArgs({ shipmentTimeoutSeconds: 3600, logLevel: "ALL" }).settings).to.deep.equal({ shipmentTimeoutSeconds: 3600, logLevel: "ALL" });
        });

        it("should name each invalid field", () => {
            for (const bad of [59, 31536001, 1.5, Number.NaN]) {
                const { problems } = resolveWorkflowsArgs({ shipmentTimeoutSeconds: bad });
                expect(problems, String(bad)).to.deep.equal([
                    `workflows.shipmentTimeoutSeconds must be an integer from 60 to 31536000 (a Standard workflow runs at most one year), got ${bad}`,
                ]);
            }
            const { problems } = resolveWorkflowsArgs({ shipmentTimeoutSeconds: 0, logLevel: "OFF" as never });
            expect(problems).to.have.length(2);
            expect(problems[1]).to.equal('workflows.logLevel must be one of ERROR, ALL, FATAL (OFF would hide failed executions), got "OFF"');
        });
    });

    describe("with neither events nor email", () => {
        let r: Recorded;
        before(async () => {
            r = await record();
        });

        it("should create exactly the log group, the queue pair, two roles, two state machines and six alarms", () => {
            const counts = countByType(r.resources);
            delete counts["test:index:Host"];
            expect(counts).to.deep.equal({
                "aws:cloudwatch/logGroup:LogGroup": 1,
                "aws:cloudwatch/metricAlarm:MetricAlarm": 6,
                "aws:iam/role:Role": 2,
                "aws:iam/rolePolicy:RolePolicy": 2,
                "aws:sfn/stateMachine:StateMachine": 2,
                "aws:sqs/queue:Queue": 2,
                "aws:sqs/queuePolicy:QueuePolicy": 2,
                "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": 1,
            });
        });

        it("should log to a vended-logs group with retention, named per stack", () => {
            const group = r.get(T.logGroup, "orders-workflows-logs");
            expect(group.inputs.name).to.match(/^\/aws\/vendedlogs\/states\/orders-workflows-[0-9a-f]{7}$/);
            expect(group.inputs.retentionInDays).to.equal(30);
        });

        it("should make an encrypted, TLS-only shipment queue with a DLQ after 3 receives, keeping requests 14 days", () => {
            const queue = r.get(T.queue, "orders-shipment-queue");
            const dlq = r.get(T.queue, "orders-shipment-dlq");
            expect(queue.inputs.sqsManagedSseEnabled).to.equal(true);
            expect(dlq.inputs.sqsManagedSseEnabled).to.equal(true);
            expect(JSON.parse(queue.inputs.redrivePolicy)).to.deep.equal({ deadLetterTargetArn: dlq.state.arn, maxReceiveCount: 3 });
            expect(queue.inputs.messageRetentionSeconds).to.equal(1209600);
            const policy = JSON.parse(r.get("aws:sqs/queuePolicy:QueuePolicy", "orders-shipment-queue-policy").inputs.policy);
            expect(policy.Statement[0]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } }, Resource: queue.state.arn });
            expect(r.outputs.shipmentQueueUrl).to.equal(queue.state.url);
            expect(r.outputs.shipmentQueueArn).to.equal(queue.state.arn);
        });

        it("should let only Step Functions, on behalf of this account, assume each role", () => {
            for (const role of ["shipping", "refund"]) {
                const iamRole = r.get(T.role, `orders-${STATE_MACHINE_NAMES[role as "shipping"]}-role`);
                expect(JSON.parse(iamRole.inputs.assumeRolePolicy)).to.deep.equal({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "states.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
                        },
                    ],
                });
                expect(iamRole.inputs).not.to.have.any.keys("managedPolicyArns", "inlinePolicies");
                expect(r.get(T.rolePolicy, `orders-${STATE_MACHINE_NAMES[role as "shipping"]}-policy`).inputs.role).to.equal(iamRole.state.name);
            }
        });

        it("should grant the shipping role its status writes, the shipment queue and log delivery, nothing else", () => {
            expect(r.statements("shipping")).to.deep.equal([...baseStatements(r, "shipping"), LOGS_STATEMENT]);
        });

        it("should grant the refund role its status writes, the shipping stop, the cancellation and log delivery, nothing else", () => {
            expect(r.statements("refund")).to.deep.equal([...baseStatements(r, "refund"), LOGS_STATEMENT]);
        });

        it("should make two STANDARD state machines that log errors without execution data and do not trace", () => {
            const group = r.get(T.logGroup, "orders-workflows-logs");
            for (const role of ["shipping", "refund"]) {
                const machine = r.get(T.machine, `orders-${STATE_MACHINE_NAMES[role as "shipping"]}`);
                expect(machine.inputs.type).to.equal("STANDARD");
                expect(machine.inputs.roleArn).to.equal(r.get(T.role, `orders-${STATE_MACHINE_NAMES[role as "shipping"]}-role`).state.arn);
                expect(machine.inputs.loggingConfiguration).to.deep.equal({ level: "ERROR", includeExecutionData: false, logDestination: `${group.state.arn}:*` });
                expect(machine.inputs.tracingConfiguration).to.deep.equal({ enabled: false });
                // Created only once its role may set up log delivery.
                expect(machine.dependencies).to.include(r.get(T.rolePolicy, `orders-${STATE_MACHINE_NAMES[role as "shipping"]}-policy`).urn);
            }
            expect(r.outputs.shippingStateMachineArn).to.equal(r.get(T.machine, "orders-ship-sm").state.arn);
            expect(r.outputs.refundStateMachineArn).to.equal(r.get(T.machine, "orders-refund-sm").state.arn);
        });

        it("should serialise sound definitions that name the real table and queue and notify no one", () => {
            const shipping = r.definition("shipping");
            const refund = r.definition("refund");
            expect(checkDefinition(shipping)).to.deep.equal([]);
            expect(checkDefinition(refund)).to.deep.equal([]);
            const prepare = shipping.States.Prepare as TaskState;
            expect(prepare.Parameters).to.deep.include({ TableName: "orders-table", ConditionExpression: transitionCondition("PREPARING").ConditionExpression });
            expect((shipping.States.RequestShipment as TaskState).Parameters!.QueueUrl).to.equal(r.outputs.shipmentQueueUrl);
            expect((shipping.States.RequestShipment as TaskState).TimeoutSeconds).to.equal(604800);
            expect((shipping.States.MarkShipped as TaskState).Next).to.equal("Shipped");
            expect((refund.States.MarkRefunded as TaskState).Next).to.equal("Refunded");
            for (const definition of [shipping, refund]) expect(definition.States).not.to.have.any.keys("PublishEvent", "ReadRecipient", "EmailCustomer");
        });

        it("should alarm on failed and timed-out executions of each machine, aborted refunds (a refund stops shipping on purpose), and the shipment DLQ", () => {
            expect(() => r.get(T.alarm, "orders-shipping-executions-aborted-alarm")).to.throw(/found 0/);
            for (const role of ["shipping", "refund"]) {
                const arn = r.get(T.machine, `orders-${STATE_MACHINE_NAMES[role as "shipping"]}`).state.arn;
                const keys = [["executions-failed", "ExecutionsFailed"], ["executions-timed-out", "ExecutionsTimedOut"], ...(role === "refund" ? [["executions-aborted", "ExecutionsAborted"]] : [])];
                for (const [key, metric] of keys) {
                    const alarm = r.get(T.alarm, `orders-${role}-${key}-alarm`);
                    expect(alarm.inputs).to.deep.include({
                        namespace: "AWS/States",
                        metricName: metric,
                        dimensions: { StateMachineArn: arn },
                        statistic: "Sum",
                        threshold: 0,
                        comparisonOperator: "GreaterThanThreshold",
                        period: 60,
                        evaluationPeriods: 1,
                        treatMissingData: "notBreaching",
                        alarmActions: [TOPIC_ARN],
                        okActions: [TOPIC_ARN],
                    });
                }
            }
            const dlqAlarm = r.get(T.alarm, "orders-shipment-dlq-messages-alarm");
            expect(dlqAlarm.inputs).to.deep.include({
                namespace: "AWS/SQS",
                metricName: "ApproximateNumberOfMessagesVisible",
                dimensions: { QueueName: r.get(T.queue, "orders-shipment-dlq").state.name },
                alarmActions: [TOPIC_ARN],
            });
        });
    });

    for (const variant of [
        { label: "events only", events: true, email: false },
        { label: "email only", events: false, email: true },
        { label: "events and email", events: true, email: true },
    ]) {
        describe(`with ${variant.label}`, () => {
            let r: Recorded;
            before(async () => {
                r = await record({ ...(variant.events ? { eventBus: BUS } : {}), ...(variant.email ? { email: EMAIL } : {}) });
            });

            it("should grant each role exactly the notifications it sends", () => {
                for (const role of ["shipping", "refund"] as const) {
                    const extra = [...(variant.events ? [eventsStatement(DETAIL_TYPES[role])] : []), ...(variant.email ? [EMAIL_STATEMENT] : [])];
                    expect(r.statements(role), role).to.deep.equal([...baseStatements(r, role), ...extra, LOGS_STATEMENT]);
                }
            });

            it("should put exactly those notifications in both definitions, naming the real bus and sender", () => {
                for (const role of ["shipping", "refund"] as const) {
                    const definition = r.definition(role);
                    expect(checkDefinition(definition), role).to.deep.equal([]);
                    const publish = definition.States.PublishEvent as TaskState | undefined;
                    const email = definition.States.EmailCustomer as TaskState | undefined;
                    expect(publish !== undefined, role).to.equal(variant.events);
                    expect(email !== undefined, role).to.equal(variant.email);
                    if (publish) expect((publish.Parameters!.Entries as any)[0].EventBusName).to.equal(BUS.name);
                    if (email) expect(email.Parameters).to.deep.include({ FromEmailAddress: EMAIL.sender, FromEmailAddressIdentityArn: EMAIL.identityArn });
                }
            });
        });
    }

    describe("with a KMS key, tracing, ALL logging and a 1-day shipment timeout", () => {
        let r: Recorded;
        before(async () => {
            r = await record({ kmsKeyArn: KEY_ARN, tracing: true, args: { logLevel: "ALL", shipmentTimeoutSeconds: 86400 }, tags: { team: "orders" } });
        });

        it("should encrypt the shipment queues with the key", () => {
            for (const name of ["orders-shipment-queue", "orders-shipment-dlq"]) {
                expect(r.get(T.queue, name).inputs).to.deep.include({ kmsMasterKeyId: KEY_ARN });
                expect(r.get(T.queue, name).inputs).not.to.have.property("sqsManagedSseEnabled");
            }
        });

        it("should let each role use the key only through the services it calls, and write traces", () => {
            const xray = {
                Sid: "WriteTraces",
                Effect: "Allow",
                Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
                Resource: "*",
            };
            const kms = (via: string[]) => ({
                Sid: "UseOrderDataKey",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: KEY_ARN,
                Condition: { StringEquals: { "kms:ViaService": via } },
            });
            expect(r.statements("shipping")).to.deep.equal([
                ...baseStatements(r, "shipping"),
                kms(["dynamodb.us-east-1.amazonaws.com", "sqs.us-east-1.amazonaws.com"]),
                xray,
                LOGS_STATEMENT,
            ]);
            expect(r.statements("refund")).to.deep.equal([
                ...baseStatements(r, "refund"),
                kms(["dynamodb.us-east-1.amazonaws.com", "sqs.us-east-1.amazonaws.com"]),
                xray,
                LOGS_STATEMENT,
            ]);
        });

        it("should trace, log at ALL (still without execution data), wait one day, and tag everything taggable", () => {
            for (const role of ["shipping", "refund"]) {
                const machine = r.get(T.machine, `orders-${STATE_MACHINE_NAMES[role as "shipping"]}`);
                expect(machine.inputs.tracingConfiguration).to.deep.equal({ enabled: true });
                expect(machine.inputs.loggingConfiguration).to.deep.include({ level: "ALL", includeExecutionData: false });
                expect(machine.inputs.tags).to.deep.equal({ team: "orders" });
            }
            expect((r.definition("shipping").States.RequestShipment as TaskState).TimeoutSeconds).to.equal(86400);
            for (const resource of r.resources.filter((x) => [T.role, T.machine, T.logGroup, T.queue, T.alarm].includes(x.type as never))) {
                expect(resource.inputs.tags, resource.name).to.deep.equal({ team: "orders" });
            }
        });
    });

    describe("against the policy pack", () => {
        it("should pass every IAM, SQS, log and Step Functions rule once the log-delivery actions may use \"*\"", async () => {
            const r = await record({ eventBus: BUS, email: EMAIL, kmsKeyArn: KEY_ARN, tracing: true });
            const found: string[] = [];
            for (const policy of [...iamPolicies, ...sqsPolicies, ...cloudwatchLogsPolicies, ...stepFunctionsPolicies].filter((p) => "validateResource" in p)) {
                for (const resource of r.resources.filter((x) => x.custom)) {
                    found.push(...messages(await runResourcePolicy(policy, { type: resource.type, name: resource.name, props: resource.state })));
                }
            }
            expect(found).to.deep.equal([]);
        });

        it("should need exactly the log-delivery actions on the wildcard allow-list, and no others", async () => {
            const r = await record({ tracing: true });
            const policy = iamPolicies.find((p) => p.name === "iam-no-wildcard-resources")!;
            const withoutLogDelivery = DEFAULT_WILDCARD_RESOURCE_ACTIONS.filter((a) => !LOG_DELIVERY_ACTIONS.includes(a));
            const outcome = await runResourcePolicy(
                policy,
                { type: T.rolePolicy, name: "orders-refund-sm-policy", props: r.get(T.rolePolicy, "orders-refund-sm-policy").state },
                { allowedWildcardResourceActions: withoutLogDelivery },
            );
            expect(messages(outcome)).to.have.length(1);
            expect(messages(outcome)[0]).to.contain(LOG_DELIVERY_ACTIONS.join(", "));
            expect(LOG_DELIVERY_ACTIONS.every((a) => DEFAULT_WILDCARD_RESOURCE_ACTIONS.includes(a))).to.equal(true);
        });
    });
});
