import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { createAlarms, createAlarmTopic } from "./alarms";
import { createApi } from "./api";
import { createAuth, type Auth } from "./auth";
import type { OrderPipelineArgs } from "./args";
import { functionEnvironment, type FunctionResources } from "../contract/environment";
import { HANDLER_ENTRIES } from "../contract/functions";
import { minVisibilityTimeoutSeconds, RETRY_BASE_DELAY_SECONDS, retryMaxDelaySeconds } from "../contract/defaults";
import { createDashboard } from "./dashboard";
import { createEmailSender, type EmailDnsRecords } from "./email";
import { createEmailEvents, EMAIL_EVENTS_ROLE, type EmailEvents } from "./email-events";
import { createEmailReputation, type EmailReputation } from "./email-reputation";
import { createEvents, putEventsStatement, type OrderEvents } from "./events";
import { ORDER_EVENT_TYPES } from "../handlers/events/order-events";
import { createHandlerFunction, type HandlerFunction } from "./functions";
import {
    changeOrderVisibilityStatement,
    consumeQueueStatement,
    kmsStatement,
    regionOfArn,
    sendEmailStatement,
    sendToQueueStatement,
    sendWithConfigurationSetStatement,
    startExecutionStatement,
    type Statement,
    tableStatement,
} from "./iam";
import { createQueues } from "./queue";
import { resolveSettings } from "./settings";
import { createTable } from "./table";
import { createWorkflows, type Workflows } from "./workflows/workflows";

/** Applies `f` to each function of the record, keeping the roles (and leaving out an absent refund). */
function mapFunctions<T, U>(functions: PipelineFunctions<T>, f: (value: T) => U): PipelineFunctions<U> {
    return Object.fromEntries(Object.entries(functions).map(([role, value]) => [role, f(value as T)])) as unknown as PipelineFunctions<U>;
}

/** The children of each option, grouped, per pipeline (see the `events`, `auth` and `workflows` accessors). */
const optionGroups = new WeakMap<
    OrderPipeline,
    { events?: OrderEvents; auth?: Auth; workflows?: Workflows; emailReputation?: EmailReputation; emailEvents?: EmailEvents }
>();

/**
 * Records per invocation of the email-events function, and invocations at once: delivery events
 * come at most one per email and event type, so two batches at a time keep up and leave the
 * table's capacity to the orders (2 is Lambda's smallest maximum concurrency for SQS).
 */
export const EMAIL_EVENTS_BATCH_SIZE = 10;
export const EMAIL_EVENTS_MAX_CONCURRENCY = 2;

/** The Pulumi type token of {@link OrderPipeline}. */
export const ORDER_PIPELINE_TYPE = "order-pipeline:index:OrderPipeline";

/** The functions by role; `refund` comes with `workflows`, `emailEvents` with email. */
export interface PipelineFunctions<T> {
    /** SubmitOrder, behind `POST /orders`. */
    readonly submit: T;
    /** ProcessOrder, consuming the order queue. */
    readonly process: T;
    /** GetOrder, behind `GET /orders/{orderId}`. */
    readonly get: T;
    /** RefundOrder, behind `POST /orders/{orderId}/refund` (with `workflows`). */
    readonly refund?: T;
    /** The email-events function, recording SES delivery events on the orders (with email). */
    readonly emailEvents?: T;
}

// One named interface per output below rather than PipelineFunctions<...> itself: Pulumi's schema
// inference names an object type after its declaration, so every instance of the generic would
// share one schema type (and the roles would be typed as functions).

/** The Lambda functions by role. */
export interface PipelineLambdaFunctions extends PipelineFunctions<aws.lambda.Function> {}
/** The functions' execution roles by role. */
export interface PipelineFunctionRoles extends PipelineFunctions<aws.iam.Role> {}
/** The functions' log groups by role. */
export interface PipelineFunctionLogGroups extends PipelineFunctions<aws.cloudwatch.LogGroup> {}
/** The functions' physical names by role. */
export interface PipelineFunctionNames extends PipelineFunctions<string> {}

/**
 * The order pipeline: an HTTP API (`POST /orders`, `GET /orders/{orderId}`) in front of SubmitOrder
 * and GetOrder, an SQS order queue with a DLQ consumed by ProcessOrder in batches, a DynamoDB orders
 * table, optional SES confirmation emails, least-privilege roles, log groups with retention, alarms
 * to an SNS topic and an optional dashboard. Every child is named `${name}-<role>` and parented to this
 * component. Arguments are validated up front; every problem is reported in one error.
 */
