/**
 * Lambda entry point of the email-events function (the email-events queue's event source mapping,
 * with ReportBatchItemFailures): records SES delivery events on their orders. Reads its
 * configuration and creates its SDK client once per container, at load.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createRecordEmailEventHandler } from "./email-events/record-email-event-handler";
import { sdkClientSettings } from "./runtime/aws-clients";
import { readEmailEventsConfig } from "./runtime/config";

const config = readEmailEventsConfig(process.env);
const dynamodb = new DynamoDBClient(sdkClientSettings());

/** The email-events handler. */
export const handler = createRecordEmailEventHandler({ dynamodb, tableName: config.tableName });
