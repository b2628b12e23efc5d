/**
 * The stack program: reads this stack's configuration (`pulumi config`), builds one OrderPipeline
 * and exports its outputs. Every key is optional; docs/configuration.md lists them with their defaults.
 */
import * as pulumi from "@pulumi/pulumi";
import { OrderPipeline } from "./components";
import { stackArgs } from "./contract/stack-config";

// The same mapping from keys to arguments that `npm start -- --stack <name>` runs locally.
const config = new pulumi.Config();
const { name, args } = stackArgs((key) => config.get(key), pulumi.getStack());
const pipeline = new OrderPipeline(name, args);

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
/** With `dashboard`: the CloudWatch dashboard. */
export const dashboardName = pipeline.dashboardName;
/** With email: the SES configuration set; with `email.domain`: the DNS records to publish (DKIM, MAIL FROM, DMARC). */
export const emailConfigurationSetName = pipeline.emailConfigurationSetName;
export const emailDnsRecords = pipeline.emailDnsRecords;
/** With email: where SES delivery events go (topic), wait (queue) and end when they keep failing (DLQ). */
export const emailEventsTopicArn = pipeline.emailEventsTopicArn;
export const emailEventsQueueUrl = pipeline.emailEventsQueueUrl;
export const emailEventsDeadLetterQueueUrl = pipeline.emailEventsDeadLetterQueueUrl;
/** With `events`: the bus to add your own rules to. */
export const eventBusName = pipeline.eventBusName;
/** With `workflows`: the state machines, and where the warehouse reads shipment requests. */
export const shippingStateMachineArn = pipeline.shippingStateMachineArn;
export const refundStateMachineArn = pipeline.refundStateMachineArn;
export const shipmentQueueUrl = pipeline.shipmentQueueUrl;
/** With `auth`: the user pool and app clients whose tokens the API accepts. */
export const userPoolId = pipeline.userPoolId;
export const userPoolClientIds = pipeline.userPoolClientIds;
