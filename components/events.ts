/**
 * Event fan-out: the order bus on Amazon EventBridge, its archive for replay, and one rule and
 * target per subscriber, each with its own retry policy, dead-letter queue and alarm.
 */
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { ORDER_EVENT_SOURCE, type OrderEventType } from "../handlers/events/order-events";
import { createMetricAlarm } from "./alarms";
import { DLQ_RETENTION_SECONDS } from "../contract/defaults";
import type { EventsSettings, SubscriberSettings } from "../contract/options/events";
import { policyDocument, type Statement } from "./iam";
import { physicalName, stackSuffix } from "./naming";
import { denyInsecureTransportStatement } from "./queue";

/**
 * What a publisher needs: `events:PutEvents` on this bus only, only with the pipeline's own source
 * and only with the detail-types it publishes, so the role cannot pose as another application on
 * the bus, nor announce what another part of the pipeline announces.
 *
 * `events:source` and `events:detail-type` are multivalued keys (ArrayOfString in the Service
 * Authorization Reference: one value per entry of the request), so they take the set operator
 * `ForAllValues:StringEquals` (every entry must match), and `Null: false` because ForAllValues
 * alone also matches a request that carries no value at all (IAM User Guide, "Set operators for
 * multivalued context keys"). A single-valued `StringEquals` on them never matches.
 */
export function putEventsStatement(busArn: pulumi.Input<string>, detailTypes: readonly OrderEventType[]): Statement {
    return {
        Sid: "PublishOrderEvents",
        Effect: "Allow",
        Action: ["events:PutEvents"],
        Resource: busArn,
        Condition: {
            "ForAllValues:StringEquals": { "events:source": [ORDER_EVENT_SOURCE], "events:detail-type": detailTypes },
            Null: { "events:source": "false", "events:detail-type": "false" },
        },
    };
}

/**
 * The statement the owner of a queue target must add to that queue's policy: EventBridge may send
 * to it, and only on behalf of this rule. (If the queue uses a customer managed KMS key, the key
 * policy must also let events.amazonaws.com use `kms:GenerateDataKey` and `kms:Decrypt`.)
 */
export function queueTargetStatement(queueArn: pulumi.Input<string>, ruleArn: pulumi.Input<string>): pulumi.Output<QueueTargetStatement> {
    return pulumi.all([queueArn, ruleArn]).apply(([queue, rule]) => ({
        Sid: "AllowOrderEventsRule",
        Effect: "Allow" as const,
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queue,
        Condition: { ArnEquals: { "aws:SourceArn": rule } },
    }));
}

/** A queue policy statement, as the queue's owner adds it. */
export interface QueueTargetStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Principal: { readonly Service: string };
    readonly Action: string;
    readonly Resource: string;
    readonly Condition: { readonly ArnEquals: { readonly "aws:SourceArn": string } };
}

/** Everything made for one subscriber. */
export interface SubscriberResources {
    readonly rule: aws.cloudwatch.EventRule;
    readonly target: aws.cloudwatch.EventTarget;
    readonly deadLetterQueue: aws.sqs.Queue;
    readonly deadLetterQueuePolicy: aws.sqs.QueuePolicy;
    readonly deadLetterAlarm: aws.cloudwatch.MetricAlarm;
    /** Function targets: EventBridge's permission to invoke the function for this rule. */
    readonly permission?: aws.lambda.Permission;
    /** Bus targets: the role EventBridge assumes to put events on the other bus, and its policy. */
    readonly role?: aws.iam.Role;
    readonly rolePolicy?: aws.iam.RolePolicy;
    /** Queue targets: the statement the queue's owner must add to its policy (see `queueTargetStatement`). */
    readonly queueOwnerStatement?: pulumi.Output<QueueTargetStatement>;
}

/** What {@link createEvents} made. */
export interface OrderEvents {
    readonly bus: aws.cloudwatch.EventBus;
    /** The bus name, for `ORDER_EVENT_BUS_NAME`. */
    readonly busName: pulumi.Output<string>;
    readonly busArn: pulumi.Output<string>;
    readonly archive: aws.cloudwatch.EventArchive;
    /** With a customer managed key only: where EventBridge puts events it cannot encrypt or decrypt. */
    readonly busDeadLetterQueue?: aws.sqs.Queue;
    readonly busDeadLetterQueuePolicy?: aws.sqs.QueuePolicy;
    /** Per subscriber name. */
    readonly subscribers: Readonly<Record<string, SubscriberResources>>;
}

