import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { ApiRequest } from "../http/api-request";
import { readJsonBody } from "../http/body";
import { requireCaller } from "../http/caller";
import { PROBLEMS } from "../http/problem";
import { jsonResponse, problemResponse, type HttpResponse } from "../http/response";
import { orderIdFor, parseIdempotencyKey } from "../order/idempotency";
import { buildOrderMessage, CORRELATION_ID_ATTRIBUTE, serializeOrderMessage } from "../order/message";
import { validateOrder } from "../order/validate-order";
import { ACCEPTED_STATUS } from "../order/status";
import { createLogger, errorFields, stdoutLineWriter, type LineWriter } from "../runtime/log";
import { emitMetrics, metricsFunctionName } from "../runtime/metrics";

/** Seconds a client should wait before retrying after a 503 (the queue was unreachable). */
export const SUBMIT_RETRY_AFTER_SECONDS = 5;

/** The service name in SubmitOrder's logs and metrics. */
export const SUBMIT_ORDER_SERVICE = "submit-order";

/** What SubmitOrder needs; the entry module builds it from the environment. */
export interface SubmitOrderDependencies {
    /** Created once per container. */
    readonly sqs: SQSClient;
    readonly queueUrl: string;
    /** The API has a JWT authorizer: the caller's `sub` becomes the order's customer. */
    readonly authEnabled?: boolean;
    /** The clock; defaults to the system clock. */
    readonly now?: () => Date;
    /** Where log and metric lines go; defaults to stdout. */
    readonly writeLine?: LineWriter;
}

/** SubmitOrder's Lambda handler: an HTTP API (payload format 2.0) event in, a response out. */
export type SubmitOrderHandler = (event: APIGatewayProxyEventV2, context?: Pick<Context, "awsRequestId">) => Promise<HttpResponse>;

/**
 * Creates SubmitOrder: validates `POST /orders`, maps an Idempotency-Key to the order id (scoped by
 * the signed-in caller when sign-in is on, who is then recorded as the customer), puts one
 * message on the order queue and answers 202 with the order id and a Location. A client error is a
 * 4xx problem body; an unreachable queue a 503 with Retry-After (the order was not accepted);
 * anything unexpected a 500 without details. It never throws.
 */
export function createSubmitOrderHandler(deps: SubmitOrderDependencies): SubmitOrderHandler {
    const now = deps.now ?? (() => new Date());
    const write = deps.writeLine ?? stdoutLineWriter;
    const log = createLogger(write);
    const functionName = metricsFunctionName(SUBMIT_ORDER_SERVICE);

    return async (event, context) => {
        const call = new ApiRequest(log, "order rejected", context?.awsRequestId);
        const { counts, fields } = call;
        try {
            const headers = call.begin(event);
            const correlationId = call.correlationId;
            const signIn = requireCaller(event, deps.authEnabled === true, correlationId);
            if (!signIn.ok) return call.refuse(PROBLEMS.unauthorized, signIn.response);
            // Only with sign-in on does the caller name the customer (and scope the Idempotency-Key).
            const customerId = deps.authEnabled ? signIn.caller?.sub : undefined;
            const body = readJsonBody({
                body: event.body,
                isBase64Encoded: event.isBase64Encoded === true,
                contentType: headers.get("content-type"),
                contentEncoding: headers.get("content-encoding"),
            });
            if (!body.ok) {
                // A 415 names the media type the resource accepts (Accept-Post, W3C LDP / RFC 9110 15.5.16).
                const extra = body.problem === PROBLEMS.unsupportedMediaType ? { headers: { "accept-post": "application/json" } } : {};
                return call.reject(body.problem, body.detail, extra);
            }
            const key = parseIdempotencyKey(headers.get("idempotency-key"));
            if (!key.ok) return call.reject(PROBLEMS.invalidHeader, key.detail);
            const validated = validateOrder(body.value);
            if (!validated.ok) {
                const count = validated.truncated ? `more than ${validated.violations.length}` : String(validated.violations.length);
                return call.reject(PROBLEMS.invalidOrder, `the order has ${count} schema violation(s); see errors`, {
                    violations: { errors: validated.violations, truncated: validated.truncated },
                });
            }

            const order = validated.value;
            const orderId = orderIdFor(order.customer, key.key, customerId);
            const message = buildOrderMessage(orderId, now(), order, customerId);
            try {
                await deps.sqs.send(
                    new SendMessageCommand({
                        QueueUrl: deps.queueUrl,
                        MessageBody: serializeOrderMessage(message),
                        MessageAttributes: { [CORRELATION_ID_ATTRIBUTE]: { DataType: "String", StringValue: correlationId } },
                    }),
                );
            } catch (err) {
                counts.failures = 1;
                log.error("order not accepted: the queue is unavailable", { ...fields, orderId, ...errorFields(err) });
                return problemResponse(PROBLEMS.serviceUnavailable, "the order could not be queued and was not accepted; retry later", correlationId, {
                    headers: { "retry-after": String(SUBMIT_RETRY_AFTER_SECONDS) },
                });
            }
            counts.accepted = 1;
            log.info("order accepted", { ...call.outcome(), orderId, idempotencyKey: key.key !== undefined });
            return jsonResponse(202, { orderId, status: ACCEPTED_STATUS }, correlationId, { location: `/orders/${orderId}` });
        } catch (err) {
            counts.failures = 1;
            log.error("unexpected error", { ...fields, ...errorFields(err) });
            return problemResponse(PROBLEMS.internalError, "the request could not be processed", call.correlationId);
        } finally {
            emitMetrics(functionName, counts, write);
        }
    };
}
