/**
 * The peer's GetOrder, written the way the Powertools for AWS Lambda (TypeScript) documentation
 * shows: Parser (the built-in HTTP API v2 event schema extended with the path parameter) and
 * Logger. Same job as handlers/get-order.ts: 200 with status and totals, 404, 400 for a bad id.
 * Part of the benchmark only.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { parse } from "@aws-lambda-powertools/parser";
import { APIGatewayProxyEventV2Schema } from "@aws-lambda-powertools/parser/schemas/api-gatewayv2";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { z } from "zod";
import { PROBLEMS } from "../../handlers/http/problem";
import { jsonResponse, problemResponse } from "../../handlers/http/response";
import { peerEnvironment } from "./environment";

const logger = new Logger({ serviceName: "orders" });
const tableName = peerEnvironment.tableName();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const eventSchema = APIGatewayProxyEventV2Schema.extend({
    pathParameters: z.object({ orderId: z.uuid().transform((id) => id.toLowerCase()) }),
});

/** The peer's GetOrder handler: 200 with the order summary, 404 or 400. */
export const handler = async (
    event: APIGatewayProxyEventV2,
    context: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
    logger.addContext(context);
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const parsed = parse(event, undefined, eventSchema, true);
    if (!parsed.success) return problemResponse(PROBLEMS.invalidOrderId, "the order id must be a UUID", requestId);

    const orderId = parsed.data.pathParameters.orderId;
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { orderId } }));
    if (!Item) return problemResponse(PROBLEMS.orderNotFound, `no order ${orderId}`, requestId);
    logger.info("order read", { orderId });
    return jsonResponse(200, { orderId, status: Item.status, receivedAt: Item.receivedAt, totals: Item.totals }, requestId);
};