/** What {@link createEvents} builds from, besides the settings. */
export interface EventsInputs {
    readonly settings: EventsSettings<pulumi.Input<string>>;
    /** The topic the DLQ alarms notify. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** A customer managed key for the bus and its archive; its key policy must let events.amazonaws.com use it. Defaults to an AWS owned key. */
    readonly kmsKeyArn?: pulumi.Input<string>;
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** A DLQ for EventBridge deliveries, with an alarm on its messages; {@link allowDeadLetters} opens it to one source. */
function createDeadLetterQueue(prefix: string, inputs: EventsInputs, parent: pulumi.Resource) {
    // SSE-SQS: EventBridge can send to it without a key grant; an SSE-KMS queue would need the key
    // policy to allow events.amazonaws.com ("Granting permissions to the dead-letter queue").
    // denyAll: EventBridge is its only writer, no SQS queue may redrive into it.
    const queue = new aws.sqs.Queue(
        `${prefix}-dlq`,
        {
            messageRetentionSeconds: DLQ_RETENTION_SECONDS,
            sqsManagedSseEnabled: true,
            redriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }),
            tags: inputs.tags,
        },
        { parent },
    );
    // ApproximateNumberOfMessagesVisible, not NumberOfMessagesSent: see components/alarms.ts.
    const alarm = createMetricAlarm(
        `${prefix}-dlq-alarm`,
        {
            description: `Order events could not be delivered (${prefix}) and wait in its dead-letter queue: fix the target, then send them again or replay them from the archive.`,
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: queue.name },
            statistic: "Maximum",
            threshold: 0,
        },
        inputs.alarmTopicArn,
        inputs.tags,
        parent,
    );
    return { queue, alarm };
}

/** The DLQ's policy: only EventBridge, only on behalf of `sourceArn` (a rule or the bus), only over TLS. */
function allowDeadLetters(prefix: string, queue: aws.sqs.Queue, sourceArn: pulumi.Input<string>, parent: pulumi.Resource): aws.sqs.QueuePolicy {
    return new aws.sqs.QueuePolicy(
        `${prefix}-dlq-policy`,
        {
            queueUrl: queue.url,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AllowEventBridgeDeadLetters",
                        Effect: "Allow",
                        Principal: { Service: "events.amazonaws.com" },
                        Action: "sqs:SendMessage",
                        Resource: queue.arn,
                        // No other rule or bus can fill this queue.
                        Condition: { ArnEquals: { "aws:SourceArn": sourceArn } },
                    },
                    denyInsecureTransportStatement(queue.arn),
                ],
            }),
        },
        { parent },
    );
}

/** The trust policy of a bus-target role: only EventBridge may assume it. */
const EVENTS_TRUST_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** A short stable hash of a subscriber name, for physical names with tight length limits. */
function nameHash(value: string): string {
    return createHash("sha256").update(value).digest("hex").slice(0, 6);
}

