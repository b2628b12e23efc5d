/**
 * Lambda entry point of RefundOrder (`POST /orders/{orderId}/refund`). Reads its configuration and
 * creates its SDK clients once per container, at load.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SFNClient } from "@aws-sdk/client-sfn";
import { createRefundOrderHandler } from "./refund/refund-order-handler";
import { sdkClientSettings } from "./runtime/aws-clients";
import { readRefundOrderConfig } from "./runtime/config";
import { createWorkflowStarter } from "./workflows/start-workflow";

const config = readRefundOrderConfig(process.env);
const dynamodb = new DynamoDBClient(sdkClientSettings());
const sfn = new SFNClient(sdkClientSettings());

/** The RefundOrder handler. */
export const handler = createRefundOrderHandler({
    dynamodb,
    tableName: config.tableName,
    startRefund: createWorkflowStarter(sfn, config.refundStateMachineArn),
    authEnabled: config.authEnabled,
});