export class OrderPipeline extends pulumi.ComponentResource {
    /** The HTTP API. */
    public readonly api: aws.apigatewayv2.Api;
    /** The API's `$default` stage (throttling, access logs). */
    public readonly stage: aws.apigatewayv2.Stage;
    /** The order queue SubmitOrder sends to. */
    public readonly queue: aws.sqs.Queue;
    /** The dead-letter queue of the order queue. */
    public readonly deadLetterQueue: aws.sqs.Queue;
    /** The orders table. */
    public readonly table: aws.dynamodb.Table;
    /** The Lambda functions. */
    public readonly functions: PipelineLambdaFunctions;
    /** The execution role of each function. */
    public readonly roles: PipelineFunctionRoles;
    /** The log group of each function. */
    public readonly logGroups: PipelineFunctionLogGroups;
    /** The mapping from the order queue to ProcessOrder. */
    public readonly eventSourceMapping: aws.lambda.EventSourceMapping;
    /** The SES identity created for the sender, if email is on and no identity ARN was given. */
    public readonly emailIdentity: aws.sesv2.EmailIdentity | undefined;
    /** Name of the SES configuration set (with email). */
    public readonly emailConfigurationSetName: pulumi.Output<string> | undefined;
    /** The sending domain's DKIM CNAMEs, MAIL FROM MX and SPF, and DMARC records to publish (with `email.domain`). */
    public readonly emailDnsRecords: pulumi.Output<EmailDnsRecords> | undefined;
    /** The SNS topic every alarm notifies. */
    public readonly alarmTopic: aws.sns.Topic;
    /** The alarms by short name (`dlq-messages`, `queue-age`, `api-5xx`, `<function>-errors`, with email `ses-events-dlq-messages`). */
    public readonly alarms: Record<string, aws.cloudwatch.MetricAlarm>;
    /** The CloudWatch dashboard (with `dashboard`). */
    public readonly dashboard: aws.cloudwatch.Dashboard | undefined;
    // events, auth and workflows group the children of an option for TypeScript programs. They are
    // accessors over a WeakMap, which Pulumi's schema inference leaves out (it reads the class's
    // fields, private ones included), so that these internal groupings stay out of the
    // multi-language schema; other languages get the flat outputs below.
    /** The event bus, its archive and the subscribers' rules; undefined unless `events` is set. TypeScript only. */
    public get events(): OrderEvents | undefined {
        return optionGroups.get(this)?.events;
    }
    /** Sign-in: the issuer and audience the API's authorizer trusts, and the pool and client it created; undefined unless `auth` is set. TypeScript only. */
    public get auth(): Auth | undefined {
        return optionGroups.get(this)?.auth;
    }
    /** The state machines, their roles, log group, alarms and the shipment-requests queue; undefined unless `workflows` is set. TypeScript only. */
    public get workflows(): Workflows | undefined {
        return optionGroups.get(this)?.workflows;
    }
    /** The SES configuration set every email names, account suppression and the reputation alarms; undefined when email is off. TypeScript only. */
    public get emailReputation(): EmailReputation | undefined {
        return optionGroups.get(this)?.emailReputation;
    }
    /** The delivery events' topic, event destination, queue, DLQ and its alarm; undefined when email is off. TypeScript only. */
    public get emailEvents(): EmailEvents | undefined {
        return optionGroups.get(this)?.emailEvents;
    }
    /** URL of the queue SES delivery events reach the email-events function through (with email). */
    public readonly emailEventsQueueUrl: pulumi.Output<string> | undefined;
    /** URL of the dead-letter queue of the email-events queue (with email). */
    public readonly emailEventsDeadLetterQueueUrl: pulumi.Output<string> | undefined;
    /** ARN of the SNS topic SES publishes delivery events to (with email). */
    public readonly emailEventsTopicArn: pulumi.Output<string> | undefined;
    /** Name of the order event bus (with `events`). */
    public readonly eventBusName: pulumi.Output<string> | undefined;
    /** ARN of the shipping state machine (with `workflows`). */
    public readonly shippingStateMachineArn: pulumi.Output<string> | undefined;
    /** ARN of the refund state machine (with `workflows`). */
    public readonly refundStateMachineArn: pulumi.Output<string> | undefined;
    /** URL of the queue the warehouse reads shipment requests from (with `workflows`). */
    public readonly shipmentQueueUrl: pulumi.Output<string> | undefined;
    /** The user pool whose tokens the API accepts (with `auth`). */
    public readonly userPoolId: pulumi.Output<string> | undefined;
    /** The app clients whose tokens the API accepts (with `auth`). */
    public readonly userPoolClientIds: pulumi.Output<string[]> | undefined;