/** One subscriber's rule, target, DLQ and the permission its target kind needs. */
function createSubscriber(
    name: string,
    bus: aws.cloudwatch.EventBus,
    subscriber: SubscriberSettings<pulumi.Input<string>>,
    inputs: EventsInputs,
    parent: pulumi.Resource,
): SubscriberResources {
    const prefix = `${name}-${subscriber.name}`;
    const rule = new aws.cloudwatch.EventRule(
        `${prefix}-rule`,
        {
            // Rule names are scoped to the bus, which is this stack's own.
            name: subscriber.name,
            eventBusName: bus.name,
            eventPattern: subscriber.eventPattern,
            description: `Order events for subscriber ${subscriber.name}.`,
            tags: inputs.tags,
        },
        { parent },
    );
    const dlq = createDeadLetterQueue(prefix, inputs, parent);
    const dlqPolicy = allowDeadLetters(prefix, dlq.queue, rule.arn, parent);
    const { kind, arn } = subscriber.target;

    let role: aws.iam.Role | undefined;
    let rolePolicy: aws.iam.RolePolicy | undefined;
    if (kind === "eventBus") {
        // Role names are account-wide and at most 64 characters: component, hash of the subscriber, stack suffix.
        role = new aws.iam.Role(
            `${prefix}-role`,
            {
                name: physicalName(name, `fwd-${nameHash(subscriber.name)}`),
                description: `Lets EventBridge forward order events of rule ${subscriber.name} to another bus.`,
                assumeRolePolicy: EVENTS_TRUST_POLICY,
                tags: inputs.tags,
            },
            { parent },
        );
        rolePolicy = new aws.iam.RolePolicy(
            `${prefix}-role-policy`,
            {
                role: role.name,
                policy: policyDocument([{ Sid: "ForwardOrderEvents", Effect: "Allow", Action: ["events:PutEvents"], Resource: arn }]),
            },
            { parent },
        );
    }

    const permission =
        kind === "function"
            ? new aws.lambda.Permission(
                  `${prefix}-invoke`,
                  { action: "lambda:InvokeFunction", function: arn, principal: "events.amazonaws.com", sourceArn: rule.arn },
                  { parent },
              )
            : undefined;

    const target = new aws.cloudwatch.EventTarget(
        `${prefix}-target`,
        {
            rule: rule.name,
            eventBusName: bus.name,
            targetId: subscriber.name,
            arn,
            ...(role ? { roleArn: role.arn } : {}),
            retryPolicy: {
                maximumRetryAttempts: subscriber.maximumRetryAttempts,
                maximumEventAgeInSeconds: subscriber.maximumEventAgeSeconds,
            },
            deadLetterConfig: { arn: dlq.queue.arn },
        },
        // The target is useless until EventBridge may invoke it and write to its DLQ.
        { parent, dependsOn: [dlqPolicy, ...(permission ? [permission] : []), ...(rolePolicy ? [rolePolicy] : [])] },
    );

    return {
        rule,
        target,
        deadLetterQueue: dlq.queue,
        deadLetterQueuePolicy: dlqPolicy,
        deadLetterAlarm: dlq.alarm,
        ...(permission ? { permission } : {}),
        ...(role && rolePolicy ? { role, rolePolicy } : {}),
        ...(kind === "queue" ? { queueOwnerStatement: queueTargetStatement(arn, rule.arn) } : {}),
    };
}

/**
 * Creates the order bus (`${name}-bus`), its archive (`${name}-archive`, every event, kept
 * `archiveRetentionDays`), and per subscriber a rule, a target with its retry policy, a DLQ that
 * only that rule may write to, an alarm on the DLQ, and the permission the target kind needs.
 * With a customer managed key, the bus and archive are encrypted with it and the bus gets a DLQ
 * for events it cannot encrypt or decrypt.
 */
export function createEvents(name: string, inputs: EventsInputs, parent: pulumi.Resource): OrderEvents {
    const { settings, kmsKeyArn, tags } = inputs;
    // With a customer key, EventBridge sends events it cannot encrypt or decrypt to the bus's DLQ.
    const busDlq = kmsKeyArn === undefined ? undefined : createDeadLetterQueue(`${name}-bus`, inputs, parent);
    const bus = new aws.cloudwatch.EventBus(
        `${name}-bus`,
        {
            // Bus names are per account and region: the stack suffix keeps two stacks apart.
            name: physicalName(name, "bus"),
            description: "Order events of order-pipeline.",
            ...(kmsKeyArn === undefined ? {} : { kmsKeyIdentifier: kmsKeyArn }),
            ...(busDlq ? { deadLetterConfig: { arn: busDlq.queue.arn } } : {}),
            tags,
        },
        { parent },
    );
    const busDlqPolicy = busDlq ? allowDeadLetters(`${name}-bus`, busDlq.queue, bus.arn, parent) : undefined;
    const archive = new aws.cloudwatch.EventArchive(
        `${name}-archive`,
        {
            // Archive names are per account and region, at most 48 characters.
            name: `${name.slice(0, 32)}-${stackSuffix(name)}`,
            description: "Every order event, for replay.",
            eventSourceArn: bus.arn,
            retentionDays: settings.archiveRetentionDays,
            ...(kmsKeyArn === undefined ? {} : { kmsKeyIdentifier: kmsKeyArn }),
        },
        { parent },
    );
    const subscribers: Record<string, SubscriberResources> = {};
    for (const subscriber of settings.subscribers) subscribers[subscriber.name] = createSubscriber(name, bus, subscriber, inputs, parent);
    return {
        bus,
        busName: bus.name,
        busArn: bus.arn,
        archive,
        ...(busDlq && busDlqPolicy ? { busDeadLetterQueue: busDlq.queue, busDeadLetterQueuePolicy: busDlqPolicy } : {}),
        subscribers,
    };
}
