import type { APIGatewayProxyEventV2, Context, SQSEvent, SQSRecord } from "aws-lambda";
import type { Message } from "@aws-sdk/client-sqs";
import type { Order } from "../../../handlers/order/schema";
import { toSqsRecord } from "../../../local/worker/sqs-event";

/** A valid order: the example of the design document, with a per-test customer. */
export function sampleOrder(overrides: Partial<Order> = {}): Order {
    return {
        customer: { email: "ada@example.com", name: "Ada Lovelace" },
        items: [
            { sku: "BOOK-1", quantity: 2, unitPrice: 1250 },
            { sku: "PEN-7", quantity: 3, unitPrice: 199 },
        ],
        currency: "EUR",
        shippingAddress: { line1: "1 Main St", city: "London", postalCode: "N1 1AA", country: "GB" },
        ...overrides,
    };
}

/** Options of {@link httpEvent}. */
export interface HttpEventOptions {
    readonly method?: string;
    readonly path?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string;
    readonly isBase64Encoded?: boolean;
    readonly pathParameters?: Record<string, string>;
    readonly requestId?: string;
    /** The JWT claims API Gateway's authorizer passes on (sign-in on); none by default. */
    readonly claims?: Record<string, string>;
}

/** An API Gateway HTTP API event, payload format 2.0, as API Gateway builds it. */
export function httpEvent(options: HttpEventOptions = {}): APIGatewayProxyEventV2 {
    const method = options.method ?? "POST";
    const path = options.path ?? "/orders";
    const routeKey = method === "GET" ? "GET /orders/{orderId}" : path.endsWith("/refund") ? "POST /orders/{orderId}/refund" : "POST /orders";
    const now = new Date();
    return {
        version: "2.0",
        routeKey,
        rawPath: path,
        rawQueryString: "",
        headers: options.headers ?? {},
        requestContext: {
            accountId: "123456789012",
            apiId: "api1234567",
            domainName: "api1234567.execute-api.us-east-1.amazonaws.com",
            domainPrefix: "api1234567",
            http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
            requestId: options.requestId ?? "req-0001",
            routeKey,
            stage: "$default",
            time: now.toUTCString(),
            timeEpoch: now.getTime(),
            ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
        },
        ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
        isBase64Encoded: options.isBase64Encoded ?? false,
    };
}

/** A POST /orders event with a JSON body. */
export function postOrderEvent(body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
    return httpEvent({ body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
}

/** The SQS event record Lambda's event source mapping builds from a received message (local mode's builder). */
export function sqsRecord(message: Message, queueArn = "arn:aws:sqs:us-east-1:000000000000:orders"): SQSRecord {
    return toSqsRecord(message, { arn: queueArn, region: "us-east-1" });
}

/** An SQS event of records. */
export function sqsEvent(records: SQSRecord[]): SQSEvent {
    return { Records: records };
}

/** A record with the given body, as if received once, with an optional correlation id attribute. */
export function recordWithBody(body: string, messageId: string, correlationId?: string): SQSRecord {
    return sqsRecord({
        MessageId: messageId,
        ReceiptHandle: `rh-${messageId}`,
        Body: body,
        MessageAttributes: correlationId ? { correlationId: { DataType: "String", StringValue: correlationId } } : {},
    });
}

/** The parts of a Lambda context ProcessOrder reads, with a fixed remaining time. */
export function lambdaContext(remainingMs = 30_000): Pick<Context, "getRemainingTimeInMillis" | "awsRequestId"> {
    return { getRemainingTimeInMillis: () => remainingMs, awsRequestId: "lambda-req-1" };
}

/** Collects log and metric lines in memory. */
export function lineCollector() {
    const lines: string[] = [];
    return {
        lines,
        write: (line: string) => {
            lines.push(line);
        },
        /** Every line parsed. */
        json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
        /** The EMF lines' counts, summed by metric name; a metric never written (zero counts are not) is absent. */
        metrics: () => {
            const sums: Record<string, number> = {};
            for (const line of lines.map((l) => JSON.parse(l) as Record<string, unknown>)) {
                const aws = line._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> } | undefined;
                if (!aws) continue;
                for (const metric of aws.CloudWatchMetrics[0].Metrics) sums[metric.Name] = (sums[metric.Name] ?? 0) + (line[metric.Name] as number);
            }
            return sums;
        },
    };
}
