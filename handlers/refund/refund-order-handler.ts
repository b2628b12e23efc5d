import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { ApiRequest } from "../http/api-request";
import { readJsonBody } from "../http/body";
import { forbiddenResponse, requireCaller } from "../http/caller";
import { PROBLEMS, type ProblemKind } from "../http/problem";
import { jsonResponse, problemResponse, type HttpResponse } from "../http/response";
import { parseOrderId } from "../order/order-id";
import { createLogger, errorFields, stdoutLineWriter, type LineWriter } from "../runtime/log";
import { emitMetrics, metricsFunctionName } from "../runtime/metrics";
import { OrderStore, type RefundRequestOutcome } from "../store/order-store";
import { refundExecutionName, type WorkflowStarter } from "../workflows/execution-names";
import { validateRefundRequest, type RefundRequest } from "./refund-request";

/** The service name in RefundOrder's logs and metrics. */
export const REFUND_ORDER_SERVICE = "refund-order";

/** Seconds a client should wait before retrying after a 503, or a 409 for an order not yet confirmed. */
export const REFUND_RETRY_AFTER_SECONDS = 5;

/** What RefundOrder needs; the entry module builds it from the environment. */
export interface RefundOrderDependencies {
    readonly dynamodb: DynamoDBClient;
    readonly tableName: string;
    /** Starts the refund state machine. */
    readonly startRefund: WorkflowStarter;
    /** Only the signed-in owner may ask (the API has a JWT authorizer). */
    readonly authEnabled: boolean;
    readonly now?: () => Date;
    readonly writeLine?: LineWriter;
}

/** RefundOrder's Lambda handler. */
export type RefundOrderHandler = (event: APIGatewayProxyEventV2, context?: Pick<Context, "awsRequestId">) => Promise<HttpResponse>;

/** The refund request in the body; no body at all is a request without a reason. */
function readRefundRequest(event: APIGatewayProxyEventV2, headers: ReturnType<ApiRequest["begin"]>):
    | { readonly ok: true; readonly value: RefundRequest }
    | { readonly ok: false; readonly problem: ProblemKind; readonly detail: string; readonly options?: Parameters<typeof problemResponse>[3] } {
    if (event.body === undefined || event.body === "") return { ok: true, value: {} };
    const body = readJsonBody({
        body: event.body,
        isBase64Encoded: event.isBase64Encoded === true,
        contentType: headers.get("content-type"),
        contentEncoding: headers.get("content-encoding"),
    });
    if (!body.ok) return body;
    const validated = validateRefundRequest(body.value);
    if (validated.ok) return validated;
    return {
        ok: false,
        problem: PROBLEMS.invalidRefund,
        detail: "the refund request does not match the schema; see errors",
        options: { violations: { errors: validated.violations, truncated: validated.truncated } },
    };
}

/**
 * Creates RefundOrder: `POST /orders/{orderId}/refund` moves a confirmed (or shipping, or shipped)
 * order to REFUND_REQUESTED with one conditional write and starts the refund workflow under a name
 * derived from the order, then answers 202 with a Location. A retried request finds the order
 * REFUND_REQUESTED and starts the workflow again, which Step Functions treats as the same
 * execution. 404 unknown order, 403 another customer's order, 409 an order that is not confirmed yet
 * or already refunded, 401 no caller when sign-in is on, 503 when DynamoDB or Step Functions cannot
 * be reached (the request may be retried as is). It never throws.
 */
export function createRefundOrderHandler(deps: RefundOrderDependencies): RefundOrderHandler {
    const store = new OrderStore(deps.dynamodb, deps.tableName);
    const now = deps.now ?? (() => new Date());
    const write = deps.writeLine ?? stdoutLineWriter;
    const log = createLogger(write);
    const functionName = metricsFunctionName(REFUND_ORDER_SERVICE);
    const unavailable = (correlationId: string, detail: string) =>
        problemResponse(PROBLEMS.serviceUnavailable, detail, correlationId, { headers: { "retry-after": String(REFUND_RETRY_AFTER_SECONDS) } });

    return async (event, context) => {
        const call = new ApiRequest(log, "refund rejected", context?.awsRequestId);
        const { counts, fields } = call;
        try {
            const headers = call.begin(event);
            const correlationId = call.correlationId;
            const signIn = requireCaller(event, deps.authEnabled, correlationId);
            if (!signIn.ok) return call.refuse(PROBLEMS.unauthorized, signIn.response);
            const caller = signIn.caller;
            const orderId = parseOrderId(event.pathParameters?.orderId);
            if (orderId === undefined) return call.reject(PROBLEMS.invalidOrderId, "orderId must be a UUID (8-4-4-4-12 hexadecimal digits)");
            fields.orderId = orderId;
            const request = readRefundRequest(event, headers);
            if (!request.ok) return call.reject(request.problem, request.detail, request.options);

            let outcome: RefundRequestOutcome;
            try {
                outcome = await store.requestRefund(orderId, { reason: request.value.reason, customerId: deps.authEnabled ? caller?.sub : undefined, now: now() });
            } catch (err) {
                counts.failures = 1;
                log.error("refund not recorded: the table is unavailable", { ...fields, ...errorFields(err) });
                return unavailable(correlationId, "the refund could not be recorded; retry later");
            }
            switch (outcome.kind) {
                case "not-found":
                    return call.reject(PROBLEMS.orderNotFound, `no order ${orderId}`);
                case "not-owner":
                    return call.refuse(PROBLEMS.forbidden, forbiddenResponse(correlationId, "the order belongs to another customer"));
                case "not-refundable":
                    return outcome.status === "STORED"
                        ? call.reject(PROBLEMS.orderNotRefundable, "the order is not confirmed yet; retry shortly", {
                              headers: { "retry-after": String(REFUND_RETRY_AFTER_SECONDS) },
                          })
                        : call.reject(PROBLEMS.orderNotRefundable, `the order is ${outcome.status} and cannot be refunded`);
                case "requested":
                case "already-requested":
                    break;
            }
            try {
                const started = await deps.startRefund(refundExecutionName(orderId), { orderId });
                log.info("refund accepted", { ...call.outcome(), status: 202, requested: outcome.kind, workflow: started });
            } catch (err) {
                // The order stays REFUND_REQUESTED; the client's retry starts the workflow.
                counts.failures = 1;
                log.error("refund workflow not started", { ...fields, ...errorFields(err) });
                return unavailable(correlationId, "the refund is recorded but its workflow could not be started; retry the request");
            }
            counts.accepted = 1;
            return jsonResponse(202, { orderId, status: "REFUND_REQUESTED" }, correlationId, { location: `/orders/${orderId}` });
        } catch (err) {
            counts.failures = 1;
            log.error("unexpected error", { ...fields, ...errorFields(err) });
            return problemResponse(PROBLEMS.internalError, "the request could not be processed", call.correlationId);
        } finally {
            emitMetrics(functionName, counts, write);
        }
    };
}
