import { stdoutLineWriter, type LineWriter } from "./log";

/** CloudWatch namespace of every metric the handlers emit. */
export const METRICS_NAMESPACE = "OrderPipeline";

/** The dimension every metric carries: the Lambda function's name (the service name locally). */
export const METRICS_DIMENSION = "FunctionName";

/** The counters the handlers emit, by name. */
export const METRIC_NAMES = [
    /** SubmitOrder: orders put on the queue (202). */
    "accepted",
    /** SubmitOrder: requests refused for a client error (4xx). */
    "rejected",
    /** ProcessOrder: orders stored for the first time. */
    "processed",
    /** ProcessOrder: redeliveries of an order already stored with the same payload. */
    "duplicates",
    /** ProcessOrder: an order id redelivered with a different payload (never overwritten). */
    "conflicts",
    /** ProcessOrder: confirmation emails SES accepted. */
    "emailsSent",
    /** ProcessOrder: orders marked FAILED, their confirmation never sendable (not retried). */
    "ordersFailed",
    /** Any handler: requests or records that failed (5xx, or a record reported for retry). */
    "failures",
] as const;

/** One of {@link METRIC_NAMES}. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Counts to publish, by metric name. */
export type MetricCounts = Partial<Record<MetricName, number>>;

/**
 * Writes counts as one CloudWatch Embedded Metric Format line: CloudWatch Logs turns it into
 * metrics without a PutMetricData call (EMF specification: `_aws.CloudWatchMetrics` lists the
 * namespace, dimension sets and metric names; the values are top-level members). Zero counts are
 * left out: a metric's Sum over any period is the same without them, and each costs log bytes on
 * every invocation. Nothing to count, no line.
 */
export function emitMetrics(
    functionName: string,
    counts: MetricCounts,
    write: LineWriter = stdoutLineWriter,
    now: Date = new Date(),
): void {
    const names = METRIC_NAMES.filter((name) => (counts[name] ?? 0) !== 0);
    if (names.length === 0) return;
    const line: Record<string, unknown> = {
        _aws: {
            Timestamp: now.getTime(),
            CloudWatchMetrics: [
                {
                    Namespace: METRICS_NAMESPACE,
                    Dimensions: [[METRICS_DIMENSION]],
                    // No Unit: it is optional in EMF and every metric here is a count; leaving it out
                    // saves its bytes on every invocation.
                    Metrics: names.map((name) => ({ Name: name })),
                },
            ],
        },
        [METRICS_DIMENSION]: functionName,
    };
    for (const name of names) line[name] = counts[name];
    write(JSON.stringify(line));
}

/** The function name metrics are filed under: Lambda's own name for it, else the given service. */
export function metricsFunctionName(service: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
    return env.AWS_LAMBDA_FUNCTION_NAME ?? service;
}
