/**
 * What the OrderPipeline package schema must say, written out: every input (by argument path) with
 * its schema type and the default its description must state (taken from the contract, the one
 * source of the defaults), and every output with its type. tests/plugin/component-package.test.ts
 * checks the schema Pulumi infers against these, and docs/multi-language.md's argument table is
 * made from them (tests/plugin/argument-table.ts).
 */
import {
    BATCH_SIZE,
    BUNDLE_AWS_SDK,
    CORS_ALLOW_HEADERS,
    CORS_EXPOSE_HEADERS,
    CORS_MAX_AGE_SECONDS,
    DASHBOARD,
    DLQ_RETENTION_SECONDS,
    GET_TIMEOUT_SECONDS,
    LOG_RETENTION_DAYS,
    MAX_BATCHING_WINDOW_SECONDS,
    MAX_CONCURRENCY,
    MAX_RECEIVE_COUNT,
    MEMORY_MB,
    OLDEST_MESSAGE_ALARM_SECONDS,
    PROCESS_TIMEOUT_SECONDS,
    QUEUE_RETENTION_SECONDS,
    REFUND_TIMEOUT_SECONDS,
    EMAIL_EVENTS_TIMEOUT_SECONDS,
    SUBMIT_TIMEOUT_SECONDS,
    THROTTLE_BURST_LIMIT,
    THROTTLE_RATE_LIMIT,
    TRACING,
    VISIBILITY_TIMEOUT_SECONDS,
} from "../../contract/defaults";
import { AUTH_DEFAULTS } from "../../contract/options/auth";
import { EVENTS_SETTINGS } from "../../contract/options/events";
import { SHIPMENT_TIMEOUT_SECONDS, WORKFLOW_LOG_LEVEL } from "../../contract/options/workflows";

/** A default as the description states it: a value, a list of values, or words for a derived one. */
export type StatedDefault = { readonly value: string | number | boolean | readonly string[] } | { readonly words: string };

/** One input of the schema: its type (as {@link typeName} writes it) and its default, if it has one. */
export interface ExpectedInput {
    readonly type: string;
    readonly required?: true;
    readonly default?: StatedDefault;
}

const value = (v: string | number | boolean | readonly string[]): StatedDefault => ({ value: v });
const words = (w: string): StatedDefault => ({ words: w });

