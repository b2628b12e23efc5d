import { expect } from "chai";
import { recordPipeline, ROLES, T } from "./pipeline-fixture";
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS, minVisibilityTimeoutSeconds } from "../../components";

describe("OrderPipeline options", () => {
    it("subscribes alarms.email to the alarm topic", async () => {
        const p = await recordPipeline({ alarms: { email: "oncall@example.com", oldestMessageAgeSeconds: 900 } });
        expect(p.get(T.subscription, "orders-alarms-email").inputs).to.deep.equal({
            topic: p.get(T.topic, "orders-alarms").state.arn,
            protocol: "email",
            endpoint: "oncall@example.com",
        });
        expect(p.get(T.alarm, "orders-queue-age-alarm").inputs.threshold).to.equal(900);
    });

    it("answers CORS for the configured origins with the API's methods and headers", async () => {
        const p = await recordPipeline({ api: { cors: { allowOrigins: ["https://shop.example.com"] } } });
        expect(p.get(T.api, "orders-api").inputs.corsConfiguration).to.deep.equal({
            allowOrigins: ["https://shop.example.com"],
            allowMethods: ["POST", "GET", "OPTIONS"],
            allowHeaders: CORS_ALLOW_HEADERS,
            exposeHeaders: CORS_EXPOSE_HEADERS,
            maxAge: CORS_MAX_AGE_SECONDS,
        });
    });

    it("takes custom CORS headers and max age", async () => {
        const p = await recordPipeline({
            api: { cors: { allowOrigins: ["*"], allowHeaders: ["content-type"], exposeHeaders: [], maxAgeSeconds: 60 } },
        });
        expect(p.get(T.api, "orders-api").inputs.corsConfiguration).to.deep.include({
            allowOrigins: ["*"],
            allowHeaders: ["content-type"],
            exposeHeaders: [],
            maxAge: 60,
        });
    });

    it("applies custom throttling to the default route", async () => {
        const p = await recordPipeline({ api: { throttle: { burstLimit: 20, rateLimit: 7.5 } } });
        expect(p.get(T.stage, "orders-stage").inputs.defaultRouteSettings).to.deep.equal({
            throttlingBurstLimit: 20,
            throttlingRateLimit: 7.5,
        });
    });

    it("derives the visibility timeout from a custom process timeout and batching window", async () => {
        const p = await recordPipeline({
            functions: { processTimeoutSeconds: 60 },
            processing: { maxBatchingWindowSeconds: 5, batchSize: 100, maximumConcurrency: 20 },
        });
        expect(p.get(T.queue, "orders-queue").inputs.visibilityTimeoutSeconds).to.equal(365);
        expect(minVisibilityTimeoutSeconds(60, 5)).to.equal(365);
        expect(p.get(T.function, "orders-process").inputs.timeout).to.equal(60);
        expect(p.get(T.eventSourceMapping, "orders-process-events").inputs).to.deep.include({
            batchSize: 100,
            maximumBatchingWindowInSeconds: 5,
            scalingConfig: { maximumConcurrency: 20 },
        });
    });

    it("keeps an explicit visibility timeout at or above the minimum", async () => {
        const p = await recordPipeline({ queue: { visibilityTimeoutSeconds: 600, maxReceiveCount: 5 } });
        const queue = p.get(T.queue, "orders-queue");
        expect(queue.inputs.visibilityTimeoutSeconds).to.equal(600);
        expect(JSON.parse(queue.inputs.redrivePolicy).maxReceiveCount).to.equal(5);
    });

    it("sets deletion protection, memory, timeouts and log retention as given", async () => {
        const p = await recordPipeline({
            table: { deletionProtection: true },
            functions: { memoryMb: 512, submitTimeoutSeconds: 5, getTimeoutSeconds: 3 },
            logRetentionDays: 90,
        });
        expect(p.get(T.table, "orders-table").inputs.deletionProtectionEnabled).to.equal(true);
        expect(p.get(T.function, "orders-submit").inputs).to.deep.include({ memorySize: 512, timeout: 5 });
        expect(p.get(T.function, "orders-get").inputs).to.deep.include({ memorySize: 512, timeout: 3 });
        const logGroups = p.resources.filter((r) => r.type === T.logGroup);
        expect(logGroups).to.have.length(4);
        for (const group of logGroups) expect(group.inputs.retentionInDays, group.name).to.equal(90);
    });

    it("tags every taggable resource", async () => {
        const tags = { team: "orders", costCenter: "42" };
        const p = await recordPipeline({ tags, email: { sender: "orders@example.com" } });
        const untaggable = new Set<string>([
            T.pipeline, T.rolePolicy, T.queuePolicy, T.redriveAllow, T.integration, T.route, T.permission, T.subscription, T.dashboard, T.topicPolicy,
            // An account-wide setting, not a resource that takes tags.
            "aws:sesv2/accountSuppressionAttributes:AccountSuppressionAttributes",
            // A part of its configuration set: the provider's resource has no tags.
            "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
        ]);
        const taggable = p.resources.filter((r) => !untaggable.has(r.type));
        expect(taggable.length).to.be.greaterThan(20);
        for (const r of taggable) expect(r.inputs.tags, `${r.type} ${r.name}`).to.deep.equal(tags);
    });

    it("gives two pipelines in one stack distinct physical names", async () => {
        const a = await recordPipeline({ dashboard: true }, "orders");
        const b = await recordPipeline({ dashboard: true }, "returns");
        for (const role of ROLES) {
            const nameA = a.get(T.function, `orders-${role}`).inputs.name;
            const nameB = b.get(T.function, `returns-${role}`).inputs.name;
            expect(nameA).to.match(new RegExp(`^orders-${role}-[0-9a-f]{7}$`));
            expect(nameB).to.match(new RegExp(`^returns-${role}-[0-9a-f]{7}$`));
        }
        expect(a.get(T.dashboard, "orders-dashboard").inputs.dashboardName).not.to.equal(
            b.get(T.dashboard, "returns-dashboard").inputs.dashboardName,
        );
    });

    it("keeps physical names stable from one run to the next", async () => {
        const first = await recordPipeline();
        const second = await recordPipeline();
        for (const role of ROLES) {
            expect(second.get(T.function, `orders-${role}`).inputs.name).to.equal(first.get(T.function, `orders-${role}`).inputs.name);
        }
    });
});
