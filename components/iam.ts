import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

/** One IAM policy statement, always an Allow on named actions and resources. */
export interface Statement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: readonly string[];
    readonly Resource: pulumi.Input<string> | readonly pulumi.Input<string>[];
    readonly Condition?: Record<string, Record<string, pulumi.Input<string> | readonly pulumi.Input<string>[]>>;
}

/** The trust policy of every function role: only the Lambda service may assume it. */
export const LAMBDA_TRUST_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
        },
    ],
});

/** The region part of an ARN (`arn:<partition>:<service>:<region>:...`). */
export function regionOfArn(arn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(arn).apply((value) => value.split(":")[3]);
}

/**
 * Write to the function's own log group. CloudWatch Logs authorizes these actions against the log
 * group ARN with a trailing `:*` (which covers the group's streams, whose names Lambda chooses).
 */
export function writeLogsStatement(logGroupArn: pulumi.Input<string>): Statement {
    return {
        Sid: "WriteOwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: pulumi.interpolate`${logGroupArn}:*`,
    };
}

/** Send orders to the order queue. */
export function sendToQueueStatement(queueArn: pulumi.Input<string>): Statement {
    return { Sid: "SendToOrderQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: queueArn };
}

/** What the Lambda event source mapping needs to poll a queue on the function's behalf. */
export function consumeQueueStatement(queueArn: pulumi.Input<string>, sid = "ConsumeOrderQueue"): Statement {
    return {
        Sid: sid,
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        Resource: queueArn,
    };
}

/** Named item actions on the orders table. */
export function tableStatement(sid: string, actions: readonly string[], tableArn: pulumi.Input<string>): Statement {
    return { Sid: sid, Effect: "Allow", Action: actions, Resource: tableArn };
}

/**
 * Send email as exactly one identity and one From address. SES authorizes sending against the
 * identity ARN; the `ses:FromAddress` condition stops the role from sending as any other address
 * the identity covers (e.g. every address of a verified domain). Only `ses:SendEmail`: SES v1
 * SendEmail and SES v2 SendEmail are both authorized as it, and nothing here sends raw email.
 */
export function sendEmailStatement(identityArn: pulumi.Input<string>, sender: pulumi.Input<string>): Statement {
    return {
        Sid: "SendOrderEmail",
        Effect: "Allow",
        Action: ["ses:SendEmail"],
        Resource: identityArn,
        Condition: { StringEquals: { "ses:FromAddress": sender } },
    };
}

/**
 * Delay the retry of a record that failed for a transient reason (ChangeMessageVisibility, which
 * also authorizes ChangeMessageVisibilityBatch) on the one queue the function consumes.
 */
export function changeOrderVisibilityStatement(queueArn: pulumi.Input<string>): Statement {
    return { Sid: "DelayOrderRetries", Effect: "Allow", Action: ["sqs:ChangeMessageVisibility"], Resource: queueArn };
}

/**
 * Send through the pipeline's configuration set: SES v2 authorizes SendEmail against the
 * configuration set an email names as well as against the identity (Service Authorization
 * Reference, Amazon Simple Email Service v2, SendEmail's resource types).
 */
export function sendWithConfigurationSetStatement(configurationSetArn: pulumi.Input<string>, sender: pulumi.Input<string>): Statement {
    return {
        Sid: "SendThroughConfigurationSet",
        Effect: "Allow",
        Action: ["ses:SendEmail"],
        Resource: configurationSetArn,
        // The same From address as on the identity: the configuration set adds no other sender.
        Condition: { StringEquals: { "ses:FromAddress": sender } },
    };
}

/** Start executions of one state machine (the execution name makes each start idempotent). */
export function startExecutionStatement(sid: string, stateMachineArn: pulumi.Input<string>): Statement {
    return { Sid: sid, Effect: "Allow", Action: ["states:StartExecution"], Resource: stateMachineArn };
}

/**
 * Use the customer managed key, and only through the services that hold our data (SQS and DynamoDB
 * call KMS on the caller's behalf, which sets `kms:ViaService`).
 */
export function kmsStatement(
    actions: readonly string[],
    keyArn: pulumi.Input<string>,
    viaServices: readonly pulumi.Input<string>[],
): Statement {
    return {
        Sid: "UseOrderDataKey",
        Effect: "Allow",
        Action: actions,
        Resource: keyArn,
        Condition: { StringEquals: { "kms:ViaService": viaServices } },
    };
}

/**
 * Send trace segments to X-Ray. X-Ray does not support resource-level permissions for these
 * actions, so AWS accepts only `"*"` as their resource: the one wildcard we grant, and only when
 * tracing is on.
 */
export function xrayStatement(): Statement {
    return {
        Sid: "WriteTraces",
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
    };
}

/** A policy document from statements, as the JSON string IAM stores. */
export function policyDocument(statements: readonly Statement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** A function role and its one inline policy. */
export interface FunctionRole {
    readonly role: aws.iam.Role;
    readonly policy: aws.iam.RolePolicy;
}

/**
 * Creates the execution role of one function (`${prefix}-role`), trusting only Lambda, with the
 * given statements as its only (inline) policy (`${prefix}-policy`): no managed policy is attached.
 */
export function createFunctionRole(
    prefix: string,
    description: string,
    statements: readonly Statement[],
    parent: pulumi.Resource,
    tags: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
): FunctionRole {
    const role = new aws.iam.Role(
        `${prefix}-role`,
        { description, assumeRolePolicy: LAMBDA_TRUST_POLICY, tags },
        { parent },
    );
    const policy = new aws.iam.RolePolicy(
        `${prefix}-policy`,
        { role: role.name, policy: policyDocument(statements) },
        { parent },
    );
    return { role, policy };
}
