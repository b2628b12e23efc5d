/**
 * Happy-path inputs for the policy tests: the resources of a least-privilege order pipeline, in
 * the shapes the engine passes them. Tests copy one and change one field per non-compliant case.
 */
import { AwsType } from "../../policies/support/resource-types";
import type { ResourceUnderTest, StackResourceUnderTest } from "./harness";

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

export const QUEUE_ARN = arn("sqs", "orders-queue");
export const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders-queue`;
export const DLQ_ARN = arn("sqs", "orders-dlq");
export const DLQ_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders-dlq`;
export const TABLE_ARN = arn("dynamodb", "table/orders");
export const SES_IDENTITY_ARN = arn("ses", "identity/orders@example.com");
export const LOG_GROUP_ARN = arn("logs", "log-group:/aws/lambda/orders-process");
export const ROLE_ARN = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const FUNCTION_ARN = (name: string) => arn("lambda", `function:${name}`);

/** A JSON-compatible value, deep-copied so that a test can change it freely. */
export function copy<T>(value: T): T {
    return structuredClone(value);
}

/** The statements of ProcessOrder's policy: each action named, each resource an exact ARN. */
export function workerStatements(): Record<string, unknown>[] {
    return [
        { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${LOG_GROUP_ARN}:*` },
        { Sid: "ConsumeOrderQueue", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], Resource: QUEUE_ARN },
        { Sid: "WriteOrders", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:UpdateItem"], Resource: TABLE_ARN },
        {
            Sid: "SendOrderEmail",
            Effect: "Allow",
            Action: ["ses:SendEmail", "ses:SendRawEmail"],
            Resource: SES_IDENTITY_ARN,
            Condition: { StringEquals: { "ses:FromAddress": "orders@example.com" } },
        },
        { Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    ];
}

/** A policy document with the given statements. */
export function document(statements: unknown): Record<string, unknown> {
    return { Version: "2012-10-17", Statement: statements };
}

/** ProcessOrder's policy document with statement `index` (0-based) changed by `change`. */
export function workerDocumentWith(index: number, change: (statement: Record<string, unknown>) => void): Record<string, unknown> {
    const statements = workerStatements();
    change(statements[index]);
    return document(statements);
}

/** A role policy resource holding `policy` (a JSON string or an object). */
export function rolePolicy(policy: unknown, name = "orders-process-policy"): ResourceUnderTest {
    return { type: AwsType.iamRolePolicy, name, props: { role: "orders-process-role", policy } };
}

/** The trust policy of a Lambda execution role. */
export function lambdaTrust(): Record<string, unknown> {
    return document([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
}

/** A role resource with the given trust policy. */
export function role(assumeRolePolicy: unknown, extra: Record<string, unknown> = {}, name = "orders-process-role"): ResourceUnderTest {
    return { type: AwsType.iamRole, name, props: { assumeRolePolicy, ...extra } };
}

/** The resolved outputs of the pipeline's queue, DLQ, functions and their wiring, as `AnalyzeStack` passes them. */
export function pipelineStack(): StackResourceUnderTest[] {
    const fn = (role: string, timeout: number): StackResourceUnderTest => ({
        type: AwsType.lambdaFunction,
        name: `orders-${role}`,
        props: {
            name: `orders-${role}`,
            arn: FUNCTION_ARN(`orders-${role}`),
            role: ROLE_ARN(`orders-${role}-role`),
            runtime: "nodejs24.x",
            timeout,
            loggingConfig: { logFormat: "JSON", logGroup: `/aws/lambda/orders-${role}` },
        },
    });
    const roleOf = (role: string): StackResourceUnderTest => ({
        type: AwsType.iamRole,
        name: `orders-${role}-role`,
        props: { name: `orders-${role}-role`, arn: ROLE_ARN(`orders-${role}-role`), assumeRolePolicy: JSON.stringify(lambdaTrust()) },
    });
    const logGroup = (role: string): StackResourceUnderTest => ({
        type: AwsType.cloudwatchLogGroup,
        name: `orders-${role}-logs`,
        props: { name: `/aws/lambda/orders-${role}`, arn: arn("logs", `log-group:/aws/lambda/orders-${role}`), retentionInDays: 30 },
    });
    const tlsOnly = (queueArn: string) =>
        JSON.stringify(
            document([
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "sqs:*",
                    Resource: queueArn,
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ]),
        );
    return [
        {
            type: AwsType.sqsQueue,
            name: "orders-dlq",
            props: { name: "orders-dlq", arn: DLQ_ARN, url: DLQ_URL, id: DLQ_URL, sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 },
        },
        {
            type: AwsType.sqsQueue,
            name: "orders-queue",
            props: {
                name: "orders-queue",
                arn: QUEUE_ARN,
                url: QUEUE_URL,
                id: QUEUE_URL,
                sqsManagedSseEnabled: true,
                visibilityTimeoutSeconds: 181,
                redrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 3 }),
            },
        },
        {
            type: AwsType.sqsRedriveAllowPolicy,
            name: "orders-dlq-redrive-allow",
            props: { queueUrl: DLQ_URL, redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [QUEUE_ARN] }) },
        },
        { type: AwsType.sqsQueuePolicy, name: "orders-queue-policy", props: { queueUrl: QUEUE_URL, policy: tlsOnly(QUEUE_ARN) } },
        { type: AwsType.sqsQueuePolicy, name: "orders-dlq-policy", props: { queueUrl: DLQ_URL, policy: tlsOnly(DLQ_ARN) } },
        roleOf("submit"),
        roleOf("process"),
        roleOf("get"),
        logGroup("submit"),
        logGroup("process"),
        logGroup("get"),
        fn("submit", 10),
        fn("process", 30),
        fn("get", 10),
        {
            type: AwsType.lambdaEventSourceMapping,
            name: "orders-process-mapping",
            props: {
                eventSourceArn: QUEUE_ARN,
                functionName: "orders-process",
                functionArn: FUNCTION_ARN("orders-process"),
                batchSize: 10,
                maximumBatchingWindowInSeconds: 1,
                functionResponseTypes: ["ReportBatchItemFailures"],
                scalingConfig: { maximumConcurrency: 5 },
            },
        },
    ];
}

/** The pipeline stack with the props of resource `name` changed by `change`. */
export function pipelineStackWith(name: string, change: (props: Record<string, unknown>) => void): StackResourceUnderTest[] {
    const resources = pipelineStack();
    const resource = resources.find((r) => r.name === name);
    if (!resource) throw new Error(`the pipeline stack has no resource named ${name}`);
    change(resource.props);
    return resources;
}

/** The pipeline stack with several resources changed: `[name, change]` pairs. */
export function stackWith(...changes: [string, (props: Record<string, any>) => void][]): StackResourceUnderTest[] {
    const resources = pipelineStack();
    for (const [name, change] of changes) {
        const resource = resources.find((r) => r.name === name);
        if (!resource) throw new Error(`no resource ${name}`);
        change(resource.props);
    }
    return resources;
}
