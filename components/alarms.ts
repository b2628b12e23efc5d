import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { ALARM_PERIOD_SECONDS } from "../contract/defaults";
import type { Tags } from "./args";
import { singlePublisherTopicPolicy } from "./topic-policy";

/** What the alarms watch. */
export interface AlarmTargets {
    readonly queue: aws.sqs.Queue;
    readonly deadLetterQueue: aws.sqs.Queue;
    /** Functions by short role (`submit`, `process`, `get`). */
    readonly functions: Record<string, aws.lambda.Function>;
    readonly api: aws.apigatewayv2.Api;
    readonly stage: aws.apigatewayv2.Stage;
}

/** The alarm topic, its optional email subscription and the alarms, by short name. */
export interface PipelineAlarms {
    readonly topic: aws.sns.Topic;
    readonly subscription: aws.sns.TopicSubscription | undefined;
    readonly alarms: Record<string, aws.cloudwatch.MetricAlarm>;
}

/** The topic every alarm notifies, its policy and its optional email subscription. */
export interface AlarmTopic {
    readonly topic: aws.sns.Topic;
    readonly topicPolicy: aws.sns.TopicPolicy;
    readonly subscription: aws.sns.TopicSubscription | undefined;
}

/**
 * The alarm topic's policy. It replaces SNS's default policy, so it names the one publisher the
 * topic has: CloudWatch, for alarms of this account and region only (`aws:SourceAccount`,
 * `aws:SourceArn`: the confused-deputy guard of the SNS Developer Guide). And it refuses every
 * publish not made over TLS (`aws:SecureTransport` false), whoever makes it.
 */
export function alarmTopicPolicy(topicArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(topicArn).apply((arn) => {
        const [, partition, , region, account] = arn.split(":");
        return singlePublisherTopicPolicy(arn, {
            sid: "AllowAlarmNotifications",
            service: "cloudwatch.amazonaws.com",
            condition: {
                StringEquals: { "aws:SourceAccount": account },
                ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
            },
        });
    });
}

/** One alarm: a metric above a threshold for one period. */
export interface AlarmSpec {
    readonly description: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Record<string, pulumi.Input<string>>;
    readonly statistic: "Sum" | "Maximum";
    readonly threshold: number;
}

/**
 * Creates the alarm topic (`${name}-alarms`) and an email subscription when `alarms.email` is set.
 * Created before everything that alarms, so that every part of the pipeline can notify it.
 */
export function createAlarmTopic(
    spec: { readonly name: string; readonly email: pulumi.Input<string> | undefined; readonly tags: Tags | undefined },
    parent: pulumi.Resource,
): AlarmTopic {
    const { name, tags } = spec;
    // Alarm notifications carry no order data; an SSE-KMS topic would also need a customer key whose
    // policy lets CloudWatch use it (the AWS managed SNS key does not), so the topic stays unencrypted.
    const topic = new aws.sns.Topic(`${name}-alarms`, { tags }, { parent });
    const topicPolicy = new aws.sns.TopicPolicy(`${name}-alarms-policy`, { arn: topic.arn, policy: alarmTopicPolicy(topic.arn) }, { parent });
    const subscription =
        spec.email === undefined
            ? undefined
            : new aws.sns.TopicSubscription(
                  `${name}-alarms-email`,
                  { topic: topic.arn, protocol: "email", endpoint: spec.email },
                  { parent },
              );
    return { topic, topicPolicy, subscription };
}

/**
 * One alarm (`resourceName`) on a metric above its threshold for one period, notifying the topic
 * when it fires and when it clears. Missing data is not breaching: a quiet pipeline publishes no
 * datapoints and must not page anyone.
 */
export function createMetricAlarm(
    resourceName: string,
    spec: AlarmSpec,
    topicArn: pulumi.Input<string>,
    tags: Tags | undefined,
    parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        resourceName,
        {
            alarmDescription: spec.description,
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
            statistic: spec.statistic,
            period: ALARM_PERIOD_SECONDS,
            evaluationPeriods: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold: spec.threshold,
            treatMissingData: "notBreaching",
            alarmActions: [topicArn],
            okActions: [topicArn],
            tags,
        },
        { parent },
    );
}

/**
 * Creates one alarm (`${name}-<what>-alarm`) per failure a user would otherwise miss, on the topic:
 * - a message in the DLQ (`ApproximateNumberOfMessagesVisible` > 0; the DLQ's `NumberOfMessagesSent`
 *   does not count messages moved there by a redrive policy, so it would stay silent);
 * - the oldest order waiting longer than `alarms.oldestMessageAgeSeconds` (processing stalled);
 * - errors of each function;
 * - 5xx answers of the API.
 * No throttles alarm: each alarm metric is billed, and a throttle already fires one of these. An
 * API function that Lambda throttles makes the HTTP API answer 500 (api-5xx); a throttled
 * ProcessOrder leaves its batch on the queue, where the backlog ages (queue-age) or, after the
 * last receive, lands in the DLQ (dlq-messages).
 */
export function createAlarms(
    spec: { readonly name: string; readonly oldestMessageAgeSeconds: number; readonly tags: Tags | undefined },
    targets: AlarmTargets,
    alarmTopic: AlarmTopic,
    parent: pulumi.Resource,
): PipelineAlarms {
    const { name, tags } = spec;
    const { topic, subscription } = alarmTopic;

    const specs: Record<string, AlarmSpec> = {
        "dlq-messages": {
            description: "Orders failed processing and are waiting in the dead-letter queue: inspect them, fix the cause, redrive.",
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: targets.deadLetterQueue.name },
            statistic: "Maximum",
            threshold: 0,
        },
        "queue-age": {
            description: `The oldest order has waited more than ${spec.oldestMessageAgeSeconds} s: ProcessOrder is failing, throttled or too slow.`,
            namespace: "AWS/SQS",
            metricName: "ApproximateAgeOfOldestMessage",
            dimensions: { QueueName: targets.queue.name },
            statistic: "Maximum",
            threshold: spec.oldestMessageAgeSeconds,
        },
        "api-5xx": {
            description: "The orders API answered with server errors: a function failed, timed out or was throttled, or the queue was unreachable.",
            namespace: "AWS/ApiGateway",
            metricName: "5xx",
            dimensions: { ApiId: targets.api.id, Stage: targets.stage.name },
            statistic: "Sum",
            threshold: 0,
        },
    };
    for (const [role, fn] of Object.entries(targets.functions)) {
        specs[`${role}-errors`] = {
            description: `Function ${role} failed invocations.`,
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: fn.name },
            statistic: "Sum",
            threshold: 0,
        };
    }

    const alarms: Record<string, aws.cloudwatch.MetricAlarm> = {};
    for (const [key, spec] of Object.entries(specs)) alarms[key] = createMetricAlarm(`${name}-${key}-alarm`, spec, topic.arn, tags, parent);
    return { topic, subscription, alarms };
}
