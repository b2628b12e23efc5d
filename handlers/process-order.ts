/**
 * Lambda entry point of ProcessOrder (the order queue's event source mapping, with
 * ReportBatchItemFailures). Reads its configuration and creates its SDK clients once per
 * container, at load; with EMAIL_ENABLED=false no SES client is created at all, and likewise no
 * EventBridge or Step Functions client without a bus or a shipping state machine.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SESClient } from "@aws-sdk/client-ses";
import { SFNClient } from "@aws-sdk/client-sfn";
import { createEventPublisher } from "./events/event-publisher";
import { createOrderEventPublisher } from "./process/order-event-publisher";
import { createProcessOrderHandler } from "./process/process-order-handler";
import { sdkClientSettings } from "./runtime/aws-clients";
import { readProcessOrderConfig } from "./runtime/config";
import { createWorkflowStarter } from "./workflows/start-workflow";

const config = readProcessOrderConfig(process.env);
const dynamodb = new DynamoDBClient(sdkClientSettings());
const email = config.email.enabled ? { ses: new SESClient(sdkClientSettings()), source: config.email.sender } : undefined;
// Clients only for the options that are on, as for SES.
const events =
    config.eventBusName === undefined
        ? undefined
        : createOrderEventPublisher(createEventPublisher(new EventBridgeClient(sdkClientSettings()), config.eventBusName));
const startShipping =
    config.shippingStateMachineArn === undefined ? undefined : createWorkflowStarter(new SFNClient(sdkClientSettings()), config.shippingStateMachineArn);

/** The ProcessOrder handler. */
export const handler = createProcessOrderHandler({ dynamodb, tableName: config.tableName, email, events, startShipping });
