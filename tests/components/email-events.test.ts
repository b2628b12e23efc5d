import { expect } from "chai";
import { ENV } from "../../contract/environment";
import { EMAIL_EVENTS_TIMEOUT_SECONDS, MAX_RECEIVE_COUNT, minVisibilityTimeoutSeconds } from "../../contract/defaults";
import { HANDLER_ENTRIES } from "../../contract/functions";
import { MOCK_ACCOUNT_ID } from "../support/pulumi-mocks";
import { actionsOf, recordPipeline, T, valueOf, type RecordedPipeline } from "./pipeline-fixture";

const E = {
    configurationSet: "aws:sesv2/configurationSet:ConfigurationSet",
    destination: "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
} as const;

const KEY = `arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

describe("OrderPipeline email delivery events: event destination, topic, queue, function", () => {
    describe("with email", () => {
        let p: RecordedPipeline;
        before(async () => {
            p = await recordPipeline({ email: { sender: "orders@example.com" } });
        });

        it("should publish the configuration set's BOUNCE, COMPLAINT, DELIVERY and REJECT events to the topic", () => {
            const destination = p.get(E.destination, "orders-ses-events-destination");
            const topic = p.get(T.topic, "orders-ses-events");
            expect(destination.inputs.configurationSetName).to.equal(p.get(E.configurationSet, "orders-email-config").inputs.configurationSetName);
            expect(destination.inputs.eventDestination).to.deep.equal({
                enabled: true,
                matchingEventTypes: ["BOUNCE", "COMPLAINT", "DELIVERY", "REJECT"],
                snsDestination: { topicArn: topic.state.arn },
            });
        });

        it("should let only SES publish to the topic, for this configuration set and account, and only over TLS", () => {
            const topic = p.get(T.topic, "orders-ses-events");
            const policy = p.get(T.topicPolicy, "orders-ses-events-policy");
            expect(policy.inputs.arn).to.equal(topic.state.arn);
            const [allow, deny] = JSON.parse(policy.inputs.policy).Statement;
            expect(allow).to.deep.equal({
                Sid: "AllowSesEventPublishing",
                Effect: "Allow",
                Principal: { Service: "ses.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topic.state.arn,
                Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID, "aws:SourceArn": p.get(E.configurationSet, "orders-email-config").state.arn } },
            });
            expect(deny).to.deep.include({ Effect: "Deny", Principal: "*", Action: "sns:Publish", Condition: { Bool: { "aws:SecureTransport": "false" } } });
            // No customer key: the topic is not encrypted (SES cannot use the AWS managed SNS key).
            expect(topic.inputs.kmsMasterKeyId).to.equal(undefined);
        });

        it("should subscribe a queue with the SNS envelope, let only that topic send to it, and give it its own DLQ after 3 receives", () => {
            const topic = p.get(T.topic, "orders-ses-events");
            const queue = p.get(T.queue, "orders-ses-events-queue");
            const dlq = p.get(T.queue, "orders-ses-events-dlq");
            const subscription = p.get(T.subscription, "orders-ses-events-subscription");
            expect(subscription.inputs).to.deep.include({ topic: topic.state.arn, protocol: "sqs", endpoint: queue.state.arn, rawMessageDelivery: false });
            expect(JSON.parse(queue.inputs.redrivePolicy)).to.deep.equal({ deadLetterTargetArn: dlq.state.arn, maxReceiveCount: MAX_RECEIVE_COUNT });
            expect(MAX_RECEIVE_COUNT).to.equal(3);
            expect(queue.inputs.visibilityTimeoutSeconds).to.equal(minVisibilityTimeoutSeconds(EMAIL_EVENTS_TIMEOUT_SECONDS, 0));
            expect(queue.inputs.sqsManagedSseEnabled).to.equal(true);
            const [allow, deny] = JSON.parse(p.get(T.queuePolicy, "orders-ses-events-queue-policy").inputs.policy).Statement;
            expect(allow).to.deep.equal({
                Sid: "AllowEmailEventsTopic",
                Effect: "Allow",
                Principal: { Service: "sns.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: queue.state.arn,
                Condition: { ArnEquals: { "aws:SourceArn": topic.state.arn } },
            });
            expect(deny).to.deep.include({ Sid: "DenyInsecureTransport", Effect: "Deny" });
            expect(JSON.parse(p.get(T.redriveAllow, "orders-ses-events-dlq-redrive-allow").inputs.redriveAllowPolicy)).to.deep.equal({
                redrivePermission: "byQueue",
                sourceQueueArns: [queue.state.arn],
            });
        });

        it("should run the email-events handler on the queue in batches with partial failures, knowing only the table", () => {
            const fn = p.get(T.function, "orders-ses-events");
            const mapping = p.get(T.eventSourceMapping, "orders-ses-events-mapping");
            expect(mapping.inputs).to.deep.include({ eventSourceArn: p.get(T.queue, "orders-ses-events-queue").state.arn, functionName: fn.state.arn, batchSize: 10 });
            expect(mapping.inputs.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
            expect(mapping.inputs.scalingConfig).to.deep.equal({ maximumConcurrency: 2 });
            expect(fn.inputs.timeout).to.equal(EMAIL_EVENTS_TIMEOUT_SECONDS);
            expect(fn.inputs.environment.variables).to.deep.equal({ [ENV.tableName]: p.get(T.table, "orders-table").state.name });
            expect(HANDLER_ENTRIES["email-events"]).to.equal("handlers/record-email-event.ts");
        });

        it("should give its role only the queue it consumes, GetItem and UpdateItem on the table, and its own log group", () => {
            const table = p.get(T.table, "orders-table");
            const statements = p.statements("ses-events");
            expect(statements.map((s: any) => s.Sid)).to.deep.equal(["WriteOwnLogGroup", "ConsumeEmailEvents", "RecordEmailEvents"]);
            const record = statements.find((s: any) => s.Sid === "RecordEmailEvents");
            expect(actionsOf(record)).to.deep.equal(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
            expect(record.Resource).to.equal(table.state.arn);
            expect(statements.find((s: any) => s.Sid === "ConsumeEmailEvents").Resource).to.equal(p.get(T.queue, "orders-ses-events-queue").state.arn);
            expect([statements.find((s: any) => s.Sid === "WriteOwnLogGroup").Resource].flat().join(" ")).to.include(":log-group:/aws/lambda/orders-ses-events-");
        });

        it("should alarm on its DLQ and errors to the alarm topic (no throttles alarm, as for every function), and output the topic and queues", async () => {
            const alarmTopic = p.get(T.topic, "orders-alarms").state.arn;
            const dlqAlarm = p.get(T.alarm, "orders-ses-events-dlq-messages-alarm");
            expect(dlqAlarm.inputs).to.deep.include({ metricName: "ApproximateNumberOfMessagesVisible", threshold: 0, alarmActions: [alarmTopic] });
            expect(dlqAlarm.inputs.dimensions).to.deep.equal({ QueueName: p.get(T.queue, "orders-ses-events-dlq").state.name });
            for (const key of ["ses-events-dlq-messages", "ses-events-errors"]) expect(Object.keys(p.pipeline.alarms), key).to.include(key);
            expect(Object.keys(p.pipeline.alarms)).to.not.include("ses-events-throttles");
            expect(await valueOf(p.pipeline.emailEventsQueueUrl!)).to.equal(p.get(T.queue, "orders-ses-events-queue").state.url);
            expect(await valueOf(p.pipeline.emailEventsDeadLetterQueueUrl!)).to.equal(p.get(T.queue, "orders-ses-events-dlq").state.url);
            expect(await valueOf(p.pipeline.emailEventsTopicArn!)).to.equal(p.get(T.topic, "orders-ses-events").state.arn);
            expect(await valueOf(p.pipeline.functionNames)).to.have.property("emailEvents").that.matches(/^orders-ses-events-[0-9a-f]{7}$/);
        });

        it("should tag every email with its order id: ProcessOrder's emails name the configuration set", () => {
            expect(p.get(T.function, "orders-process").inputs.environment.variables).to.have.property(ENV.emailConfigurationSet);
        });
    });

    describe("with email and a customer managed key", () => {
        let p: RecordedPipeline;
        before(async () => {
            p = await recordPipeline({ email: { sender: "orders@example.com" }, encryption: { kmsKeyArn: KEY } });
        });

        it("should encrypt the topic and both queues with the key and let the function decrypt only through SQS and DynamoDB", () => {
            expect(p.get(T.topic, "orders-ses-events").inputs.kmsMasterKeyId).to.equal(KEY);
            for (const name of ["orders-ses-events-queue", "orders-ses-events-dlq"]) expect(p.get(T.queue, name).inputs.kmsMasterKeyId, name).to.equal(KEY);
            const kms = p.statements("ses-events").find((s: any) => s.Sid === "UseOrderDataKey");
            expect(kms.Resource).to.equal(KEY);
            expect(kms.Condition.StringEquals["kms:ViaService"]).to.have.members(["sqs.us-east-1.amazonaws.com", "dynamodb.us-east-1.amazonaws.com"]);
        });
    });

    describe("without email", () => {
        it("should create no destination, topic, queue or function for delivery events", async () => {
            const p = await recordPipeline({});
            expect(p.resources.filter((r) => r.name.includes("ses-events"))).to.deep.equal([]);
            expect(p.pipeline.emailEventsQueueUrl).to.equal(undefined);
            expect(Object.keys(p.pipeline.functions)).not.to.include("emailEvents");
        });
    });
});
