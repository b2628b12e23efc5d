/**
 * The stack program: reads this stack's configuration (`pulumi config`), builds one OrderPipeline
 * and exports its outputs. Every key is optional; `Pulumi.dev.yaml` shows them all.
 */
import * as pulumi from "@pulumi/pulumi";
import { OrderPipeline, type EventsSubscriber, type OrderPipelineArgs } from "./components";

const config = new pulumi.Config();

const corsAllowOrigins = config.getObject<string[]>("corsAllowOrigins");
const eventSubscribers = config.getObject<EventsSubscriber[]>("eventSubscribers");
const eventsOn = config.getBoolean("events") ?? (eventSubscribers !== undefined || config.getNumber("eventArchiveRetentionDays") !== undefined);
const workflowsOn = config.getBoolean("workflows") ?? config.getNumber("shipmentTimeoutSeconds") !== undefined;
const existingUserPoolId = config.get("authUserPoolId");
const authOn = config.getBoolean("auth") ?? existingUserPoolId !== undefined;

const args: OrderPipelineArgs = {
    api: {
        throttle: {
            burstLimit: config.getNumber("throttleBurstLimit"),
            rateLimit: config.getNumber("throttleRateLimit"),
        },
        cors: corsAllowOrigins === undefined ? undefined : { allowOrigins: corsAllowOrigins },
    },
    processing: {
        batchSize: config.getNumber("batchSize"),
        maximumConcurrency: config.getNumber("maximumConcurrency"),
    },
    table: { deletionProtection: config.getBoolean("deletionProtection") },
    // emailEnabled=false turns email off while the sender stays configured for later.
    email:
        config.getBoolean("emailEnabled") === false
            ? { enabled: false }
            : { sender: config.get("emailSender"), identityArn: config.get("emailIdentityArn") },
    alarms: { email: config.get("alarmEmail") },
    encryption: { kmsKeyArn: config.get("kmsKeyArn") },
    tracing: config.getBoolean("tracing"),
    logRetentionDays: config.getNumber("logRetentionDays"),
    tags: { application: "order-pipeline", stack: pulumi.getStack() },
    events: eventsOn ? { archiveRetentionDays: config.getNumber("eventArchiveRetentionDays"), subscribers: eventSubscribers } : undefined,
    workflows: workflowsOn
        ? { shipmentTimeoutSeconds: config.getNumber("shipmentTimeoutSeconds"), logLevel: config.get<"ERROR" | "ALL" | "FATAL">("workflowLogLevel") }
        : undefined,
    auth: authOn
        ? {
              cognito:
                  existingUserPoolId === undefined
                      ? { passwordMinimumLength: config.getNumber("authPasswordMinimumLength"), mfa: config.get<"OFF" | "OPTIONAL" | "ON">("authMfa") }
                      : { userPoolId: existingUserPoolId, userPoolClientIds: config.requireObject<string[]>("authUserPoolClientIds") },
          }
        : undefined,
};

const pipeline = new OrderPipeline(config.get("name") ?? "orders", args);

/** Base URL of the HTTP API. */
export const apiUrl = pipeline.apiUrl;
/** POST new orders here; GET `<ordersEndpoint>/<orderId>` to read one. */
export const ordersEndpoint = pipeline.ordersEndpoint;
export const queueUrl = pipeline.queueUrl;
export const queueArn = pipeline.queueArn;
export const deadLetterQueueUrl = pipeline.deadLetterQueueUrl;
export const deadLetterQueueArn = pipeline.deadLetterQueueArn;
export const tableName = pipeline.tableName;
export const alarmTopicArn = pipeline.alarmTopicArn;
export const functionNames = pipeline.functionNames;
export const dashboardName = pipeline.dashboardName;
/** With `events`: the bus to add your own rules to. */
export const eventBusName = pipeline.eventBusName;
/** With `workflows`: the state machines, and where the warehouse reads shipment requests. */
export const shippingStateMachineArn = pipeline.shippingStateMachineArn;
export const refundStateMachineArn = pipeline.refundStateMachineArn;
export const shipmentQueueUrl = pipeline.shipmentQueueUrl;
/** With `auth`: the user pool and app clients whose tokens the API accepts. */
export const userPoolId = pipeline.userPoolId;
export const userPoolClientIds = pipeline.userPoolClientIds;
