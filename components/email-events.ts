import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { createMetricAlarm } from "./alarms";
import type { Tags } from "./args";
import { singlePublisherTopicPolicy } from "./topic-policy";
import { createQueues } from "./queue";

/**
 * The SES event types recorded on the order (SES v2 `EventType` names): delivered, bounced,
 * complained, rejected. Send, open, click and the others say nothing the order needs.
 */
export const EMAIL_EVENT_TYPES = ["BOUNCE", "COMPLAINT", "DELIVERY", "REJECT"];

/** The event destination's name within the configuration set. */
export const EMAIL_EVENT_DESTINATION_NAME = "order-delivery-events";

/** The role of the delivery-events function and queue in names: `<name>-ses-events-...`. */
export const EMAIL_EVENTS_ROLE = "ses-events";

/** The delivery events' way from SES to the email-events function. */
export interface EmailEvents {
    /** The topic SES publishes the configuration set's events to. */
    readonly topic: aws.sns.Topic;
    readonly topicPolicy: aws.sns.TopicPolicy;
    readonly eventDestination: aws.sesv2.ConfigurationSetEventDestination;
    /** The queue subscribed to the topic, which the function consumes, and its DLQ. */
    readonly queue: aws.sqs.Queue;
    readonly deadLetterQueue: aws.sqs.Queue;
    readonly queuePolicy: aws.sqs.QueuePolicy;
    readonly subscription: aws.sns.TopicSubscription;
    /** `ses-events-dlq-messages`: an event that kept failing waits in the DLQ. */
    readonly deadLetterAlarm: aws.cloudwatch.MetricAlarm;
}

/** What {@link createEmailEvents} builds on. */
export interface EmailEventsInputs {
    readonly configurationSet: aws.sesv2.ConfigurationSet;
    readonly alarmTopicArn: pulumi.Input<string>;
    /** The queues' visibility timeout, derived from the function's timeout. */
    readonly visibilityTimeoutSeconds: number;
    readonly maxReceiveCount: number;
    readonly retentionSeconds: number;
    readonly dlqRetentionSeconds: number;
    /**
     * A customer managed key for the topic and the queues. SES publishes to the topic and SNS sends
     * to the queue with it, so its key policy must let ses.amazonaws.com and sns.amazonaws.com use it
     * (docs/email.md). Without it the topic is not encrypted at rest (SES cannot use the AWS managed
     * SNS key, whose policy cannot be changed) and the queues use SQS-managed keys.
     */
    readonly kmsKeyArn: pulumi.Input<string> | undefined;
    readonly tags: Tags | undefined;
}

/**
 * The topic policy. It replaces SNS's default policy, so it names the one publisher the topic has:
 * SES, for this configuration set only (`aws:SourceAccount`, `aws:SourceArn`, as the SES Developer
 * Guide's event destination policy), and refuses every publish not made over TLS.
 */
export function emailEventsTopicPolicy(topicArn: pulumi.Input<string>, configurationSetArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.all([topicArn, configurationSetArn]).apply(([arn, sourceArn]) =>
        singlePublisherTopicPolicy(arn, {
            sid: "AllowSesEventPublishing",
            service: "ses.amazonaws.com",
            condition: { StringEquals: { "aws:SourceAccount": arn.split(":")[4], "aws:SourceArn": sourceArn } },
        }),
    );
}

/**
 * Creates the way of delivery events: the topic `${name}-ses-events` with its policy, the
 * configuration set's event destination (BOUNCE, COMPLAINT, DELIVERY, REJECT to the topic), the
 * queue `${name}-ses-events-queue` with its DLQ (the same pair as the order queue's, its policy
 * letting only that topic send), the subscription, and an alarm on the DLQ.
 *
 * The subscription keeps the SNS envelope (no raw message delivery): the envelope names the topic
 * and SNS's message id, which the function logs, and a message in the DLQ shows where it came from.
 */
export function createEmailEvents(name: string, inputs: EmailEventsInputs, parent: pulumi.Resource): EmailEvents {
    const prefix = `${name}-${EMAIL_EVENTS_ROLE}`;
    const { tags } = inputs;
    const topic = new aws.sns.Topic(prefix, { ...(inputs.kmsKeyArn === undefined ? {} : { kmsMasterKeyId: inputs.kmsKeyArn }), tags }, { parent });
    const topicPolicy = new aws.sns.TopicPolicy(
        `${prefix}-policy`,
        { arn: topic.arn, policy: emailEventsTopicPolicy(topic.arn, inputs.configurationSet.arn) },
        { parent },
    );
    const queues = createQueues(
        {
            name: prefix,
            visibilityTimeoutSeconds: inputs.visibilityTimeoutSeconds,
            maxReceiveCount: inputs.maxReceiveCount,
            retentionSeconds: inputs.retentionSeconds,
            dlqRetentionSeconds: inputs.dlqRetentionSeconds,
            kmsKeyArn: inputs.kmsKeyArn,
            tags,
            allowSender: { sid: "AllowEmailEventsTopic", service: "sns.amazonaws.com", sourceArn: topic.arn },
        },
        parent,
    );
    const subscription = new aws.sns.TopicSubscription(
        `${prefix}-subscription`,
        { topic: topic.arn, protocol: "sqs", endpoint: queues.queue.arn, rawMessageDelivery: false },
        // SNS can send only once the queue policy lets it.
        { parent, dependsOn: [queues.queuePolicy] },
    );
    const eventDestination = new aws.sesv2.ConfigurationSetEventDestination(
        `${prefix}-destination`,
        {
            configurationSetName: inputs.configurationSet.configurationSetName,
            eventDestinationName: EMAIL_EVENT_DESTINATION_NAME,
            eventDestination: { enabled: true, matchingEventTypes: EMAIL_EVENT_TYPES, snsDestination: { topicArn: topic.arn } },
        },
        // No event is published before the topic lets SES publish and the queue is subscribed.
        { parent, dependsOn: [topicPolicy, subscription] },
    );
    // ApproximateNumberOfMessagesVisible, not NumberOfMessagesSent: see components/alarms.ts.
    const deadLetterAlarm = createMetricAlarm(
        `${prefix}-dlq-messages-alarm`,
        {
            description: "Email delivery events failed to be recorded on their orders and wait in the dead-letter queue: inspect them, fix the cause, redrive.",
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: queues.deadLetterQueue.name },
            statistic: "Maximum",
            threshold: 0,
        },
        inputs.alarmTopicArn,
        tags,
        parent,
    );
    return {
        topic,
        topicPolicy,
        eventDestination,
        queue: queues.queue,
        deadLetterQueue: queues.deadLetterQueue,
        queuePolicy: queues.queuePolicy,
        subscription,
        deadLetterAlarm,
    };
}
