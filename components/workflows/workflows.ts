/**
 * The `workflows` option of OrderPipeline: the shipping and refund state machines (AWS Step
 * Functions, Standard), their roles, log group, alarms, and the shipment-requests queue the
 * warehouse reads.
 */
import * as aws from "../aws";
import * as pulumi from "@pulumi/pulumi";
import { createMetricAlarm, type AlarmSpec } from "../alarms";
import { MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_SECONDS } from "../../contract/defaults";
import { physicalName } from "../naming";
import { createQueues, type OrderQueues } from "../queue";
import type { Tags } from "../args";
import { refundDefinition } from "./refund-definition";
import { shippingDefinition } from "./shipping-definition";
import type { WorkflowsSettings } from "../../contract/options/workflows";
import { SHIPMENT_QUEUE_RETENTION_SECONDS } from "./workflow-defaults";
import { ORDER_EVENT_TYPES } from "../../handlers/events/order-events";
import { arnPart, createWorkflowRole, workflowStatements, type WorkflowRole } from "./workflow-role";

/** What the workflows are built from: resolved settings and the pipeline's resources. */
export interface WorkflowsInputs {
    readonly settings: WorkflowsSettings;
    readonly tableName: pulumi.Input<string>;
    readonly tableArn: pulumi.Input<string>;
    /** The EventBridge bus to publish OrderShipped and OrderRefunded on; no events when absent. */
    readonly eventBus?: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
    /** The SES sender and its identity, to email the customer; no email when absent. */
    readonly email?: { readonly sender: pulumi.Input<string>; readonly identityArn: pulumi.Input<string> };
    /** Customer managed key of the table and queues. Defaults to AWS managed encryption. */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** X-Ray tracing of executions. */
    readonly tracing: boolean;
    readonly logRetentionDays: number;
    /** The SNS topic the alarms notify. */
    readonly alarmTopicArn: pulumi.Input<string>;
    readonly tags?: Tags;
}

/** One state machine and its role. */
export interface Workflow extends WorkflowRole {
    readonly stateMachine: aws.sfn.StateMachine;
}

/** What {@link createWorkflows} made. */
export interface Workflows {
    readonly logGroup: aws.cloudwatch.LogGroup;
    /** The shipment-requests queue (the warehouse reads it), its DLQ and their policies. */
    readonly shipmentQueues: OrderQueues;
    readonly shipping: Workflow;
    readonly refund: Workflow;
    /** The alarms, by short name (`shipping-executions-failed`, ...). */
    readonly alarms: Record<string, aws.cloudwatch.MetricAlarm>;
    /** For ProcessOrder (`SHIPPING_STATE_MACHINE_ARN`). */
    readonly shippingStateMachineArn: pulumi.Output<string>;
    /** For RefundOrder (`REFUND_STATE_MACHINE_ARN`). */
    readonly refundStateMachineArn: pulumi.Output<string>;
    /** For the warehouse: where shipment requests arrive. */
    readonly shipmentQueueUrl: pulumi.Output<string>;
    readonly shipmentQueueArn: pulumi.Output<string>;
}

/** The execution metrics (namespace AWS/States) that mean an order's workflow did not finish. */
const EXECUTION_ALARMS = {
    "executions-failed": ["ExecutionsFailed", "failed (see the error and the failed state in the execution history; redrive once fixed)"],
    "executions-timed-out": ["ExecutionsTimedOut", "timed out"],
    "executions-aborted": ["ExecutionsAborted", "were stopped (StopExecution)"],
} as const;

/**
 * The alarms of each workflow. A refund stops the shipping execution of an order that has not
 * shipped (its rule), so an aborted shipping execution is a normal refund, not an alarm.
 */
const WORKFLOW_ALARMS = {
    shipping: ["executions-failed", "executions-timed-out"],
    refund: ["executions-failed", "executions-timed-out", "executions-aborted"],
} as const satisfies Record<"shipping" | "refund", readonly (keyof typeof EXECUTION_ALARMS)[]>;

/** The middle of each state machine's child names (`<name>-ship-sm`, `<name>-ship-sm-role`, ...). */
export const STATE_MACHINE_NAMES = { shipping: "ship-sm", refund: "refund-sm" } as const;

/**
 * Creates the workflows of component `name`: log group `/aws/vendedlogs/states/<name>-workflows-<suffix>`
 * (the vended-logs prefix keeps CloudWatch Logs' resource policy small; the suffix keeps stacks
 * apart), the shipment-requests queue (`${name}-shipment-queue`) and its DLQ, one role per state
 * machine, the two STANDARD state machines (`${name}-ship-sm`, `${name}-refund-sm`) and their alarms.
 */