    /** Base URL of the API, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com`. */
    public readonly apiUrl: pulumi.Output<string>;
    /** URL to POST orders to (`<apiUrl>/orders`). */
    public readonly ordersEndpoint: pulumi.Output<string>;
    /** URL of the order queue. */
    public readonly queueUrl: pulumi.Output<string>;
    /** ARN of the order queue. */
    public readonly queueArn: pulumi.Output<string>;
    /** URL of the dead-letter queue. */
    public readonly deadLetterQueueUrl: pulumi.Output<string>;
    /** ARN of the dead-letter queue. */
    public readonly deadLetterQueueArn: pulumi.Output<string>;
    /** Name of the orders table. */
    public readonly tableName: pulumi.Output<string>;
    /** ARN of the alarm topic. */
    public readonly alarmTopicArn: pulumi.Output<string>;
    /** Physical names of the functions. */
    public readonly functionNames: pulumi.Output<PipelineFunctionNames>;
    /** Name of the CloudWatch dashboard (with `dashboard`). */
    public readonly dashboardName: pulumi.Output<string> | undefined;

    /**
     * @param name Prefix of every child's name; letters, digits and hyphens, at most 40 characters.
     * @param args Settings; every one has a default (see {@link OrderPipelineArgs}).
     * @param opts Component options (provider, aliases, protect, ...), inherited by every child.
     * @throws OrderPipelineArgsError listing every invalid argument, before any resource is registered.
     */
    constructor(name: string, args: OrderPipelineArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        const settings = resolveSettings(name, args);
        super(ORDER_PIPELINE_TYPE, name, {}, opts);

        const { queue, deadLetterQueue } = createQueues({ name, ...settings.queue, kmsKeyArn: settings.kmsKeyArn, tags: settings.tags }, this);
        const table = createTable(settings, this);
        const sender = settings.email.enabled ? createEmailSender(name, settings.email, this, settings.tags) : undefined;
        const alarmTopic = createAlarmTopic({ name, email: settings.alarms.email, tags: settings.tags }, this);
        // Every email names the configuration set: reputation metrics, suppression, delivery events.
        const reputation = sender ? createEmailReputation({ name, alarmTopicArn: alarmTopic.topic.arn, tags: settings.tags }, this) : undefined;
        const { timeouts } = settings.functions;
        // Bounce, complaint, delivery and reject events of every email, back onto the order.
        const emailEvents = reputation
            ? createEmailEvents(
                  name,
                  {
                      configurationSet: reputation.configurationSet,
                      alarmTopicArn: alarmTopic.topic.arn,
                      visibilityTimeoutSeconds: minVisibilityTimeoutSeconds(timeouts["email-events"], 0),
                      maxReceiveCount: settings.queue.maxReceiveCount,
                      retentionSeconds: settings.queue.retentionSeconds,
                      dlqRetentionSeconds: settings.queue.dlqRetentionSeconds,
                      kmsKeyArn: settings.kmsKeyArn,
                      tags: settings.tags,
                  },
                  this,
              )
            : undefined;
        const events =
            settings.events === undefined
                ? undefined
                : createEvents(name, { settings: settings.events, alarmTopicArn: alarmTopic.topic.arn, kmsKeyArn: settings.kmsKeyArn, tags: settings.tags }, this);
        const workflows =
            settings.workflows === undefined
                ? undefined
                : createWorkflows(
                      name,
                      {
                          settings: settings.workflows,
                          tableName: table.name,
                          tableArn: table.arn,
                          eventBus: events && { name: events.busName, arn: events.busArn },
                          email: sender && { sender: sender.sender, identityArn: sender.identityArn },
                          kmsKeyArn: settings.kmsKeyArn,
                          tracing: settings.tracing,
                          logRetentionDays: settings.logRetentionDays,
                          alarmTopicArn: alarmTopic.topic.arn,
                          tags: settings.tags,
                      },
                      this,
                  );

        // KMS: only when a customer managed key is given, only through the services that hold our data.
        const region = regionOfArn(queue.arn);
        const viaSqs = pulumi.interpolate`sqs.${region}.amazonaws.com`;
        const viaDynamoDb = pulumi.interpolate`dynamodb.${region}.amazonaws.com`;
        const kms = (actions: readonly string[], via: readonly pulumi.Input<string>[]): Statement[] =>
            settings.kmsKeyArn === undefined ? [] : [kmsStatement(actions, settings.kmsKeyArn, via)];

        // With sign-in, every route needs a token and the handlers check that orders are the caller's.
        const auth = settings.auth === undefined ? undefined : createAuth(name, settings.auth, this, settings.tags);
        const resources: FunctionResources<pulumi.Input<string>> = {
            tableName: table.name,
            queueUrl: queue.url,
            emailSender: sender?.sender,
            emailConfigurationSet: reputation?.configurationSet.configurationSetName,
            eventBusName: events?.busName,
            shippingStateMachineArn: workflows?.shippingStateMachineArn,
            refundStateMachineArn: workflows?.refundStateMachineArn,
            authEnabled: auth !== undefined,
            // Transient failures come back after a backoff below the visibility timeout.
            retry: { baseDelaySeconds: RETRY_BASE_DELAY_SECONDS, maxDelaySeconds: retryMaxDelaySeconds(settings.queue.visibilityTimeoutSeconds) },
        };
        const common = {
            name,
            memoryMb: settings.functions.memoryMb,
            bundleAwsSdk: settings.functions.bundleAwsSdk,
            tracing: settings.tracing,
            logRetentionDays: settings.logRetentionDays,
            tags: settings.tags,
        };
        const submit = createHandlerFunction(
            common,
            {
                role: "submit",
                description: "SubmitOrder: validates POST /orders and queues the order",
                entry: HANDLER_ENTRIES.submit,
                timeoutSeconds: timeouts.submit,
                environment: functionEnvironment("submit", resources),
                statements: [
                    sendToQueueStatement(queue.arn),
                    // SQS encrypts each message with a data key from KMS on the sender's behalf.
                    ...kms(["kms:GenerateDataKey", "kms:Decrypt"], [viaSqs]),
                ],
            },
            this,
        );
        const process = createHandlerFunction(
            common,
            {
                role: "process",
                description: "ProcessOrder: stores queued orders and sends the confirmation email once",
                entry: HANDLER_ENTRIES.process,
                timeoutSeconds: timeouts.process,
                environment: functionEnvironment("process", resources),
                statements: [
                    consumeQueueStatement(queue.arn),
                    changeOrderVisibilityStatement(queue.arn),
                    // Conditional put stores an order once, conditional updates move its status and
                    // email claim; a consistent read fetches the stored order when a put finds it there.
                    tableStatement("StoreOrders", ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], table.arn),
                    ...(sender ? [sendEmailStatement(sender.identityArn, sender.sender)] : []),
                    ...(reputation ? [sendWithConfigurationSetStatement(reputation.configurationSet.arn, sender!.sender)] : []),
                    ...(events ? [putEventsStatement(events.busArn, [ORDER_EVENT_TYPES.placed, ORDER_EVENT_TYPES.conflict])] : []),
                    ...(workflows ? [startExecutionStatement("StartShipping", workflows.shippingStateMachineArn)] : []),
                    ...kms(["kms:Decrypt", "kms:GenerateDataKey"], [viaSqs, viaDynamoDb]),
                ],
            },
            this,
        );
        const get = createHandlerFunction(
            common,
            {
                role: "get",
                description: "GetOrder: answers GET /orders/{orderId}",
                entry: HANDLER_ENTRIES.get,
                timeoutSeconds: timeouts.get,
                environment: functionEnvironment("get", resources),
                statements: [tableStatement("ReadOrders", ["dynamodb:GetItem"], table.arn), ...kms(["kms:Decrypt"], [viaDynamoDb])],
            },
            this,
        );
        const refund =
            workflows &&
            createHandlerFunction(
                common,
                {
                    role: "refund",
                    description: "RefundOrder: answers POST /orders/{orderId}/refund and starts the refund workflow",
                    entry: HANDLER_ENTRIES.refund,
                    timeoutSeconds: timeouts.refund,
                    environment: functionEnvironment("refund", resources),
                    statements: [
                        // A conditional update moves the order to REFUND_REQUESTED; a consistent read tells why one was refused.
                        tableStatement("RequestRefunds", ["dynamodb:GetItem", "dynamodb:UpdateItem"], table.arn),
                        startExecutionStatement("StartRefund", workflows.refundStateMachineArn),
                        ...kms(["kms:Decrypt", "kms:GenerateDataKey"], [viaDynamoDb]),
                    ],
                },
                this,
            );
        const recordEmailEvents =
            emailEvents &&
            createHandlerFunction(
                common,
                {
                    role: EMAIL_EVENTS_ROLE,
                    description: "Records SES delivery events (delivered, bounced, complained, rejected) on the orders",
                    entry: HANDLER_ENTRIES["email-events"],
                    timeoutSeconds: timeouts["email-events"],
                    environment: functionEnvironment("email-events", resources),
                    statements: [
                        consumeQueueStatement(emailEvents.queue.arn, "ConsumeEmailEvents"),
                        // A conditional update records the event; a consistent read tells why one was refused.
                        tableStatement("RecordEmailEvents", ["dynamodb:GetItem", "dynamodb:UpdateItem"], table.arn),
                        ...kms(["kms:Decrypt", "kms:GenerateDataKey"], [viaSqs, viaDynamoDb]),
                    ],
                },
                this,
            );
        const handlers: PipelineFunctions<HandlerFunction> = {
            submit,
            process,
            get,
            ...(refund ? { refund } : {}),
            ...(recordEmailEvents ? { emailEvents: recordEmailEvents } : {}),
        };
        const functions: PipelineFunctions<aws.lambda.Function> & Record<string, aws.lambda.Function> = {
            submit: submit.function,
            process: process.function,
            get: get.function,
            ...(refund ? { refund: refund.function } : {}),
            ...(recordEmailEvents ? { emailEvents: recordEmailEvents.function } : {}),
        };
        // Alarm and dashboard names use the roles' names in resources (`ses-events-errors`).
        const functionsByRole: Record<string, aws.lambda.Function> = Object.fromEntries(
            Object.entries(functions).map(([key, fn]) => [key === "emailEvents" ? EMAIL_EVENTS_ROLE : key, fn]),
        );