/** Every input of OrderPipeline, by argument path (`[]` for the items of a list). */
export const EXPECTED_INPUTS: Record<string, ExpectedInput> = {
    api: { type: "ApiArgs", default: words("the throttling defaults and no CORS") },
    "api.throttle": { type: "ThrottleArgs", default: words("Each field has its default") },
    "api.throttle.burstLimit": { type: "number", default: value(THROTTLE_BURST_LIMIT) },
    "api.throttle.rateLimit": { type: "number", default: value(THROTTLE_RATE_LIMIT) },
    "api.cors": { type: "CorsArgs", default: value("none") },
    "api.cors.allowOrigins": { type: "string[]", required: true },
    "api.cors.allowHeaders": { type: "string[]", default: value(CORS_ALLOW_HEADERS) },
    "api.cors.exposeHeaders": { type: "string[]", default: value(CORS_EXPOSE_HEADERS) },
    "api.cors.maxAgeSeconds": { type: "number", default: value(CORS_MAX_AGE_SECONDS) },
    queue: { type: "QueueArgs", default: words("Each field has its default") },
    "queue.visibilityTimeoutSeconds": { type: "number", default: words(`${VISIBILITY_TIMEOUT_SECONDS} with the defaults`) },
    "queue.maxReceiveCount": { type: "number", default: value(MAX_RECEIVE_COUNT) },
    "queue.retentionSeconds": { type: "number", default: value(QUEUE_RETENTION_SECONDS) },
    "queue.dlqRetentionSeconds": { type: "number", default: value(DLQ_RETENTION_SECONDS) },
    processing: { type: "ProcessingArgs", default: words("Each field has its default") },
    "processing.batchSize": { type: "number", default: value(BATCH_SIZE) },
    "processing.maxBatchingWindowSeconds": { type: "number", default: value(MAX_BATCHING_WINDOW_SECONDS) },
    "processing.maximumConcurrency": { type: "number", default: value(MAX_CONCURRENCY) },
    functions: { type: "FunctionsArgs", default: words("Each field has its default") },
    "functions.memoryMb": { type: "number", default: value(MEMORY_MB) },
    "functions.submitTimeoutSeconds": { type: "number", default: value(SUBMIT_TIMEOUT_SECONDS) },
    "functions.processTimeoutSeconds": { type: "number", default: value(PROCESS_TIMEOUT_SECONDS) },
    "functions.getTimeoutSeconds": { type: "number", default: value(GET_TIMEOUT_SECONDS) },
    "functions.refundTimeoutSeconds": { type: "number", default: value(REFUND_TIMEOUT_SECONDS) },
    "functions.emailEventsTimeoutSeconds": { type: "number", default: value(EMAIL_EVENTS_TIMEOUT_SECONDS) },
    "functions.bundleAwsSdk": { type: "boolean", default: value(BUNDLE_AWS_SDK) },
    table: { type: "TableArgs", default: words("deletion protection on production-named stacks only") },
    "table.deletionProtection": { type: "boolean", default: words('true for stacks whose name contains "prod", else false') },
    email: { type: "EmailArgs", default: words("off unless `email.sender` is set") },
    "email.enabled": { type: "boolean", default: words("true when `sender` is set, else false") },
    "email.sender": { type: "string", default: words("Required when email is enabled") },
    "email.identityArn": { type: "string", default: value("none") },
    "email.domain": { type: "string", default: value("none") },
    "email.hostedZoneId": { type: "string", default: value("none") },
    alarms: { type: "AlarmsArgs", default: words("the topic without a subscription") },
    "alarms.email": { type: "string", default: value("none") },
    "alarms.oldestMessageAgeSeconds": { type: "number", default: value(OLDEST_MESSAGE_ALARM_SECONDS) },
    encryption: { type: "EncryptionArgs", default: words("AWS-managed keys") },
    "encryption.kmsKeyArn": { type: "string", default: value("none") },
    tracing: { type: "boolean", default: value(TRACING) },
    dashboard: { type: "boolean", default: value(DASHBOARD) },
    logRetentionDays: { type: "number", default: value(LOG_RETENTION_DAYS) },
    tags: { type: "map<string>", default: value("none") },
    events: { type: "EventsArgs", default: value("off") },
    "events.archiveRetentionDays": { type: "number", default: value(EVENTS_SETTINGS.archiveRetentionDays.default) },
    "events.subscribers": { type: "EventsSubscriber[]", default: value("none") },
    "events.subscribers[].name": { type: "string", required: true },
    "events.subscribers[].pattern": { type: "map<any>", required: true },
    "events.subscribers[].target": { type: "EventsTarget", required: true },
    "events.subscribers[].target.queueArn": { type: "string", default: words("Exactly one of `queueArn`, `functionArn` and `eventBusArn` is required") },
    "events.subscribers[].target.functionArn": { type: "string", default: words("Exactly one of `queueArn`, `functionArn` and `eventBusArn` is required") },
    "events.subscribers[].target.eventBusArn": { type: "string", default: words("Exactly one of `queueArn`, `functionArn` and `eventBusArn` is required") },
    "events.subscribers[].maximumRetryAttempts": { type: "number", default: value(EVENTS_SETTINGS.maximumRetryAttempts.default) },
    "events.subscribers[].maximumEventAgeSeconds": { type: "number", default: value(EVENTS_SETTINGS.maximumEventAgeSeconds.default) },
    auth: { type: "AuthArgs", default: value("off") },
    "auth.cognito": { type: "CognitoArgs", required: true },
    "auth.cognito.userPoolId": { type: "string", default: value("none") },
    "auth.cognito.userPoolClientIds": { type: "string[]", default: words("Required with `userPoolId`") },
    "auth.cognito.passwordMinimumLength": { type: "number", default: value(AUTH_DEFAULTS.passwordMinimumLength) },
    "auth.cognito.mfa": { type: "enum MfaMode", default: value(AUTH_DEFAULTS.mfa) },
    "auth.cognito.selfSignUp": { type: "boolean", default: value(AUTH_DEFAULTS.selfSignUp) },
    "auth.cognito.accessTokenValidityMinutes": { type: "number", default: value(AUTH_DEFAULTS.accessTokenValidityMinutes) },
    "auth.cognito.refreshTokenValidityDays": { type: "number", default: value(AUTH_DEFAULTS.refreshTokenValidityDays) },
    "auth.cognito.deletionProtection": { type: "boolean", default: words('true for stacks whose name contains "prod", else false') },
    workflows: { type: "WorkflowsArgs", default: value("off") },
    "workflows.shipmentTimeoutSeconds": { type: "number", default: value(SHIPMENT_TIMEOUT_SECONDS) },
    "workflows.logLevel": { type: "enum WorkflowLogLevel", default: value(WORKFLOW_LOG_LEVEL) },
};

