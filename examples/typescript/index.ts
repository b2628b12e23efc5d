/**
 * An order pipeline from TypeScript: the same pipeline as examples/yaml and examples/python,
 * built from the npm package (`order-pipeline`, here the repository itself through `file:../..`).
 */
import { MfaMode, OrderPipeline, WorkflowLogLevel } from "order-pipeline";

const orders = new OrderPipeline("orders", {
    api: {
        throttle: { burstLimit: 200, rateLimit: 100 },
        cors: { allowOrigins: ["https://shop.example.com"], maxAgeSeconds: 600 },
    },
    queue: { maxReceiveCount: 5, retentionSeconds: 604800 },
    processing: { batchSize: 20, maxBatchingWindowSeconds: 2, maximumConcurrency: 10 },
    functions: { memoryMb: 512, processTimeoutSeconds: 60 },
    table: { deletionProtection: true },
    email: { sender: "orders@example.com", domain: "example.com" },
    alarms: { email: "ops@example.com", oldestMessageAgeSeconds: 600 },
    encryption: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
    tracing: true,
    dashboard: true,
    logRetentionDays: 90,
    tags: { team: "shop" },
    events: {
        archiveRetentionDays: 60,
        subscribers: [
            {
                name: "analytics",
                pattern: { "detail-type": ["OrderPlaced"] },
                target: { queueArn: "arn:aws:sqs:eu-west-1:123456789012:order-analytics" },
            },
        ],
    },
    auth: { cognito: { mfa: MfaMode.ON, passwordMinimumLength: 14 } },
    workflows: { shipmentTimeoutSeconds: 259200, logLevel: WorkflowLogLevel.ALL },
});

export const ordersEndpoint = orders.ordersEndpoint;
export const apiUrl = orders.apiUrl;
export const deadLetterQueueUrl = orders.deadLetterQueueUrl;
export const tableName = orders.tableName;
export const functionNames = orders.functionNames;
export const eventBusName = orders.eventBusName;
export const shipmentQueueUrl = orders.shipmentQueueUrl;
export const userPoolId = orders.userPoolId;