        const eventSourceMapping = new aws.lambda.EventSourceMapping(
            `${name}-process-events`,
            {
                eventSourceArn: queue.arn,
                functionName: process.function.arn,
                batchSize: settings.processing.batchSize,
                maximumBatchingWindowInSeconds: settings.processing.maxBatchingWindowSeconds,
                // One bad order is retried alone and never fails its batch-mates.
                functionResponseTypes: ["ReportBatchItemFailures"],
                // The load-levelling lever: caps the write rate on DynamoDB and the send rate on SES.
                scalingConfig: { maximumConcurrency: settings.processing.maximumConcurrency },
                tags: settings.tags,
            },
            // Lambda checks the role's queue permissions when the mapping is created.
            { parent: this, dependsOn: [process.policy] },
        );

        if (emailEvents && recordEmailEvents) {
            new aws.lambda.EventSourceMapping(
                `${name}-${EMAIL_EVENTS_ROLE}-mapping`,
                {
                    eventSourceArn: emailEvents.queue.arn,
                    functionName: recordEmailEvents.function.arn,
                    batchSize: EMAIL_EVENTS_BATCH_SIZE,
                    // One event that cannot be written now is retried alone.
                    functionResponseTypes: ["ReportBatchItemFailures"],
                    scalingConfig: { maximumConcurrency: EMAIL_EVENTS_MAX_CONCURRENCY },
                    tags: settings.tags,
                },
                { parent: this, dependsOn: [recordEmailEvents.policy] },
            );
        }

