import { OrderAcceptedSchema, ProblemSchema, RefundAcceptedSchema } from "../http/api-schemas";
import { MAX_BODY_BYTES } from "../http/body";
import { PROBLEM_CONTENT_TYPE } from "../http/problem";
import { IDEMPOTENCY_KEY_MAX_LENGTH } from "../order/idempotency";
import { OrderViewSchema } from "../order/order-view";
import { OrderSchema } from "../order/schema";
import { MAX_REPORTED_VIOLATIONS } from "../order/validation";
import { RefundRequestSchema } from "../refund/refund-request";
import { EXAMPLE_ORDER } from "../order/example-order";

/** The version of the HTTP API the document describes. */
export const API_VERSION = "1.0.0";

const EXAMPLE_ORDER_ID = "0b6b1b8e-6a4f-8c1d-9e2f-3a4b5c6d7e8f";

/** A JSON copy of a typebox schema: plain JSON Schema 2020-12, as OpenAPI 3.1 embeds it. */
function jsonSchema(schema: object): object {
    return JSON.parse(JSON.stringify(schema));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function problem(description: string, headers?: Record<string, object>) {
    return {
        description,
        ...(headers ? { headers } : {}),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ref("Problem") } },
    };
}

const retryAfterHeader = { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } };

/** The answers every route gives when the pipeline runs with sign-in (`auth`). */
const signInProblems = {
    "401": problem("Sign-in is on and the request has no valid token (API Gateway's JWT authorizer answers before the function)."),
};

/** The `orderId` path parameter. */
const orderIdParameter = {
    name: "orderId",
    in: "path",
    required: true,
    description: "The id from the 202 answer; a UUID, case-insensitive.",
    schema: { type: "string", format: "uuid" },
};

const correlationHeader = {
    description: "The request's correlation id, as in the logs: the client's X-Correlation-Id when well-formed, else the API request id.",
    schema: { type: "string" },
};

/**
 * The OpenAPI 3.1 document of the HTTP API (`POST /orders`, `GET /orders/{orderId}`), built from
 * the same typebox schemas the handlers validate with, so the two cannot drift apart.
 */
