import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { PROBLEM_CONTENT_TYPE, problemBody, type ProblemKind } from "./problem";
import type { Violation } from "../order/validation";

/** An HTTP API (payload format 2.0) response whose headers and body are always set. */
export interface HttpResponse extends APIGatewayProxyStructuredResultV2 {
    readonly statusCode: number;
    readonly headers: Record<string, string>;
    readonly body: string;
}

/** Headers every response carries: the correlation id, and no caching of order state. */
function commonHeaders(correlationId: string): Record<string, string> {
    return { "cache-control": "no-store", "x-correlation-id": correlationId };
}

/** A JSON response. */
export function jsonResponse(
    statusCode: number,
    body: unknown,
    correlationId: string,
    headers: Record<string, string> = {},
): HttpResponse {
    return {
        statusCode,
        headers: { "content-type": "application/json", ...commonHeaders(correlationId), ...headers },
        body: JSON.stringify(body),
    };
}

/** An `application/problem+json` response (RFC 9457) of the given kind. */
export function problemResponse(
    kind: ProblemKind,
    detail: string,
    correlationId: string,
    options: { readonly headers?: Record<string, string>; readonly violations?: { readonly errors: readonly Violation[]; readonly truncated: boolean } } = {},
): HttpResponse {
    return {
        statusCode: kind.status,
        headers: { "content-type": PROBLEM_CONTENT_TYPE, ...commonHeaders(correlationId), ...options.headers },
        body: JSON.stringify(problemBody(kind, detail, options.violations)),
    };
}