        const api = createApi(
            settings,
            [
                { role: "submit", method: "POST", path: "/orders", function: submit.function, requireSignIn: auth !== undefined },
                { role: "get", method: "GET", path: "/orders/{orderId}", function: get.function, requireSignIn: auth !== undefined },
                ...(refund ? [{ role: "refund", method: "POST" as const, path: "/orders/{orderId}/refund", function: refund.function, requireSignIn: auth !== undefined }] : []),
            ],
            this,
            auth,
        );
        const alarms = createAlarms({ name, oldestMessageAgeSeconds: settings.alarms.oldestMessageAgeSeconds, tags: settings.tags }, { queue, deadLetterQueue, functions: functionsByRole, api: api.api, stage: api.stage }, alarmTopic, this);
        const dashboard = settings.dashboard
            ? createDashboard(
                  name,
                  {
                      api: api.api,
                      stage: api.stage,
                      queue,
                      deadLetterQueue,
                      table,
                      functions: functionsByRole,
                      alarmArns: Object.values(alarms.alarms).map((alarm) => alarm.arn),
                  },
                  this,
              )
            : undefined;

        this.api = api.api;
        this.stage = api.stage;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.table = table;
        this.functions = functions;
        this.roles = mapFunctions(handlers, (h) => h.role);
        this.logGroups = mapFunctions(handlers, (h) => h.logGroup);
        this.eventSourceMapping = eventSourceMapping;
        this.emailIdentity = sender?.identity;
        this.alarmTopic = alarms.topic;
        this.alarms = {
            ...alarms.alarms,
            ...reputation?.alarms,
            ...(emailEvents ? { [`${EMAIL_EVENTS_ROLE}-dlq-messages`]: emailEvents.deadLetterAlarm } : {}),
        };
        this.emailConfigurationSetName = reputation?.configurationSet.configurationSetName;
        const domain = sender?.domain;
        this.emailDnsRecords = domain && pulumi.output({ dkim: domain.dkimRecords, mailFrom: domain.mailFromRecords, dmarc: domain.dmarcRecord });
        this.dashboard = dashboard;
        optionGroups.set(this, { events, auth, workflows, emailReputation: reputation, emailEvents });
        this.emailEventsQueueUrl = emailEvents?.queue.url;
        this.emailEventsDeadLetterQueueUrl = emailEvents?.deadLetterQueue.url;
        this.emailEventsTopicArn = emailEvents?.topic.arn;
        this.eventBusName = events?.busName;
        this.shippingStateMachineArn = workflows?.shippingStateMachineArn;
        this.refundStateMachineArn = workflows?.refundStateMachineArn;
        this.shipmentQueueUrl = workflows?.shipmentQueueUrl;
        this.userPoolId = auth?.userPoolId;
        this.userPoolClientIds = auth?.audience;

