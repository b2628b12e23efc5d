/**
 * What the Pulumi Cloud and the CLI show next to a violation, for every rule of the pack: how to
 * fix it, where AWS documents it, and the cdk-nag rule it matches (as the policy's compliance
 * framework), so that a team coming from cdk-nag finds its checks here.
 */
import type { Policy, PolicyComplianceFramework } from "@pulumi/policy";

/** The rule list of cdk-nag, the framework the pack is held against (policies/README.md, "Parity with cdk-nag"). */
export const CDK_NAG_RULES_URL = "https://github.com/cdklabs/cdk-nag/blob/main/RULES.md";

/** A rule's metadata beyond its name, description, level, severity and tags. */
export interface RuleMetadata {
    readonly remediationSteps: string;
    readonly url: string;
    /** The cdk-nag rules (`AwsSolutions-SNS3`, `Serverless-...`) this rule covers, with what they check. */
    readonly cdkNag?: { readonly rules: readonly string[]; readonly specification: string };
}

const docs = (path: string) => `https://docs.aws.amazon.com/${path}`;

/** Every rule's metadata, by rule name. */
export const RULE_METADATA: Readonly<Record<string, RuleMetadata>> = {
    "iam-no-wildcard-actions": {
        remediationSteps: 'List the exact actions the statement needs instead of "*" or "service:*", and replace NotAction with Action.',
        url: docs("IAM/latest/UserGuide/best-practices.html#grant-least-privilege"),
        cdkNag: { rules: ["AwsSolutions-IAM5"], specification: "The IAM entity contains wildcard permissions." },
    },
    "iam-no-wildcard-resources": {
        remediationSteps: 'Name the exact resource ARNs; keep "*" only for actions AWS authorizes on no other resource (the allow-list), and replace NotResource with Resource.',
        url: docs("service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"),
        cdkNag: { rules: ["AwsSolutions-IAM5"], specification: "The IAM entity contains wildcard permissions." },
    },
    "iam-no-broad-managed-policies": {
        remediationSteps: "Detach AdministratorAccess, PowerUserAccess and *FullAccess policies; grant the exact actions in an inline or customer managed policy.",
        url: docs("IAM/latest/UserGuide/access_policies_job-functions.html"),
        cdkNag: { rules: ["AwsSolutions-IAM4"], specification: "The IAM user, role, or group uses AWS managed policies." },
    },
    "iam-no-aws-managed-policies": {
        remediationSteps: "Replace each attached AWS managed policy with an inline or customer managed policy that grants only what the workload calls.",
        url: docs("IAM/latest/UserGuide/access_policies_managed-vs-inline.html"),
        cdkNag: { rules: ["AwsSolutions-IAM4"], specification: "The IAM user, role, or group uses AWS managed policies." },
    },
    "iam-lambda-trusts-only-lambda": {
        remediationSteps: 'Make the trust policy\'s only principal { "Service": "lambda.amazonaws.com" } (or add the service to allowedServicePrincipals).',
        url: docs("lambda/latest/dg/lambda-intro-execution-role.html"),
    },
    "iam-ses-send-scoped": {
        remediationSteps: 'Grant ses:SendEmail on the SES identity ARN only, with a condition { "StringEquals": { "ses:FromAddress": "<sender>" } }.',
        url: docs("ses/latest/dg/control-user-access.html"),
    },
    "iam-no-pass-role-on-wildcard": {
        remediationSteps: "Name the role ARNs iam:PassRole may pass, and add an iam:PassedToService condition.",
        url: docs("IAM/latest/UserGuide/id_roles_use_passrole.html"),
    },
    "iam-condition-set-operators": {
        remediationSteps: 'Prefix the operator with ForAllValues: (and add "Null": {"<key>": "false"}) or ForAnyValue: for every multivalued key.',
        url: docs("IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"),
    },
    "lambda-runtime-not-deprecated": {
        remediationSteps: "Move the function to a supported runtime (for Node.js, nodejs24.x), test it, and deploy.",
        url: docs("lambda/latest/dg/lambda-runtimes.html"),
    },
    "lambda-runtime-latest": {
        remediationSteps: "Move the function to the newest runtime of its language, test it, and deploy.",
        url: docs("lambda/latest/dg/lambda-runtimes.html"),
        cdkNag: { rules: ["AwsSolutions-L1"], specification: "The non-container Lambda function is not configured to use the latest runtime version." },
    },
    "lambda-no-shared-roles": {
        remediationSteps: "Give each function its own execution role with only the statements that function needs.",
        url: docs("lambda/latest/dg/lambda-intro-execution-role.html"),
    },
    "lambda-sqs-reports-batch-item-failures": {
        remediationSteps: 'Set functionResponseTypes: ["ReportBatchItemFailures"] on the event source mapping and return batchItemFailures from the handler.',
        url: docs("lambda/latest/dg/services-sqs-errorhandling.html"),
    },
    "lambda-log-group-managed": {
        remediationSteps: "Create the function's log group in the stack with a retention and point loggingConfig.logGroup at it.",
        url: docs("lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html"),
    },
    "sqs-queue-encrypted": {
        remediationSteps: "Set sqsManagedSseEnabled: true, or kmsMasterKeyId to a customer managed key.",
        url: docs("AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html"),
        cdkNag: { rules: ["AwsSolutions-SQS2"], specification: "The SQS Queue does not have server-side encryption enabled." },
    },
    "sqs-visibility-timeout-covers-lambda": {
        remediationSteps: "Raise the queue's visibilityTimeoutSeconds to at least 6 x the function's timeout plus the batching window.",
        url: docs("lambda/latest/dg/services-sqs-configure.html"),
    },
    "sqs-queue-has-redrive-policy": {
        remediationSteps: "Give the queue a redrivePolicy to a dead-letter queue with a maxReceiveCount from 1 to 1000.",
        url: docs("AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html"),
        cdkNag: { rules: ["AwsSolutions-SQS3"], specification: "The SQS queue is not used as a DLQ and does not have a DLQ enabled." },
    },
    "sqs-queue-tls-only": {
        remediationSteps: 'Add a queue policy statement: Deny "sqs:*" to Principal "*" on the queue when "aws:SecureTransport" is "false".',
        url: docs("AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html"),
        cdkNag: { rules: ["AwsSolutions-SQS4"], specification: "The SQS queue does not require requests to use SSL." },
    },
    "sns-topic-tls-only": {
        remediationSteps: 'Add a topic policy statement: Deny "sns:Publish" to Principal "*" on the topic when "aws:SecureTransport" is "false".',
        url: docs("sns/latest/dg/sns-security-best-practices.html"),
        cdkNag: { rules: ["AwsSolutions-SNS3"], specification: "The SNS Topic does not require publishers to use SSL." },
    },
    "dynamodb-point-in-time-recovery": {
        remediationSteps: "Set pointInTimeRecovery.enabled to true on the table.",
        url: docs("amazondynamodb/latest/developerguide/Point-in-time-recovery.html"),
        cdkNag: { rules: ["AwsSolutions-DDB3"], specification: "The DynamoDB table does not have Point-in-time Recovery enabled." },
    },
    "apigatewayv2-stage-throttled": {
        remediationSteps: "Set defaultRouteSettings.throttlingBurstLimit and throttlingRateLimit on the stage to limits the backend sustains.",
        url: docs("apigateway/latest/developerguide/http-api-throttling.html"),
        cdkNag: { rules: ["Serverless-APIGWDefaultThrottling"], specification: "API Gateway stages should have default throttling configured." },
    },
    "apigatewayv2-stage-access-logs": {
        remediationSteps: "Set accessLogSettings.destinationArn to a log group and accessLogSettings.format on the stage.",
        url: docs("apigateway/latest/developerguide/http-api-logging.html"),
        cdkNag: { rules: ["AwsSolutions-APIG1"], specification: "The API does not have access logging enabled." },
    },
    "apigatewayv2-stage-structured-access-logs": {
        remediationSteps: 'Set accessLogSettings.format to a JSON object of $context variables, e.g. {"requestId":"$context.requestId","status":"$context.status"}.',
        url: docs("apigateway/latest/developerguide/http-api-logging-variables.html"),
        cdkNag: { rules: ["Serverless-APIGWStructuredLogging"], specification: "API Gateway access logs should be in a structured (JSON) format." },
    },
    "apigatewayv2-route-authorized": {
        remediationSteps: "Attach a JWT (Cognito) or IAM authorizer to the route; with OrderPipeline, set auth.",
        url: docs("apigateway/latest/developerguide/http-api-access-control.html"),
        cdkNag: {
            rules: ["AwsSolutions-APIG4", "AwsSolutions-COG4"],
            specification: "The API does not implement authorization; the API GW method does not use a Cognito user pool authorizer.",
        },
    },
    "cloudwatch-log-group-retention": {
        remediationSteps: "Set retentionInDays on the log group (OrderPipeline's logRetentionDays).",
        url: docs("AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention"),
        cdkNag: { rules: ["Serverless-CloudWatchLogGroupRetentionPeriod"], specification: "CloudWatch log groups should have an explicit retention period." },
    },
    "eventbridge-target-has-dead-letter-queue": {
        remediationSteps: "Set deadLetterConfig.arn on the target to an SQS queue EventBridge may send to.",
        url: docs("eventbridge/latest/userguide/eb-rule-dlq.html"),
        cdkNag: { rules: ["Serverless-EventBusDLQ"], specification: "EventBridge targets should have a DLQ configured." },
    },
    "eventbridge-target-has-retry-policy": {
        remediationSteps: "Set retryPolicy.maximumRetryAttempts (0-185) and maximumEventAgeInSeconds (60-86400) on the target.",
        url: docs("eventbridge/latest/userguide/eb-rule-retry-policy.html"),
    },
    "eventbridge-bus-archived": {
        remediationSteps: "Create an aws.cloudwatch.EventArchive with the bus as its eventSourceArn and a retention.",
        url: docs("eventbridge/latest/userguide/eb-archive.html"),
    },
    "eventbridge-bus-policy-not-open": {
        remediationSteps: 'Name the accounts or roles in the bus policy\'s Principal, or keep Principal "*" with a condition on aws:PrincipalOrgID.',
        url: docs("eventbridge/latest/userguide/eb-event-bus-perms.html"),
        cdkNag: { rules: ["AwsSolutions-EVB1"], specification: "The event bus policy allows for open access." },
    },
    "sfn-state-machine-logging": {
        remediationSteps: "Set loggingConfiguration with level ALL (or ERROR/FATAL), a log group destination and includeExecutionData: false.",
        url: docs("step-functions/latest/dg/cw-logs.html"),
        cdkNag: { rules: ["AwsSolutions-SF1"], specification: "The Step Function does not log \"ALL\" events to CloudWatch Logs." },
    },
    "sfn-tasks-catch-errors": {
        remediationSteps: 'End every Task state\'s Catch list with a catcher of "States.ALL" that leads to a Fail state or a compensation.',
        url: docs("step-functions/latest/dg/concepts-error-handling.html"),
    },
    "sfn-state-machine-tracing": {
        remediationSteps: "Set tracingConfiguration.enabled to true and grant the role the X-Ray actions (OrderPipeline's tracing).",
        url: docs("step-functions/latest/dg/concepts-xray-tracing.html"),
        cdkNag: { rules: ["AwsSolutions-SF2"], specification: "The Step Function does not have X-Ray tracing enabled." },
    },
    "cognito-user-pool-password-policy": {
        remediationSteps: "Set passwordPolicy.minimumLength to 8 or more and require lowercase, uppercase, numbers and symbols.",
        url: docs("cognito/latest/developerguide/managing-users-passwords.html"),
        cdkNag: { rules: ["AwsSolutions-COG1"], specification: "The Cognito user pool does not have a password policy that minimally specifies a password length of at least 8 characters, as well as requiring uppercase, numeric, and special characters." },
    },
    "cognito-user-pool-mfa": {
        remediationSteps: 'Set mfaConfiguration to "OPTIONAL" or "ON" and softwareTokenMfaConfiguration.enabled to true.',
        url: docs("cognito/latest/developerguide/user-pool-settings-mfa.html"),
        cdkNag: { rules: ["AwsSolutions-COG2"], specification: "The Cognito user pool does not require MFA." },
    },
};

/** The compliance framework entry of a cdk-nag mapping. */
function cdkNagFramework(mapping: NonNullable<RuleMetadata["cdkNag"]>): PolicyComplianceFramework {
    return { name: "cdk-nag", version: "2", reference: mapping.rules.join(", "), specification: mapping.specification };
}

/** Attaches a rule's metadata to it (the same object, so every list that holds it sees it); throws for a rule without any. */
export function withMetadata<T extends Policy>(policy: T): T {
    const metadata = RULE_METADATA[policy.name];
    if (!metadata) throw new Error(`rule ${policy.name} has no entry in policies/metadata.ts`);
    return Object.assign(policy, {
        remediationSteps: metadata.remediationSteps,
        url: metadata.url,
        ...(metadata.cdkNag ? { framework: cdkNagFramework(metadata.cdkNag) } : {}),
    });
}
