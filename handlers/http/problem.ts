import type { Violation } from "../order/validation";

/** The problem types this API answers with; each `type` is `urn:order-pipeline:problem:<slug>`. */
export const PROBLEMS = {
    unsupportedMediaType: { slug: "unsupported-media-type", status: 415, title: "Unsupported media type" },
    contentTooLarge: { slug: "content-too-large", status: 413, title: "Request body too large" },
    malformedBody: { slug: "malformed-body", status: 400, title: "Malformed request body" },
    invalidOrder: { slug: "invalid-order", status: 400, title: "The order does not match the schema" },
    invalidHeader: { slug: "invalid-header", status: 400, title: "Invalid request header" },
    invalidOrderId: { slug: "invalid-order-id", status: 400, title: "Malformed order id" },
    orderNotFound: { slug: "order-not-found", status: 404, title: "Order not found" },
    unauthorized: { slug: "unauthorized", status: 401, title: "Sign-in required" },
    forbidden: { slug: "forbidden", status: 403, title: "Not allowed for this caller" },
    invalidRefund: { slug: "invalid-refund", status: 400, title: "The refund request does not match the schema" },
    orderNotRefundable: { slug: "order-not-refundable", status: 409, title: "The order cannot be refunded in its current status" },
    serviceUnavailable: { slug: "service-unavailable", status: 503, title: "Service temporarily unavailable" },
    internalError: { slug: "internal-error", status: 500, title: "Internal error" },
} as const;

/** One entry of {@link PROBLEMS}. */
export type ProblemKind = (typeof PROBLEMS)[keyof typeof PROBLEMS];

/** The media type of problem bodies (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The `type` URI of a problem kind. */
export function problemType(kind: ProblemKind): string {
    return `urn:order-pipeline:problem:${kind.slug}`;
}

/** A problem details body (RFC 9457), with the schema violations of a rejected order in `errors`. */
export interface ProblemBody {
    readonly type: string;
    readonly title: string;
    readonly status: number;
    readonly detail: string;
    /** Every violation found (up to a limit), each with the JSON Pointer of the faulty value. */
    readonly errors?: readonly Violation[];
    /** True when there were more violations than `errors` lists. */
    readonly errorsTruncated?: boolean;
}

/** Builds a problem body of the given kind. */
export function problemBody(
    kind: ProblemKind,
    detail: string,
    violations?: { readonly errors: readonly Violation[]; readonly truncated: boolean },
): ProblemBody {
    return {
        type: problemType(kind),
        title: kind.title,
        status: kind.status,
        detail,
        ...(violations ? { errors: violations.errors, ...(violations.truncated ? { errorsTruncated: true } : {}) } : {}),
    };
}
