import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { ALARM_PERIOD_SECONDS } from "../contract/defaults";
import { regionOfArn } from "./iam";
import { physicalName } from "./naming";

/** What the dashboard shows. */
export interface DashboardTargets {
    readonly api: aws.apigatewayv2.Api;
    readonly stage: aws.apigatewayv2.Stage;
    readonly queue: aws.sqs.Queue;
    readonly deadLetterQueue: aws.sqs.Queue;
    readonly table: aws.dynamodb.Table;
    /** Functions by short role (`submit`, `process`, `get`). */
    readonly functions: Record<string, aws.lambda.Function>;
    /** Alarm ARNs, shown as an alarm status widget. */
    readonly alarmArns: readonly pulumi.Input<string>[];
}

type Metric = readonly (pulumi.Input<string> | Record<string, string>)[];

const WIDTH = 8;
const HEIGHT = 6;

/** A time-series widget at a grid position (three widgets per row). */
function metricWidget(index: number, title: string, region: pulumi.Input<string>, metrics: readonly Metric[], stat = "Sum") {
    return {
        type: "metric",
        x: (index % 3) * WIDTH,
        y: Math.floor(index / 3) * HEIGHT,
        width: WIDTH,
        height: HEIGHT,
        properties: { title, region, view: "timeSeries", stat, period: ALARM_PERIOD_SECONDS, metrics },
    };
}

/**
 * Creates the pipeline's CloudWatch dashboard (`${name}-dashboard`): the alarms' state, then the
 * flow of an order through API, queue, functions and table, one widget per stage.
 */
export function createDashboard(name: string, targets: DashboardTargets, parent: pulumi.Resource): aws.cloudwatch.Dashboard {
    const region = regionOfArn(targets.queue.arn);
    const api = { ApiId: targets.api.id, Stage: targets.stage.name };
    const fns = Object.entries(targets.functions);
    const perFunction = (metricName: string): Metric[] =>
        fns.map(([role, fn]) => ["AWS/Lambda", metricName, "FunctionName", fn.name, { label: role }]);

    const widgets = [
        {
            type: "alarm",
            x: 0,
            y: 0,
            width: 3 * WIDTH,
            height: 3,
            properties: { title: "Alarms", alarms: targets.alarmArns },
        },
        ...[
            metricWidget(0, "API requests and errors", region, [
                ["AWS/ApiGateway", "Count", "ApiId", api.ApiId, "Stage", api.Stage, { label: "requests" }],
                ["AWS/ApiGateway", "4xx", "ApiId", api.ApiId, "Stage", api.Stage, { label: "4xx" }],
                ["AWS/ApiGateway", "5xx", "ApiId", api.ApiId, "Stage", api.Stage, { label: "5xx" }],
            ]),
            metricWidget(1, "API latency p99 (ms)", region, [
                ["AWS/ApiGateway", "Latency", "ApiId", api.ApiId, "Stage", api.Stage, { label: "latency" }],
            ], "p99"),
            metricWidget(2, "Order queue", region, [
                ["AWS/SQS", "NumberOfMessagesSent", "QueueName", targets.queue.name, { label: "sent" }],
                ["AWS/SQS", "NumberOfMessagesDeleted", "QueueName", targets.queue.name, { label: "processed" }],
                ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", targets.queue.name, { label: "waiting", stat: "Maximum" }],
                ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", targets.deadLetterQueue.name, { label: "in DLQ", stat: "Maximum" }],
            ]),
            metricWidget(3, "Oldest order waiting (s)", region, [
                ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", targets.queue.name, { label: "order queue" }],
            ], "Maximum"),
            metricWidget(4, "Function invocations", region, perFunction("Invocations")),
            metricWidget(5, "Function errors and throttles", region, [...perFunction("Errors"), ...perFunction("Throttles")]),
            metricWidget(6, "Function duration p99 (ms)", region, perFunction("Duration"), "p99"),
            metricWidget(7, "ProcessOrder concurrency", region, [
                ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", targets.functions.process.name, { label: "process" }],
            ], "Maximum"),
            metricWidget(8, "Orders table", region, [
                ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", targets.table.name, { label: "writes" }],
                ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", targets.table.name, { label: "reads" }],
                ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", targets.table.name, { label: "write throttles" }],
            ]),
        ].map((widget) => ({ ...widget, y: widget.y + 3 })),
    ];

    return new aws.cloudwatch.Dashboard(
        `${name}-dashboard`,
        { dashboardName: physicalName(name, "pipeline"), dashboardBody: pulumi.jsonStringify({ widgets }) },
        { parent },
    );
}