        this.apiUrl = api.api.apiEndpoint;
        this.ordersEndpoint = pulumi.interpolate`${api.api.apiEndpoint}/orders`;
        this.queueUrl = queue.url;
        this.queueArn = queue.arn;
        this.deadLetterQueueUrl = deadLetterQueue.url;
        this.deadLetterQueueArn = deadLetterQueue.arn;
        this.tableName = table.name;
        this.alarmTopicArn = alarms.topic.arn;
        this.functionNames = pulumi.output(mapFunctions(functions, (fn) => fn.name)) as pulumi.Output<PipelineFunctionNames>;
        this.dashboardName = dashboard?.dashboardName;

        this.registerOutputs({
            apiUrl: this.apiUrl,
            ordersEndpoint: this.ordersEndpoint,
            queueUrl: this.queueUrl,
            queueArn: this.queueArn,
            deadLetterQueueUrl: this.deadLetterQueueUrl,
            deadLetterQueueArn: this.deadLetterQueueArn,
            tableName: this.tableName,
            alarmTopicArn: this.alarmTopicArn,
            functionNames: this.functionNames,
            ...(dashboard ? { dashboardName: this.dashboardName } : {}),
            ...(reputation ? { emailConfigurationSetName: this.emailConfigurationSetName } : {}),
            ...(domain ? { emailDnsRecords: this.emailDnsRecords } : {}),
            ...(emailEvents
                ? {
                      emailEventsQueueUrl: this.emailEventsQueueUrl,
                      emailEventsDeadLetterQueueUrl: this.emailEventsDeadLetterQueueUrl,
                      emailEventsTopicArn: this.emailEventsTopicArn,
                  }
                : {}),
            ...(events ? { eventBusName: this.eventBusName } : {}),
            ...(workflows
                ? { shippingStateMachineArn: this.shippingStateMachineArn, refundStateMachineArn: this.refundStateMachineArn, shipmentQueueUrl: this.shipmentQueueUrl }
                : {}),
            ...(auth ? { userPoolId: this.userPoolId, userPoolClientIds: this.userPoolClientIds } : {}),
        });
    }
}
