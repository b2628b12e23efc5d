import { expect } from "chai";
import { RETRY_BASE_DELAY_SECONDS } from "../../contract/defaults";
import { countByType, MOCK_ACCOUNT_ID, MOCK_REGION } from "../support/pulumi-mocks";
import { recordPipeline, ROLES, T, valueOf, type RecordedPipeline } from "./pipeline-fixture";
import {
    BATCH_SIZE,
    ENV,
    GET_TIMEOUT_SECONDS,
    LAMBDA_ARCHITECTURE,
    LAMBDA_RUNTIME,
    LOG_RETENTION_DAYS,
    MAX_BATCHING_WINDOW_SECONDS,
    MAX_CONCURRENCY,
    MAX_RECEIVE_COUNT,
    MEMORY_MB,
    OLDEST_MESSAGE_ALARM_SECONDS,
    PROCESS_TIMEOUT_SECONDS,
    QUEUE_RETENTION_SECONDS,
    DLQ_RETENTION_SECONDS,
    SUBMIT_TIMEOUT_SECONDS,
    THROTTLE_BURST_LIMIT,
    THROTTLE_RATE_LIMIT,
    VISIBILITY_TIMEOUT_SECONDS,
} from "../../components";

describe("OrderPipeline with default arguments", () => {
    let p: RecordedPipeline;
    before(async () => {
        p = await recordPipeline();
    });

    it("creates each resource once, with the expected count per type", () => {
        expect(countByType(p.resources)).to.deep.equal({
            [T.api]: 1,
            [T.integration]: 2,
            [T.route]: 2,
            [T.stage]: 1,
            [T.logGroup]: 4,
            [T.alarm]: 6,
            [T.table]: 1,
            [T.role]: 3,
            [T.rolePolicy]: 3,
            [T.eventSourceMapping]: 1,
            [T.function]: 3,
            [T.permission]: 2,
            [T.topic]: 1,
            [T.topicPolicy]: 1,
            [T.queue]: 2,
            [T.queuePolicy]: 2,
            [T.redriveAllow]: 1,
            [T.pipeline]: 1,
        });
        const names = p.resources.map((r) => `${r.type}::${r.name}`);
        expect(new Set(names).size).to.equal(names.length);
    });

    it("registers the component under its type token and parents every child to it, named orders-*", () => {
        const component = p.get(T.pipeline, "orders");
        expect(component.parent).to.equal(undefined);
        const children = p.resources.filter((r) => r !== component);
        for (const child of children) {
            expect(child.parent, child.name).to.equal(component.urn);
            expect(child.name, child.type).to.match(/^orders-/);
        }
    });

    it("derives the queue's visibility timeout from ProcessOrder and redrives to the DLQ after 3 receives", () => {
        const queue = p.get(T.queue, "orders-queue");
        const dlq = p.get(T.queue, "orders-dlq");
        expect(queue.inputs.visibilityTimeoutSeconds).to.equal(VISIBILITY_TIMEOUT_SECONDS);
        expect(queue.inputs.visibilityTimeoutSeconds).to.equal(6 * PROCESS_TIMEOUT_SECONDS + MAX_BATCHING_WINDOW_SECONDS);
        expect(JSON.parse(queue.inputs.redrivePolicy)).to.deep.equal({
            deadLetterTargetArn: dlq.state.arn,
            maxReceiveCount: MAX_RECEIVE_COUNT,
        });
        expect(queue.inputs.messageRetentionSeconds).to.equal(QUEUE_RETENTION_SECONDS);
        expect(dlq.inputs.messageRetentionSeconds).to.equal(DLQ_RETENTION_SECONDS);
        expect(dlq.inputs).not.to.have.property("redrivePolicy");
    });

    it("encrypts both queues with SQS-managed keys and lets only the order queue redrive into the DLQ", () => {
        for (const name of ["orders-queue", "orders-dlq"]) {
            const queue = p.get(T.queue, name);
            expect(queue.inputs.sqsManagedSseEnabled, name).to.equal(true);
            expect(queue.inputs, name).not.to.have.property("kmsMasterKeyId");
        }
        const allow = p.get(T.redriveAllow, "orders-dlq-redrive-allow");
        expect(allow.inputs.queueUrl).to.equal(p.get(T.queue, "orders-dlq").state.url);
        expect(JSON.parse(allow.inputs.redriveAllowPolicy)).to.deep.equal({
            redrivePermission: "byQueue",
            sourceQueueArns: [p.get(T.queue, "orders-queue").state.arn],
        });
    });

    it("denies every non-TLS request on both queues", () => {
        for (const name of ["orders-queue", "orders-dlq"]) {
            const queue = p.get(T.queue, name);
            const policy = p.get(T.queuePolicy, `${name}-policy`);
            expect(policy.inputs.queueUrl).to.equal(queue.state.url);
            expect(JSON.parse(policy.inputs.policy).Statement).to.deep.equal([
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "sqs:*",
                    Resource: queue.state.arn,
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ]);
        }
    });

    it("creates an on-demand orders table keyed by orderId with point-in-time recovery", () => {
        const table = p.get(T.table, "orders-table");
        expect(table.inputs).to.deep.include({
            billingMode: "PAY_PER_REQUEST",
            hashKey: "orderId",
            attributes: [{ name: "orderId", type: "S" }],
            pointInTimeRecovery: { enabled: true },
            // The mocked stack is "dev": no deletion protection by default.
            deletionProtectionEnabled: false,
        });
        // No serverSideEncryption block: DynamoDB's AWS-owned key.
        expect(table.inputs).not.to.have.property("serverSideEncryption");
        expect(table.inputs).not.to.have.property("rangeKey");
    });

    it("runs each function on nodejs24.x arm64 from a bundled index.js with its timeout and memory", () => {
        const timeouts = { submit: SUBMIT_TIMEOUT_SECONDS, process: PROCESS_TIMEOUT_SECONDS, get: GET_TIMEOUT_SECONDS };
        for (const role of ROLES) {
            const fn = p.get(T.function, `orders-${role}`);
            expect(fn.inputs, role).to.deep.include({
                runtime: LAMBDA_RUNTIME,
                architectures: [LAMBDA_ARCHITECTURE],
                handler: "index.handler",
                memorySize: MEMORY_MB,
                timeout: timeouts[role],
                tracingConfig: { mode: "PassThrough" },
            });
            expect(fn.inputs.role, role).to.equal(p.get(T.role, `orders-${role}-role`).state.arn);
        }
    });

    it("logs each function as JSON into its own log group /aws/lambda/<function name> with a retention, platform records at WARN", () => {
        for (const role of ROLES) {
            const fn = p.get(T.function, `orders-${role}`);
            const logGroup = p.get(T.logGroup, `orders-${role}-logs`);
            expect(logGroup.inputs.name).to.equal(`/aws/lambda/${fn.inputs.name}`);
            expect(logGroup.inputs.retentionInDays).to.equal(LOG_RETENTION_DAYS);
            expect(fn.inputs.loggingConfig).to.deep.equal({
                logFormat: "JSON",
                logGroup: logGroup.inputs.name,
                applicationLogLevel: "INFO",
                systemLogLevel: "WARN",
            });
            // Created after its log group (so Lambda never makes one without retention) and its policy.
            expect(fn.dependencies).to.include(logGroup.urn);
            expect(fn.dependencies).to.include(p.get(T.rolePolicy, `orders-${role}-policy`).urn);
        }
    });

    it("gives each function exactly the environment its handler reads", () => {
        const queue = p.get(T.queue, "orders-queue");
        const table = p.get(T.table, "orders-table");
        expect(p.get(T.function, "orders-submit").inputs.environment).to.deep.equal({
            variables: { [ENV.queueUrl]: queue.state.url },
        });
        expect(p.get(T.function, "orders-process").inputs.environment).to.deep.equal({
            variables: {
                [ENV.tableName]: table.state.name,
                [ENV.emailEnabled]: "false",
                // Retry backoff: the queue to delay retries on, 30 s at first, at most 1 s below the 181 s visibility timeout.
                [ENV.queueUrl]: queue.state.url,
                [ENV.retryBaseDelaySeconds]: String(RETRY_BASE_DELAY_SECONDS),
                [ENV.retryMaxDelaySeconds]: "180",
            },
        });
        expect(p.get(T.function, "orders-get").inputs.environment).to.deep.equal({
            variables: { [ENV.tableName]: table.state.name },
        });
    });

    it("maps the order queue to ProcessOrder in batches with partial batch failures and a concurrency cap", () => {
        const mapping = p.get(T.eventSourceMapping, "orders-process-events");
        expect(mapping.inputs).to.deep.equal({
            eventSourceArn: p.get(T.queue, "orders-queue").state.arn,
            functionName: p.get(T.function, "orders-process").state.arn,
            batchSize: BATCH_SIZE,
            maximumBatchingWindowInSeconds: MAX_BATCHING_WINDOW_SECONDS,
            functionResponseTypes: ["ReportBatchItemFailures"],
            scalingConfig: { maximumConcurrency: MAX_CONCURRENCY },
        });
        expect(mapping.dependencies).to.include(p.get(T.rolePolicy, "orders-process-policy").urn);
    });

    it("routes POST /orders to SubmitOrder and GET /orders/{orderId} to GetOrder through proxy integrations", () => {
        const api = p.get(T.api, "orders-api");
        expect(api.inputs.protocolType).to.equal("HTTP");
        expect(api.inputs).not.to.have.property("corsConfiguration");
        const wiring = { submit: "POST /orders", get: "GET /orders/{orderId}" };
        for (const [role, routeKey] of Object.entries(wiring)) {
            const fn = p.get(T.function, `orders-${role}`);
            const integration = p.get(T.integration, `orders-${role}-integration`);
            expect(integration.inputs).to.deep.equal({
                apiId: api.id,
                integrationType: "AWS_PROXY",
                integrationMethod: "POST",
                integrationUri: fn.state.invokeArn,
                payloadFormatVersion: "2.0",
            });
            expect(p.get(T.route, `orders-${role}-route`).inputs).to.deep.equal({
                apiId: api.id,
                routeKey,
                target: `integrations/${integration.id}`,
            });
        }
    });

    it("lets only this API invoke each function, on its own route", () => {
        const executionArn = p.get(T.api, "orders-api").state.executionArn;
        const expected = { submit: `${executionArn}/*/POST/orders`, get: `${executionArn}/*/GET/orders/*` };
        for (const [role, sourceArn] of Object.entries(expected)) {
            expect(p.get(T.permission, `orders-${role}-invoke`).inputs).to.deep.equal({
                action: "lambda:InvokeFunction",
                function: p.get(T.function, `orders-${role}`).state.name,
                principal: "apigateway.amazonaws.com",
                sourceArn,
            });
        }
    });

    it("deploys a throttled $default stage that writes JSON access logs to a log group with retention", () => {
        const stage = p.get(T.stage, "orders-stage");
        const logGroup = p.get(T.logGroup, "orders-api-logs");
        expect(stage.inputs).to.deep.include({
            apiId: p.get(T.api, "orders-api").id,
            name: "$default",
            autoDeploy: true,
            defaultRouteSettings: { throttlingBurstLimit: THROTTLE_BURST_LIMIT, throttlingRateLimit: THROTTLE_RATE_LIMIT },
        });
        expect(stage.inputs.accessLogSettings.destinationArn).to.equal(logGroup.state.arn);
        const format = JSON.parse(stage.inputs.accessLogSettings.format);
        expect(format).to.include({ requestId: "$context.requestId", status: "$context.status", routeKey: "$context.routeKey" });
        expect(logGroup.inputs.retentionInDays).to.equal(LOG_RETENTION_DAYS);
        // Auto-deploy must see the routes.
        for (const role of ["submit", "get"]) {
            expect(stage.dependencies).to.include(p.get(T.route, `orders-${role}-route`).urn);
        }
    });

    it("lets only this account's CloudWatch alarms publish to the alarm topic, and only over TLS (cdk-nag SNS3)", () => {
        const topicArn = p.get(T.topic, "orders-alarms").state.arn;
        const policy = p.get(T.topicPolicy, "orders-alarms-policy");
        expect(policy.inputs.arn).to.equal(topicArn);
        expect(JSON.parse(policy.inputs.policy).Statement).to.deep.equal([
            {
                Sid: "AllowAlarmNotifications",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: {
                    StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
                    ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:alarm:*` },
                },
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ]);
    });

    it("alarms on the DLQ, the backlog age, each function's errors and API 5xx, to one topic, and on nothing else", () => {
        const topicArn = p.get(T.topic, "orders-alarms").state.arn;
        const queue = p.get(T.queue, "orders-queue");
        const dlq = p.get(T.queue, "orders-dlq");
        const api = p.get(T.api, "orders-api");
        const expected: Record<string, { namespace: string; metricName: string; dimensions: object; threshold: number; statistic: string }> = {
            "dlq-messages": { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: dlq.state.name }, threshold: 0, statistic: "Maximum" },
            "queue-age": { namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: { QueueName: queue.state.name }, threshold: OLDEST_MESSAGE_ALARM_SECONDS, statistic: "Maximum" },
            "api-5xx": { namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: { ApiId: api.id, Stage: "$default" }, threshold: 0, statistic: "Sum" },
        };
        for (const role of ROLES) {
            const dimensions = { FunctionName: p.get(T.function, `orders-${role}`).state.name };
            expected[`${role}-errors`] = { namespace: "AWS/Lambda", metricName: "Errors", dimensions, threshold: 0, statistic: "Sum" };
        }
        // Throttles are not alarmed on their own: they surface as API 5xx or as queue age (each alarm metric is billed).
        expect(p.resources.filter((r) => r.type === T.alarm).map((r) => r.name)).to.have.members(Object.keys(expected).map((key) => `orders-${key}-alarm`));
        for (const [key, spec] of Object.entries(expected)) {
            const alarm = p.get(T.alarm, `orders-${key}-alarm`);
            expect(alarm.inputs, key).to.deep.include({
                ...spec,
                comparisonOperator: "GreaterThanThreshold",
                period: 60,
                evaluationPeriods: 1,
                treatMissingData: "notBreaching",
                alarmActions: [topicArn],
                okActions: [topicArn],
            });
            expect(alarm.inputs.alarmDescription, key).to.be.a("string").and.not.be.empty;
        }
        // No subscription unless alarms.email is set.
        expect(p.resources.filter((r) => r.type === T.subscription)).to.have.length(0);
    });

    it("builds no dashboard unless asked: it would cost $3 of an idle month", () => {
        expect(p.resources.filter((r) => r.type === T.dashboard)).to.have.length(0);
        expect(p.pipeline.dashboard).to.equal(undefined);
        expect(p.pipeline.dashboardName).to.equal(undefined);
    });

    it("builds a dashboard of the pipeline's metrics and alarms in the stack's region with dashboard: true", async () => {
        const d = await recordPipeline({ dashboard: true });
        const dashboard = d.get(T.dashboard, "orders-dashboard");
        const body = JSON.parse(dashboard.inputs.dashboardBody);
        const metricWidgets = body.widgets.filter((w: any) => w.type === "metric");
        for (const widget of metricWidgets) expect(widget.properties.region).to.equal(MOCK_REGION);
        const referenced = JSON.stringify(metricWidgets.map((w: any) => w.properties.metrics));
        const names = [
            d.get(T.queue, "orders-queue").state.name,
            d.get(T.queue, "orders-dlq").state.name,
            d.get(T.table, "orders-table").state.name,
            d.get(T.api, "orders-api").id,
            ...ROLES.map((role) => d.get(T.function, `orders-${role}`).state.name),
        ];
        for (const name of names) expect(referenced).to.include(`"${name}"`);
        // The throttles that have no alarm of their own are on the dashboard, per function.
        expect(referenced).to.include('"Throttles"');
        const alarmWidget = body.widgets.find((w: any) => w.type === "alarm");
        expect(alarmWidget.properties.alarms).to.have.members(
            d.resources.filter((r) => r.type === T.alarm).map((r) => r.state.arn),
        );
        expect(await valueOf(d.pipeline.dashboardName!)).to.equal(dashboard.state.dashboardName);
        expect(d.get(T.pipeline, "orders").state.dashboardName).to.equal(dashboard.state.dashboardName);
    });

    it("exposes the outputs users need, as fields and as registered outputs", async () => {
        const api = p.get(T.api, "orders-api");
        const expected = {
            apiUrl: api.state.apiEndpoint,
            ordersEndpoint: `${api.state.apiEndpoint}/orders`,
            queueUrl: p.get(T.queue, "orders-queue").state.url,
            queueArn: p.get(T.queue, "orders-queue").state.arn,
            deadLetterQueueUrl: p.get(T.queue, "orders-dlq").state.url,
            deadLetterQueueArn: p.get(T.queue, "orders-dlq").state.arn,
            tableName: p.get(T.table, "orders-table").state.name,
            alarmTopicArn: p.get(T.topic, "orders-alarms").state.arn,
            functionNames: Object.fromEntries(ROLES.map((role) => [role, p.get(T.function, `orders-${role}`).state.name])),
        };
        expect(p.get(T.pipeline, "orders").state).to.deep.equal(expected);
        for (const [key, value] of Object.entries(expected)) {
            expect(await valueOf((p.pipeline as any)[key]), key).to.deep.equal(value);
        }
        expect(expected.ordersEndpoint).to.match(/^https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com\/orders$/);
    });

    it("exposes its children as fields", async () => {
        expect(await valueOf(p.pipeline.queue.urn)).to.equal(p.get(T.queue, "orders-queue").urn);
        expect(await valueOf(p.pipeline.deadLetterQueue.urn)).to.equal(p.get(T.queue, "orders-dlq").urn);
        expect(await valueOf(p.pipeline.table.urn)).to.equal(p.get(T.table, "orders-table").urn);
        expect(await valueOf(p.pipeline.functions.process.urn)).to.equal(p.get(T.function, "orders-process").urn);
        expect(await valueOf(p.pipeline.roles.get.urn)).to.equal(p.get(T.role, "orders-get-role").urn);
        expect(await valueOf(p.pipeline.eventSourceMapping.urn)).to.equal(p.get(T.eventSourceMapping, "orders-process-events").urn);
        expect(p.pipeline.emailIdentity).to.equal(undefined);
        expect(Object.keys(p.pipeline.alarms)).to.have.length(6);
    });
});
