/**
 * The stack program: reads this stack's configuration (`pulumi config`), builds one OrderPipeline
 * and exports its outputs. Every key is optional; `Pulumi.dev.yaml` shows them all.
 */
import * as pulumi from "@pulumi/pulumi";
import { OrderPipeline, type OrderPipelineArgs } from "./components";

const config = new pulumi.Config();

const corsAllowOrigins = config.getObject<string[]>("corsAllowOrigins");

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
