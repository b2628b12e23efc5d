import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { elapsedMs, type LogFields, type Logger } from "../runtime/log";
import type { MetricCounts } from "../runtime/metrics";
import { correlationIdOf } from "./correlation";
import { lowerCaseHeaders } from "./headers";
import type { ProblemKind } from "./problem";
import { problemResponse, type HttpResponse } from "./response";

/**
 * One request to an API function that writes: its correlation id, the fields every log line
 * carries, the counts its metrics line reports, and how a refused request is logged and answered.
 */
export class ApiRequest {
    readonly counts: MetricCounts = {};
    /** The Lambda request id until {@link begin} has read the request's own correlation id. */
    correlationId: string;
    /**
     * The fields of a failure line: the correlation id, the order id once known, and Lambda's
     * request id, which names the failed invocation's own platform records.
     */
    readonly fields: { correlationId?: string; requestId?: string; orderId?: string };
    private readonly startedAt = performance.now();

    constructor(
        private readonly log: Logger,
        /** The log message of a refusal, e.g. "order rejected". */
        private readonly refusedMessage: string,
        requestId: string | undefined,
    ) {
        this.correlationId = requestId ?? "unknown";
        this.fields = { requestId };
    }

    /**
     * The fields of the line that ends a request well (answered or refused): correlation id, order
     * id and the request's duration. Not Lambda's request id: a successful invocation has no
     * platform record for it to name (the system log level is WARN), and the correlation id is the
     * one clients quote.
     */
    outcome(): LogFields {
        const { requestId: _requestId, ...fields } = this.fields;
        return { ...fields, durationMs: elapsedMs(this.startedAt) };
    }

    /** Reads the headers and the correlation id (which every later answer and log line carries). */
    begin(event: APIGatewayProxyEventV2): ReturnType<typeof lowerCaseHeaders> {
        const headers = lowerCaseHeaders(event.headers);
        this.correlationId = correlationIdOf(headers, event.requestContext?.requestId);
        this.fields.correlationId = this.correlationId;
        return headers;
    }

    /** Counts and logs a refusal (a 4xx), and answers `response`. */
    refuse(kind: ProblemKind, response: HttpResponse): HttpResponse {
        this.counts.rejected = 1;
        this.log.info(this.refusedMessage, { ...this.outcome(), status: kind.status, problem: kind.slug });
        return response;
    }

    /** Refuses with a problem body of `kind`. */
    reject(kind: ProblemKind, detail: string, options?: Parameters<typeof problemResponse>[3]): HttpResponse {
        return this.refuse(kind, problemResponse(kind, detail, this.correlationId, options));
    }
}
