/**
 * The execution role of a state machine: trusted only by Step Functions on behalf of this account,
 * with one inline policy granting exactly what its Tasks call, plus the CloudWatch Logs delivery
 * and X-Ray actions Step Functions needs for logging and tracing.
 */
import * as aws from "../aws";
import * as pulumi from "@pulumi/pulumi";
import {
    kmsStatement,
    policyDocument,
    regionOfArn,
    sendEmailStatement,
    sendToQueueStatement,
    type Statement,
    tableStatement,
    xrayStatement,
} from "../iam";
import { LOG_DELIVERY_ACTIONS } from "./workflow-defaults";
import { putEventsStatement } from "../events";
import type { OrderEventType } from "../../handlers/events/order-events";


/**
 * What active tracing needs of the role (Step Functions Developer Guide, "AWS X-Ray and Step
 * Functions": segments, telemetry and the sampling rules), all authorized only on `"*"`.
 */
export const STATES_XRAY_ACTIONS: readonly string[] = [
    ...xrayStatement().Action,
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
];

/** One part of an ARN (`arn:<partition>:<service>:<region>:<account>:...`): 1 partition, 4 account. */
export function arnPart(arn: pulumi.Input<string>, index: 1 | 4): pulumi.Output<string> {
    return pulumi.output(arn).apply((value) => value.split(":")[index]);
}

/**
 * Only Step Functions may assume the role, and only for a state machine of `accountId`
 * (`aws:SourceAccount`: the confused-deputy guard of the IAM User Guide).
 */
export function statesTrustPolicy(accountId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "states.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    });
}

/** What one state machine's Tasks touch. */
export interface WorkflowPermissions {
    /** The orders table: status writes only. */
    readonly tableArn: pulumi.Input<string>;
    /** The shipment-requests queue: requests (shipping) and cancellations (refund). */
    readonly shipmentQueueArn?: pulumi.Input<string>;
    /** The shipping state machine, whose executions the refund workflow stops (refund workflow only). */
    readonly shippingStateMachineArn?: pulumi.Input<string>;
    /** The EventBridge bus, when events are on. */
    readonly eventBusArn?: pulumi.Input<string>;
    /** The detail-types the machine publishes on the bus (its only allowed ones). */
    readonly eventDetailTypes?: readonly OrderEventType[];
    /** The SES identity and From address, when the workflow emails the customer. */
    readonly email?: { readonly sender: pulumi.Input<string>; readonly identityArn: pulumi.Input<string> };
    /** The customer managed key of the table and queues, when one is used. */
    readonly kmsKeyArn?: pulumi.Input<string>;
    readonly tracing: boolean;
}

/** The statements of a state machine's inline policy, each action named, each resource exact where AWS allows it. */
export function workflowStatements(p: WorkflowPermissions): Statement[] {
    const region = regionOfArn(p.tableArn);
    const via = [pulumi.interpolate`dynamodb.${region}.amazonaws.com`];
    if (p.shipmentQueueArn !== undefined) via.push(pulumi.interpolate`sqs.${region}.amazonaws.com`);
    return [
        tableStatement("WriteOrderStatus", ["dynamodb:UpdateItem"], p.tableArn),
        // The existence check, the refund's shipping check and the email's recipient.
        tableStatement("ReadOrder", ["dynamodb:GetItem"], p.tableArn),
        ...(p.shipmentQueueArn === undefined ? [] : [{ ...sendToQueueStatement(p.shipmentQueueArn), Sid: "SendShipmentRequests" }]),
        ...(p.shippingStateMachineArn === undefined ? [] : [stopShippingStatement(p.shippingStateMachineArn)]),
        ...(p.eventBusArn === undefined
            ? []
            : [putEventsStatement(p.eventBusArn, p.eventDetailTypes ?? [])]),
        // SES v2 SendEmail is authorized as ses:SendEmail; the state machine never sends raw email.
        ...(p.email === undefined
            ? []
            : [{ ...sendEmailStatement(p.email.identityArn, p.email.sender), Sid: "EmailCustomer", Action: ["ses:SendEmail"] }]),
        // DynamoDB decrypts the item it updates, SQS encrypts the message it stores, each through KMS
        // on the caller's behalf.
        ...(p.kmsKeyArn === undefined ? [] : [kmsStatement(["kms:Decrypt", "kms:GenerateDataKey"], p.kmsKeyArn, via)]),
        ...(p.tracing ? [{ ...xrayStatement(), Action: STATES_XRAY_ACTIONS }] : []),
        { Sid: "DeliverExecutionLogs", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: "*" },
    ];
}

/**
 * `states:StopExecution` on the shipping machine's executions named `ship-*` (execution ARNs:
 * `arn:<p>:states:<region>:<account>:execution:<machine>:<name>`; the name holds the order id,
 * so the grant ends in a wildcard on that one machine's shipping runs).
 */
export function stopShippingStatement(shippingStateMachineArn: pulumi.Input<string>): Statement {
    return {
        Sid: "StopShippingOfRefundedOrders",
        Effect: "Allow",
        Action: ["states:StopExecution"],
        Resource: pulumi.output(shippingStateMachineArn).apply((arn) => {
            const parts = arn.split(":");
            return `${parts.slice(0, 5).join(":")}:execution:${parts[6]}:ship-*`;
        }),
    };
}

/** A state machine's role and its one inline policy. */
export interface WorkflowRole {
    readonly role: aws.iam.Role;
    readonly policy: aws.iam.RolePolicy;
}

/**
 * Creates `${prefix}-role`, trusted only by Step Functions for `accountId`, and its inline policy
 * `${prefix}-policy`; no managed policy is attached.
 */
export function createWorkflowRole(
    prefix: string,
    description: string,
    accountId: pulumi.Input<string>,
    statements: readonly Statement[],
    parent: pulumi.Resource,
    tags: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
): WorkflowRole {
    const role = new aws.iam.Role(`${prefix}-role`, { description, assumeRolePolicy: statesTrustPolicy(accountId), tags }, { parent });
    const policy = new aws.iam.RolePolicy(`${prefix}-policy`, { role: role.name, policy: policyDocument(statements) }, { parent });
    return { role, policy };
}
