/**
 * Lambda entry point of ProcessOrder (the order queue's event source mapping, with
 * ReportBatchItemFailures). Reads its configuration and creates its SDK clients once per
 * container, at load; with EMAIL_ENABLED=false no SES client is created at all.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESClient } from "@aws-sdk/client-ses";
import { createProcessOrderHandler } from "./process/process-order-handler";
import { sdkClientSettings } from "./runtime/aws-clients";
import { readProcessOrderConfig } from "./runtime/config";

const config = readProcessOrderConfig(process.env);
const dynamodb = new DynamoDBClient(sdkClientSettings());
const email = config.email.enabled ? { ses: new SESClient(sdkClientSettings()), source: config.email.sender } : undefined;

/** The ProcessOrder handler. */
export const handler = createProcessOrderHandler({ dynamodb, tableName: config.tableName, email });
