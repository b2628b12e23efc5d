/**
 * The peer's SubmitOrder, written the way the Powertools for AWS Lambda (TypeScript) documentation
 * shows: Parser with the API Gateway HTTP (v2) envelope and a zod schema, Idempotency with
 * `makeIdempotent` on a DynamoDB persistence layer (its own table), and Logger. It does the same
 * job as handlers/submit-order.ts: 415/413/400 problem answers, one SQS message, 202 + Location,
 * 503 + Retry-After when SQS fails. Part of the benchmark only.
 */
import { randomUUID } from "node:crypto";
import {
    IdempotencyAlreadyInProgressError,
    IdempotencyConfig,
    IdempotencyValidationError,
    makeIdempotent,
} from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { ApiGatewayV2Envelope } from "@aws-lambda-powertools/parser/envelopes/api-gatewayv2";
import { JSONStringified } from "@aws-lambda-powertools/parser/helpers";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { ZodError } from "zod";
import { QUEUE_RETENTION_SECONDS } from "../../contract/defaults";
import { MAX_BODY_BYTES, isJsonContentType } from "../../handlers/http/body";
import { PROBLEMS } from "../../handlers/http/problem";
import { jsonResponse, problemResponse } from "../../handlers/http/response";
import { peerEnvironment } from "./environment";
import { PeerOrderSchema, type PeerOrder, type PeerOrderMessage } from "./schema";

const logger = new Logger({ serviceName: "orders" });
const queueUrl = peerEnvironment.queueUrl();
const sqs = new SQSClient({});
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: peerEnvironment.idempotencyTableName() });
// The key is the client's Idempotency-Key scoped by customer; without one, Powertools skips the
// idempotency check (throwOnNoIdempotencyKey is false). The body must match on a retry.
const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: "idempotencyKey",
    payloadValidationJmesPath: "order",
    expiresAfterSeconds: QUEUE_RETENTION_SECONDS,
});
const bodySchema = JSONStringified(PeerOrderSchema);

const enqueueOrder = makeIdempotent(
    async (request: { idempotencyKey: string | null; order: PeerOrder }) => {
        const message: PeerOrderMessage = { orderId: randomUUID(), receivedAt: new Date().toISOString(), order: request.order };
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
        return { orderId: message.orderId };
    },
    { persistenceStore, config: idempotencyConfig },
);

/** The peer's SubmitOrder handler: an HTTP API 2.0 event in, a 202 or a problem response out. */
export const handler = async (
    event: APIGatewayProxyEventV2,
    context: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
    logger.addContext(context);
    idempotencyConfig.registerLambdaContext(context);
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const headers = event.headers ?? {};

    if (!isJsonContentType(headers["content-type"])) {
        return problemResponse(PROBLEMS.unsupportedMediaType, "Content-Type must be application/json", requestId);
    }
    const raw = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? "");
    if (Buffer.byteLength(raw, "utf8") > MAX_BODY_BYTES) {
        return problemResponse(PROBLEMS.contentTooLarge, `the request body exceeds ${MAX_BODY_BYTES} bytes`, requestId);
    }

    const parsed = ApiGatewayV2Envelope.safeParse({ ...event, body: raw }, bodySchema);
    if (!parsed.success) {
        const issues = (parsed.error.cause as ZodError | undefined)?.issues ?? [];
        const errors = issues.map((issue) => ({ pointer: `/${issue.path.slice(1).join("/")}`, detail: issue.message }));
        return problemResponse(PROBLEMS.invalidOrder, "the order does not match the schema", requestId, {
            violations: { errors, truncated: false },
        });
    }

    const key = headers["idempotency-key"];
    const order = parsed.data as PeerOrder;
    try {
        const { orderId } = await enqueueOrder({
            idempotencyKey: key === undefined ? null : `${order.customer.id ?? order.customer.email.toLowerCase()}#${key}`,
            order,
        });
        logger.info("order accepted", { orderId });
        return jsonResponse(202, { orderId, status: "ACCEPTED" }, requestId, { location: `/orders/${orderId}` });
    } catch (error) {
        if (error instanceof IdempotencyValidationError) {
            return problemResponse(PROBLEMS.invalidHeader, "this Idempotency-Key was used with another order", requestId);
        }
        if (error instanceof IdempotencyAlreadyInProgressError) {
            return problemResponse(PROBLEMS.serviceUnavailable, "the same request is in progress", requestId, {
                headers: { "retry-after": "1" },
            });
        }
        logger.error("order not accepted", { error });
        return problemResponse(PROBLEMS.serviceUnavailable, "the order could not be queued; retry later", requestId, {
            headers: { "retry-after": "1" },
        });
    }
};