/** One output of the schema: its type, and whether it is there only with an option. */
export interface ExpectedOutput {
    readonly type: string;
    readonly optional?: true;
}

/** Every output of OrderPipeline. */
export const EXPECTED_OUTPUTS: Record<string, ExpectedOutput> = {
    api: { type: "aws:apigatewayv2/api:Api" },
    stage: { type: "aws:apigatewayv2/stage:Stage" },
    queue: { type: "aws:sqs/queue:Queue" },
    deadLetterQueue: { type: "aws:sqs/queue:Queue" },
    table: { type: "aws:dynamodb/table:Table" },
    functions: { type: "PipelineLambdaFunctions" },
    roles: { type: "PipelineFunctionRoles" },
    logGroups: { type: "PipelineFunctionLogGroups" },
    eventSourceMapping: { type: "aws:lambda/eventSourceMapping:EventSourceMapping" },
    emailIdentity: { type: "aws:sesv2/emailIdentity:EmailIdentity", optional: true },
    emailConfigurationSetName: { type: "string", optional: true },
    emailDnsRecords: { type: "EmailDnsRecords", optional: true },
    emailEventsQueueUrl: { type: "string", optional: true },
    emailEventsDeadLetterQueueUrl: { type: "string", optional: true },
    emailEventsTopicArn: { type: "string", optional: true },
    alarmTopic: { type: "aws:sns/topic:Topic" },
    alarms: { type: "map<aws:cloudwatch/metricAlarm:MetricAlarm>" },
    dashboard: { type: "aws:cloudwatch/dashboard:Dashboard", optional: true },
    eventBusName: { type: "string", optional: true },
    shippingStateMachineArn: { type: "string", optional: true },
    refundStateMachineArn: { type: "string", optional: true },
    shipmentQueueUrl: { type: "string", optional: true },
    userPoolId: { type: "string", optional: true },
    userPoolClientIds: { type: "string[]", optional: true },
    apiUrl: { type: "string" },
    ordersEndpoint: { type: "string" },
    queueUrl: { type: "string" },
    queueArn: { type: "string" },
    deadLetterQueueUrl: { type: "string" },
    deadLetterQueueArn: { type: "string" },
    tableName: { type: "string" },
    alarmTopicArn: { type: "string" },
    functionNames: { type: "PipelineFunctionNames" },
    dashboardName: { type: "string", optional: true },
};

/** The by-role output types: what each role's entry holds. */
export const EXPECTED_ROLE_TYPES: Record<string, string> = {
    PipelineLambdaFunctions: "aws:lambda/function:Function",
    PipelineFunctionRoles: "aws:iam/role:Role",
    PipelineFunctionLogGroups: "aws:cloudwatch/logGroup:LogGroup",
    PipelineFunctionNames: "string",
};