export function openApiDocument(): object {
    return {
        openapi: "3.1.0",
        info: {
            title: "order-pipeline HTTP API",
            version: API_VERSION,
            description:
                "Accepts orders asynchronously: POST answers 202 once the order is queued; a worker stores it, " +
                "emails a confirmation and GET shows its status. Errors are application/problem+json (RFC 9457). " +
                "With sign-in (`auth`) every route needs `Authorization: Bearer <Cognito token>` and works on the caller's own " +
                "orders only; the refund route exists with the workflows (`workflows`).",
        },
        // Either no security (the default pipeline) or a Cognito JWT (with `auth`).
        security: [{}, { cognitoJwt: [] }],
        paths: {
            "/orders": {
                post: {
                    operationId: "submitOrder",
                    summary: "Accept an order for processing",
                    description:
                        `The body must be application/json (optionally charset=utf-8), at most ${MAX_BODY_BYTES} bytes, ` +
                        "and may be base64-encoded by the API. Totals are computed by the pipeline; a client total is refused " +
                        "as an unknown property. With an Idempotency-Key, retries get the same orderId and never create a second order.",
                    parameters: [
                        {
                            name: "Idempotency-Key",
                            in: "header",
                            required: false,
                            description:
                                "Makes retries safe: the same key from the same customer (customer.id, else the email address) " +
                                "always yields the same orderId. A key reused with a different body does not change the stored order.",
                            schema: { type: "string", minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH, pattern: '^"?[\\x21\\x23-\\x2B\\x2D-\\x5B\\x5D-\\x7E]+"?$' },
                        },
                        {
                            name: "X-Correlation-Id",
                            in: "header",
                            required: false,
                            description: "Carried through the queue and the logs; ignored unless 1-128 of [A-Za-z0-9._:-].",
                            schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$" },
                        },
                    ],
                    requestBody: {
                        required: true,
                        content: { "application/json": { schema: ref("Order"), example: EXAMPLE_ORDER } },
                    },
                    responses: {
                        "202": {
                            description: "The order is queued. It appears at Location once processed.",
                            headers: {
                                Location: { description: "/orders/{orderId}", schema: { type: "string" } },
                                "X-Correlation-Id": correlationHeader,
                            },
                            content: { "application/json": { schema: ref("OrderAccepted"), example: { orderId: EXAMPLE_ORDER_ID, status: "ACCEPTED" } } },
                        },
                        "400": problem(
                            `Malformed body (empty, not base64, not UTF-8, not JSON), an invalid Idempotency-Key, or an order that breaks the schema; ` +
                                `schema violations are listed in errors (up to ${MAX_REPORTED_VIOLATIONS}), each with a JSON Pointer.`,
                        ),
                        "413": problem(`The body is larger than ${MAX_BODY_BYTES} bytes (before or after base64 decoding).`),
                        "415": problem("Content-Type is not application/json, or the body has a Content-Encoding.", {
                            "Accept-Post": { description: "application/json", schema: { type: "string" } },
                        }),
                        ...signInProblems,
                        "500": problem("An unexpected error; nothing about it is disclosed."),
                        "503": problem("The order queue is unavailable; the order was NOT accepted. Retry after Retry-After seconds.", retryAfterHeader),
                    },
                },
            },
            "/orders/{orderId}": {
                get: {
                    operationId: "getOrder",
                    summary: "Read an order's status and totals",
                    description:
                        "Shows no customer data; `status` and `shipment`/`refund` show the workflows' progress. " +
                        "An accepted order is 404 until the worker has stored it (usually within seconds).",
                    parameters: [orderIdParameter],
                    responses: {
                        "200": {
                            description: "The order.",
                            headers: { "X-Correlation-Id": correlationHeader },
                            content: {
                                "application/json": {
                                    schema: ref("OrderView"),
                                    example: {
                                        orderId: EXAMPLE_ORDER_ID,
                                        status: "CONFIRMED",
                                        totals: { currency: "EUR", subtotal: 2500, itemCount: 2, lineCount: 1 },
                                        createdAt: "2025-01-01T12:00:00.000Z",
                                        updatedAt: "2025-01-01T12:00:01.000Z",
                                    },
                                },
                            },
                        },
                        "400": problem("orderId is not a UUID."),
                        ...signInProblems,
                        "403": problem("Sign-in is on and the order belongs to another customer."),
                        "404": problem("No such order (or not processed yet)."),
                        "500": problem("An unexpected error; nothing about it is disclosed."),
                        "503": problem("The order table is unavailable. Retry after Retry-After seconds.", retryAfterHeader),
                    },
                },
            },
            "/orders/{orderId}/refund": {
                post: {
                    operationId: "refundOrder",
                    summary: "Ask for a refund (with `workflows`)",
                    description:
                        "Moves a CONFIRMED, PREPARING or SHIPPED order to REFUND_REQUESTED and starts the refund workflow, which marks it " +
                        "REFUNDED and notifies. Safe to retry: a repeated request for a REFUND_REQUESTED order answers 202 again. " +
                        "The body is optional.",
                    parameters: [orderIdParameter],
                    requestBody: {
                        required: false,
                        content: { "application/json": { schema: ref("RefundRequest"), example: { reason: "arrived damaged" } } },
                    },
                    responses: {
                        "202": {
                            description: "The refund is recorded and its workflow started. GET Location shows its progress.",
                            headers: {
                                Location: { description: "/orders/{orderId}", schema: { type: "string" } },
                                "X-Correlation-Id": correlationHeader,
                            },
                            content: {
                                "application/json": { schema: ref("RefundAccepted"), example: { orderId: EXAMPLE_ORDER_ID, status: "REFUND_REQUESTED" } },
                            },
                        },
                        "400": problem("orderId is not a UUID, or the body is malformed or breaks the RefundRequest schema."),
                        ...signInProblems,
                        "403": problem("Sign-in is on and the order belongs to another customer."),
                        "404": problem("No such order (or not processed yet)."),
                        "409": problem("The order is not confirmed yet (retry after Retry-After seconds) or is refunded already.", retryAfterHeader),
                        "413": problem(`The body is larger than ${MAX_BODY_BYTES} bytes.`),
                        "415": problem("A body was sent whose Content-Type is not application/json."),
                        "500": problem("An unexpected error; nothing about it is disclosed."),
                        "503": problem(
                            "The table or Step Functions is unavailable. The refund may be recorded; retry the same request after Retry-After seconds.",
                            retryAfterHeader,
                        ),
                    },
                },
            },
        },
        components: {
            schemas: {
                Order: jsonSchema(OrderSchema),
                OrderAccepted: jsonSchema(OrderAcceptedSchema),
                OrderView: jsonSchema(OrderViewSchema),
                RefundRequest: jsonSchema(RefundRequestSchema),
                RefundAccepted: jsonSchema(RefundAcceptedSchema),
                Problem: jsonSchema(ProblemSchema),
            },
            securitySchemes: {
                cognitoJwt: {
                    type: "http",
                    scheme: "bearer",
                    bearerFormat: "JWT",
                    description: "An ID or access token of the pipeline's Cognito user pool client (with `auth`).",
                },
            },
        },
    };
}

/** The document as written to `openapi.json`: two-space indentation and a final newline. */
export function renderOpenApi(): string {
    return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
