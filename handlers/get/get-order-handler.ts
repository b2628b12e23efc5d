import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { forbiddenResponse, requireCaller } from "../http/caller";
import { ApiRequest } from "../http/api-request";
import { PROBLEMS } from "../http/problem";
import { jsonResponse, problemResponse, type HttpResponse } from "../http/response";
import { parseOrderId } from "../order/order-id";
import { toOrderView } from "../order/order-view";
import { createLogger, errorFields, stdoutLineWriter, type LineWriter } from "../runtime/log";
import { emitMetrics, metricsFunctionName } from "../runtime/metrics";
import { OrderStore } from "../store/order-store";

/** The service name in GetOrder's logs and metrics. */
export const GET_ORDER_SERVICE = "get-order";

/** Seconds a client should wait before retrying after a 503 (the table was unreachable). */
export const GET_RETRY_AFTER_SECONDS = 1;

/** What GetOrder needs; the entry module builds it from the environment. */
export interface GetOrderDependencies {
    /** Created once per container. */
    readonly dynamodb: DynamoDBClient;
    readonly tableName: string;
    /** Only the signed-in owner may read an order (the API has a JWT authorizer). */
    readonly authEnabled?: boolean;
    /** Where log and metric lines go; defaults to stdout. */
    readonly writeLine?: LineWriter;
}

/** GetOrder's Lambda handler: an HTTP API (payload format 2.0) event in, a response out. */
export type GetOrderHandler = (event: APIGatewayProxyEventV2, context?: Pick<Context, "awsRequestId">) => Promise<HttpResponse>;

/**
 * Creates GetOrder: `GET /orders/{orderId}` answers 200 with the order's status, totals and the
 * workflows' progress (no customer data), 404 when unknown, 400 for an id that is not UUID-shaped,
 * 503 when the table cannot be read, 500 for an item it cannot show. With sign-in on, 401 without a
 * caller and 403 for another customer's order. It never throws.
 */
export function createGetOrderHandler(deps: GetOrderDependencies): GetOrderHandler {
    const store = new OrderStore(deps.dynamodb, deps.tableName);
    const write = deps.writeLine ?? stdoutLineWriter;
    const log = createLogger(write);
    const functionName = metricsFunctionName(GET_ORDER_SERVICE);

    const handle: GetOrderHandler = async (event, context) => {
        const call = new ApiRequest(log, "order request refused", context?.awsRequestId);
        const { fields } = call;
        call.begin(event);
        const { correlationId } = call;
        const signIn = requireCaller(event, deps.authEnabled === true, correlationId);
        if (!signIn.ok) return call.refuse(PROBLEMS.unauthorized, signIn.response);
        const caller = signIn.caller;
        const orderId = parseOrderId(event.pathParameters?.orderId);
        if (orderId === undefined) return call.reject(PROBLEMS.invalidOrderId, "orderId must be a UUID (8-4-4-4-12 hexadecimal digits)");
        fields.orderId = orderId;
        let item: Awaited<ReturnType<OrderStore["getSummary"]>>;
        try {
            item = await store.getSummary(orderId);
        } catch (err) {
            log.error("order could not be read", { ...fields, ...errorFields(err) });
            emitMetrics(functionName, { failures: 1 }, write);
            return problemResponse(PROBLEMS.serviceUnavailable, "the order could not be read; retry later", correlationId, {
                headers: { "retry-after": String(GET_RETRY_AFTER_SECONDS) },
            });
        }
        try {
            if (item === undefined) {
                return call.reject(PROBLEMS.orderNotFound, `no order ${orderId}; an accepted order appears here once it has been processed`);
            }
            if (deps.authEnabled && item.customerId !== caller?.sub) {
                return call.refuse(PROBLEMS.forbidden, forbiddenResponse(correlationId, "the order belongs to another customer"));
            }
            const response = jsonResponse(200, toOrderView(item), correlationId);
            log.info("order read", { ...call.outcome(), status: 200 });
            return response;
        } catch (err) {
            // A stored item this code cannot show (e.g. written by a newer version without totals).
            log.error("order could not be shown", { ...fields, ...errorFields(err) });
            emitMetrics(functionName, { failures: 1 }, write);
            return problemResponse(PROBLEMS.internalError, "the order could not be shown", correlationId);
        }
    };

    return async (event, context) => {
        try {
            return await handle(event, context);
        } catch (err) {
            // Only a malformed event gets here (API Gateway always sends headers and a request context).
            log.error("unexpected error", { requestId: context?.awsRequestId, ...errorFields(err) });
            return problemResponse(PROBLEMS.internalError, "the request could not be processed", context?.awsRequestId ?? "unknown");
        }
    };
}
