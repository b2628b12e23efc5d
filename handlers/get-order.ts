/**
 * Lambda entry point of GetOrder (`GET /orders/{orderId}`). Reads its configuration and creates
 * its SDK client once per container, at load.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createGetOrderHandler } from "./get/get-order-handler";
import { sdkClientSettings } from "./runtime/aws-clients";
import { readGetOrderConfig } from "./runtime/config";

const config = readGetOrderConfig(process.env);
const dynamodb = new DynamoDBClient(sdkClientSettings());

/** The GetOrder handler. */
export const handler = createGetOrderHandler({ dynamodb, tableName: config.tableName, authEnabled: config.authEnabled });
