/**
 * AWS list prices, us-east-1 (N. Virginia), in US dollars, as published on the AWS pricing pages
 * named below. Taken on {@link PRICES_TAKEN_ON}; first paid tier (no free tier, no savings plans,
 * no volume discounts). Check them again before relying on a figure: prices change.
 */
export const PRICES_TAKEN_ON = "2026-11-24";

/** The region the prices are for. */
export const PRICE_REGION = "us-east-1";

/** The price table; each entry names its pricing page and tier. */
export const PRICES = {
    /** aws.amazon.com/lambda/pricing: Arm price, first 7.5 billion GB-seconds a month. */
    lambdaArmPerGbSecond: 0.0000133334,
    /** aws.amazon.com/lambda/pricing: requests, either architecture. */
    lambdaPerMillionRequests: 0.2,
    /**
     * aws.amazon.com/api-gateway/pricing: HTTP APIs, first 300 million requests a month; each
     * request is metered in 512 KB increments.
     */
    httpApiPerMillionRequests: 1.0,
    /** HTTP API request metering increment. */
    httpApiRequestIncrementBytes: 512 * 1024,
    /**
     * aws.amazon.com/sqs/pricing: standard queue, 1 million to 100 billion requests a month. Every
     * 64 KB chunk of a payload is billed as one request.
     */
    sqsPerMillionRequests: 0.4,
    /** SQS billing chunk. */
    sqsChunkBytes: 64 * 1024,
    /**
     * aws.amazon.com/dynamodb/pricing/on-demand: write request units. On-demand throughput prices
     * were cut by 50% on 2024-11-01 (from $1.25 to $0.625 per million WRU).
     */
    dynamoDbPerMillionWriteUnits: 0.625,
    /** Read request units, after the same cut (from $0.25 to $0.125 per million RRU). */
    dynamoDbPerMillionReadUnits: 0.125,
    /** aws.amazon.com/ses/pricing: outbound email from a Lambda function, per 1,000 emails. */
    sesPerThousandEmails: 0.1,
    /**
     * aws.amazon.com/cloudwatch/pricing: Logs ingestion, standard class. Lambda logs are billed as
     * vended logs since 2025-05-01, whose first tier (up to 10 TB a month) is this same price.
     */
    cloudWatchLogsPerGbIngested: 0.5,
    /**
     * aws.amazon.com/cloudwatch/pricing: standard-resolution alarm, per alarm metric a month (a
     * metric-math alarm is billed for each metric in its query). Free tier: 10 alarm metrics.
     */
    cloudWatchAlarmPerMetricMonth: 0.1,
    /** The same page: per dashboard a month. Free tier: 3 dashboards of up to 50 metrics each. */
    cloudWatchDashboardPerMonth: 3.0,
    /** aws.amazon.com/dynamodb/pricing/on-demand: continuous backups (point-in-time recovery), per GB-month of table size. */
    dynamoDbPitrPerGbMonth: 0.2,
    /** The same page: table storage, standard class, per GB-month after the first 25 GB. */
    dynamoDbStoragePerGbMonth: 0.25,
} as const;

/**
 * Long-polling connections an SQS event source mapping keeps open on an empty queue, and how
 * long each ReceiveMessage waits (20 s, the most SQS allows). Lambda starts 5 pollers per
 * mapping (Lambda developer guide, "Using Lambda with Amazon SQS", scaling); an estimate of the
 * empty receives an idle queue is billed for, checked only on a real deployment.
 */
export const IDLE_ESM_POLLERS = 5;
/** Seconds each idle ReceiveMessage of the event source mapping waits. */
export const IDLE_ESM_WAIT_SECONDS = 20;

/**
 * Lambda bills the INIT phase of on-demand functions with managed runtimes since 2025-08-01
 * (at the same GB-second price), so cold starts cost money, not only latency.
 */
export const INIT_BILLED_SINCE = "2025-08-01";

/**
 * The share of invocations that are cold starts, for the cost model: AWS's analysis of production
 * workloads puts cold starts at under 1% of invocations ("Understanding and Remediating Cold
 * Starts: An AWS Lambda Perspective", AWS Compute Blog, 2025). 1% is the upper bound used here.
 */
export const COLD_START_SHARE = 0.01;
