import { randomUUID } from "node:crypto";

/** A client's correlation id is used only if it looks like one: 1 to 128 of [A-Za-z0-9._:-]. */
const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request header a client may set to follow its request through the pipeline's logs. */
export const CORRELATION_ID_HEADER = "x-correlation-id";

/**
 * The correlation id of a request: the client's `X-Correlation-Id` when it is well-formed, else the
 * API Gateway request id, else a fresh UUID. A malformed client value is ignored, not an error:
 * the id is for tracing, and a bad one must not cost the client its order.
 */
export function correlationIdOf(headers: ReadonlyMap<string, string>, requestId: string | undefined): string {
    const fromClient = headers.get(CORRELATION_ID_HEADER);
    if (fromClient !== undefined && CORRELATION_ID_PATTERN.test(fromClient)) return fromClient;
    if (requestId !== undefined && CORRELATION_ID_PATTERN.test(requestId)) return requestId;
    return randomUUID();
}
