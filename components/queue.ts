import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./args";

/** The order queue, its dead-letter queue and their policies. */
export interface OrderQueues {
    readonly queue: aws.sqs.Queue;
    readonly deadLetterQueue: aws.sqs.Queue;
    readonly queuePolicy: aws.sqs.QueuePolicy;
    readonly deadLetterQueuePolicy: aws.sqs.QueuePolicy;
    readonly redriveAllowPolicy: aws.sqs.RedriveAllowPolicy;
}

/** What a queue and its dead-letter queue are made with. */
export interface QueuePairSpec {
    /** Prefix of both names: `<name>-queue` and `<name>-dlq`. */
    readonly name: string;
    readonly visibilityTimeoutSeconds: number;
    /** Receives before a message moves to the DLQ. */
    readonly maxReceiveCount: number;
    readonly retentionSeconds: number;
    readonly dlqRetentionSeconds: number;
    /** A customer managed key; SQS-managed keys without one. */
    readonly kmsKeyArn: pulumi.Input<string> | undefined;
    readonly tags: Tags | undefined;
    /**
     * A service that may send to the queue on behalf of one source only (`aws:SourceArn`), e.g. SNS
     * for one topic; none: only principals the account's IAM policies allow.
     */
    readonly allowSender?: { readonly sid: string; readonly service: string; readonly sourceArn: pulumi.Input<string> };
}

/** Encryption at rest: a customer managed key when given, else SQS-managed keys (SSE-SQS). */
export function queueEncryption(kmsKeyArn: pulumi.Input<string> | undefined): Pick<aws.sqs.QueueArgs, "kmsMasterKeyId" | "sqsManagedSseEnabled"> {
    return kmsKeyArn === undefined ? { sqsManagedSseEnabled: true } : { kmsMasterKeyId: kmsKeyArn };
}

/** The queue policy statement that refuses every request not made over TLS (aws:SecureTransport false). */
export function denyInsecureTransportStatement(queueArn: pulumi.Input<string>) {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    } as const;
}

/** A queue policy that refuses every request not made over TLS. */
function denyInsecureTransport(queueArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: [denyInsecureTransportStatement(queueArn)] });
}

/** A TLS-only queue policy that also lets `sender.service` send, only on behalf of `sender.sourceArn`. */
function allowSenderOverTls(queueArn: pulumi.Input<string>, sender: NonNullable<QueuePairSpec["allowSender"]>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: sender.sid,
                Effect: "Allow",
                Principal: { Service: sender.service },
                Action: "sqs:SendMessage",
                Resource: queueArn,
                Condition: { ArnEquals: { "aws:SourceArn": sender.sourceArn } },
            },
            denyInsecureTransportStatement(queueArn),
        ],
    });
}

/**
 * Creates a queue (`${name}-queue`) and its DLQ (`${name}-dlq`): encrypted, TLS-only, a redrive
 * policy after `maxReceiveCount` receives, and a redrive allow policy so that only that queue may use
 * the DLQ. The order queue is one such pair, the email-events queue another.
 */
export function createQueues(spec: QueuePairSpec, parent: pulumi.Resource): OrderQueues {
    const { name, tags } = spec;
    const q = spec;
    const deadLetterQueue = new aws.sqs.Queue(
        `${name}-dlq`,
        { messageRetentionSeconds: q.dlqRetentionSeconds, ...queueEncryption(spec.kmsKeyArn), tags },
        { parent },
    );
    const queue = new aws.sqs.Queue(
        `${name}-queue`,
        {
            visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
            messageRetentionSeconds: q.retentionSeconds,
            redrivePolicy: pulumi.jsonStringify({
                deadLetterTargetArn: deadLetterQueue.arn,
                maxReceiveCount: q.maxReceiveCount,
            }),
            ...queueEncryption(spec.kmsKeyArn),
            tags,
        },
        { parent },
    );
    // A separate resource: the DLQ cannot name the order queue in its own inputs (the order queue
    // already names the DLQ in its redrive policy).
    const redriveAllowPolicy = new aws.sqs.RedriveAllowPolicy(
        `${name}-dlq-redrive-allow`,
        {
            queueUrl: deadLetterQueue.url,
            redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }),
        },
        { parent },
    );
    const queuePolicy = new aws.sqs.QueuePolicy(
        `${name}-queue-policy`,
        { queueUrl: queue.url, policy: spec.allowSender ? allowSenderOverTls(queue.arn, spec.allowSender) : denyInsecureTransport(queue.arn) },
        { parent },
    );
    const deadLetterQueuePolicy = new aws.sqs.QueuePolicy(
        `${name}-dlq-policy`,
        { queueUrl: deadLetterQueue.url, policy: denyInsecureTransport(deadLetterQueue.arn) },
        { parent },
    );
    return { queue, deadLetterQueue, queuePolicy, deadLetterQueuePolicy, redriveAllowPolicy };
}