export function createWorkflows(name: string, inputs: WorkflowsInputs, parent: pulumi.Resource): Workflows {
    const { settings, tags } = inputs;
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-workflows-logs`,
        { name: `/aws/vendedlogs/states/${physicalName(name, "workflows")}`, retentionInDays: inputs.logRetentionDays, tags },
        { parent },
    );

    const shipmentQueues = createQueues(
        {
            name: `${name}-shipment`,
            // The warehouse's consumer may set its own per-receive visibility; the default matches the order queue's.
            visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
            maxReceiveCount: MAX_RECEIVE_COUNT,
            retentionSeconds: SHIPMENT_QUEUE_RETENTION_SECONDS,
            dlqRetentionSeconds: SHIPMENT_QUEUE_RETENTION_SECONDS,
            kmsKeyArn: inputs.kmsKeyArn,
            tags,
        },
        parent,
    );

    const accountId = arnPart(inputs.tableArn, 4);
    const partition = arnPart(inputs.tableArn, 1);
    const common = {
        tableArn: inputs.tableArn,
        shipmentQueueArn: shipmentQueues.queue.arn,
        eventBusArn: inputs.eventBus?.arn,
        email: inputs.email,
        kmsKeyArn: inputs.kmsKeyArn,
        tracing: inputs.tracing,
    };
    const notifyRefs = pulumi
        .all([inputs.eventBus?.name, inputs.email?.sender, inputs.email?.identityArn, inputs.tableName, partition, shipmentQueues.queue.url])
        .apply(([eventBusName, sender, identityArn, tableName, partitionName, shipmentQueueUrl]) => ({
            tableName,
            shipmentQueueUrl,
            partition: partitionName,
            shipmentTimeoutSeconds: settings.shipmentTimeoutSeconds,
            ...(eventBusName === undefined ? {} : { eventBusName }),
            ...(sender === undefined ? {} : { email: { sender, ...(identityArn === undefined ? {} : { identityArn }) } }),
        }));

    const machine = (role: "shipping" | "refund", description: string, statements: ReturnType<typeof workflowStatements>, definition: pulumi.Output<string>): Workflow => {
        // `-sm`: RefundOrder's function already uses `<name>-refund`; and the auto-named role
        // `<prefix>-role-<7 chars>` must fit IAM's 64 characters with a 40-character component name.
        const prefix = `${name}-${STATE_MACHINE_NAMES[role]}`;
        const { role: iamRole, policy } = createWorkflowRole(prefix, `Execution role of the ${role} state machine: ${description}`, accountId, statements, parent, tags);
        const stateMachine = new aws.sfn.StateMachine(
            prefix,
            {
                type: "STANDARD",
                roleArn: iamRole.arn,
                definition,
                loggingConfiguration: {
                    level: settings.logLevel,
                    // Inputs and outputs carry names, addresses and emails: keep them out of the logs.
                    includeExecutionData: false,
                    logDestination: pulumi.interpolate`${logGroup.arn}:*`,
                },
                tracingConfiguration: { enabled: inputs.tracing },
                tags,
            },
            // Step Functions checks the role's log-delivery permissions when it creates the machine.
            { parent, dependsOn: [policy] },
        );
        return { role: iamRole, policy, stateMachine };
    };

    // The same builders as workflowDefinitions (local mode), called apart: the refund needs the shipping machine's ARN.
    const shipping = machine(
        "shipping",
        "reserves orders, requests shipment, marks them shipped, notifies",
        workflowStatements({ ...common, eventDetailTypes: [ORDER_EVENT_TYPES.shipped] }),
        notifyRefs.apply((refs) => JSON.stringify(shippingDefinition(refs))),
    );
    const refund = machine(
        "refund",
        "stops the shipment of refunded orders, marks them refunded, notifies",
        workflowStatements({ ...common, shippingStateMachineArn: shipping.stateMachine.arn, eventDetailTypes: [ORDER_EVENT_TYPES.refunded] }),
        pulumi
            .all([notifyRefs, shipping.stateMachine.arn])
            .apply(([refs, shippingStateMachineArn]) => JSON.stringify(refundDefinition({ ...refs, shippingStateMachineArn }))),
    );

    const alarms: Record<string, aws.cloudwatch.MetricAlarm> = {};
    const alarm = (key: string, spec: Omit<AlarmSpec, "threshold">) => {
        alarms[key] = createMetricAlarm(`${name}-${key}-alarm`, { ...spec, threshold: 0 }, inputs.alarmTopicArn, tags, parent);
    };
    for (const [role, workflow] of Object.entries({ shipping, refund }) as [keyof typeof WORKFLOW_ALARMS, Workflow][]) {
        for (const key of WORKFLOW_ALARMS[role]) {
            const [metricName, what] = EXECUTION_ALARMS[key];
            alarm(`${role}-${key}`, {
                description: `Executions of the ${role} workflow ${what}: the orders concerned did not complete it.`,
                namespace: "AWS/States",
                metricName,
                dimensions: { StateMachineArn: workflow.stateMachine.arn },
                statistic: "Sum",
            });
        }
    }
    alarm("shipment-dlq-messages", {
        description: "Shipment requests the warehouse failed to process are in the shipment DLQ: their executions will time out unless redriven.",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: shipmentQueues.deadLetterQueue.name },
        statistic: "Maximum",
    });

    return {
        logGroup,
        shipmentQueues,
        shipping,
        refund,
        alarms,
        shippingStateMachineArn: shipping.stateMachine.arn,
        refundStateMachineArn: refund.stateMachine.arn,
        shipmentQueueUrl: shipmentQueues.queue.url,
        shipmentQueueArn: shipmentQueues.queue.arn,
    };
}
