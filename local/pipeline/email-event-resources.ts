/**
 * The email-events path of local mode, created through the real SNS and SQS APIs of fauxqs as the
 * component deploys it: the topic the configuration set's event destination publishes to, the
 * email-events queue subscribed to it (SNS envelope, not raw), and that queue's DLQ, which takes a
 * message after `maxReceiveCount` receives.
 */
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { createOrUpdateQueue, queueArnOf } from "./resources";

/** The topic, queue and DLQ of email delivery events. */
export interface EmailEventResources {
    readonly topicArn: string;
    readonly queueUrl: string;
    readonly queueArn: string;
    readonly dlqUrl: string;
    readonly dlqArn: string;
    readonly subscriptionArn: string;
}

/** How the email-events queue is set up. */
export interface EmailEventQueueSettings {
    readonly visibilityTimeoutSeconds: number;
    readonly maxReceiveCount: number;
    readonly retentionSeconds: number;
    readonly dlqRetentionSeconds: number;
}

/** The middle of their names, as the component names them (`EMAIL_EVENTS_ROLE`, components/email-events.ts). */
export const EMAIL_EVENTS_NAME = "ses-events";

/** The names local mode gives them, from the pipeline's name: `<name>-ses-events`, `-queue`, `-dlq`. */
export function emailEventNames(prefix: string): { readonly topic: string; readonly queue: string; readonly dlq: string } {
    const base = `${prefix}-${EMAIL_EVENTS_NAME}`;
    return { topic: base, queue: `${base}-queue`, dlq: `${base}-dlq` };
}

/**
 * Creates (or finds, when kept on disk from an earlier run) the topic, the DLQ, the queue with its
 * redrive policy, and the queue's subscription to the topic. Each call is idempotent: SNS answers
 * CreateTopic and Subscribe with the existing topic and subscription.
 */
export async function createEmailEventResources(clients: { sns: SNSClient; sqs: SQSClient }, prefix: string, queue: EmailEventQueueSettings): Promise<EmailEventResources> {
    const names = emailEventNames(prefix);
    const { TopicArn: topicArn } = await clients.sns.send(new CreateTopicCommand({ Name: names.topic }));
    if (!topicArn) throw new Error(`CreateTopic ${names.topic} returned no TopicArn`);
    const dlqUrl = await createOrUpdateQueue(clients.sqs, names.dlq, { MessageRetentionPeriod: String(queue.dlqRetentionSeconds) });
    const dlqArn = await queueArnOf(clients.sqs, dlqUrl);
    const queueUrl = await createOrUpdateQueue(clients.sqs, names.queue, {
        MessageRetentionPeriod: String(queue.retentionSeconds),
        VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: queue.maxReceiveCount }),
    });
    const queueArn = await queueArnOf(clients.sqs, queueUrl);
    // The SNS envelope (not raw delivery): the handler reads the SES record from its `Message`.
    const { SubscriptionArn: subscriptionArn } = await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn, ReturnSubscriptionArn: true }));
    if (!subscriptionArn) throw new Error(`Subscribe ${names.queue} to ${names.topic} returned no SubscriptionArn`);
    return { topicArn, queueUrl, queueArn, dlqUrl, dlqArn, subscriptionArn };
}
