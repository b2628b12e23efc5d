import { expect } from "chai";
import { recordProgram } from "../support/pulumi-mocks";
import {
    isProductionStack,
    OrderPipeline,
    OrderPipelineArgsError,
    resolveSettings,
    VISIBILITY_TIMEOUT_SECONDS,
    type OrderPipelineArgs,
} from "../../components";

/** The problems reported for these arguments (fails if they are accepted). */
function problemsOf(args: OrderPipelineArgs, name = "orders"): readonly string[] {
    try {
        resolveSettings(name, args);
    } catch (error) {
        expect(error).to.be.instanceOf(OrderPipelineArgsError);
        return (error as OrderPipelineArgsError).problems;
    }
    throw new Error("expected the arguments to be rejected");
}

/** Expects exactly one problem, naming `argument` and containing every fragment. */
function expectProblem(args: OrderPipelineArgs, argument: string, ...fragments: string[]): void {
    const problems = problemsOf(args);
    expect(problems, JSON.stringify(problems)).to.have.length(1);
    expect(problems[0]).to.match(new RegExp(`^${argument.replace(/[.$]/g, "\\$&")} `));
    for (const fragment of fragments) expect(problems[0]).to.include(fragment);
}

describe("OrderPipeline argument validation", () => {
    it("accepts no arguments at all", () => {
        const settings = resolveSettings("orders", {});
        expect(settings.queue.visibilityTimeoutSeconds).to.equal(VISIBILITY_TIMEOUT_SECONDS);
        expect(settings.email).to.deep.equal({ enabled: false });
    });

    it("rejects a visibility timeout below 6x the process timeout plus the batching window, naming both", () => {
        expectProblem(
            { queue: { visibilityTimeoutSeconds: 100 } },
            "queue.visibilityTimeoutSeconds",
            "at least 181",
            "functions.processTimeoutSeconds (30)",
            "processing.maxBatchingWindowSeconds (1)",
        );
        // The minimum follows the arguments actually given.
        expectProblem(
            { queue: { visibilityTimeoutSeconds: 200 }, functions: { processTimeoutSeconds: 60 } },
            "queue.visibilityTimeoutSeconds",
            "at least 361",
        );
        expect(resolveSettings("orders", { queue: { visibilityTimeoutSeconds: 181 } }).queue.visibilityTimeoutSeconds).to.equal(181);
    });

    it("rejects bad names", () => {
        for (const name of ["", "1orders", "orders_eu", "orders.eu", "a".repeat(41)]) {
            const problems = problemsOf({}, name);
            expect(problems, name).to.have.length(1);
            expect(problems[0]).to.match(/^name must be 1 to 40 letters/);
        }
        expect(() => resolveSettings("a".repeat(40), {})).not.to.throw();
    });

    it("rejects out-of-range numbers, each naming its argument", () => {
        const cases: [OrderPipelineArgs, string][] = [
            [{ api: { throttle: { burstLimit: 0 } } }, "api.throttle.burstLimit"],
            [{ api: { throttle: { burstLimit: 2.5 } } }, "api.throttle.burstLimit"],
            [{ api: { throttle: { rateLimit: 0 } } }, "api.throttle.rateLimit"],
            [{ queue: { maxReceiveCount: 0 } }, "queue.maxReceiveCount"],
            [{ queue: { retentionSeconds: 30 } }, "queue.retentionSeconds"],
            [{ queue: { visibilityTimeoutSeconds: 50000 } }, "queue.visibilityTimeoutSeconds"],
            [{ processing: { batchSize: 0 } }, "processing.batchSize"],
            [{ processing: { maximumConcurrency: 1 } }, "processing.maximumConcurrency"],
            [{ functions: { memoryMb: 64 } }, "functions.memoryMb"],
            [{ functions: { processTimeoutSeconds: 0 } }, "functions.processTimeoutSeconds"],
            [{ functions: { submitTimeoutSeconds: 31 } }, "functions.submitTimeoutSeconds"],
            [{ functions: { getTimeoutSeconds: 60 } }, "functions.getTimeoutSeconds"],
            [{ logRetentionDays: 10 }, "logRetentionDays"],
            [{ logRetentionDays: 0 }, "logRetentionDays"],
            [{ alarms: { oldestMessageAgeSeconds: 10 } }, "alarms.oldestMessageAgeSeconds"],
            [{ api: { cors: { allowOrigins: ["https://a.example"], maxAgeSeconds: 100000 } } }, "api.cors.maxAgeSeconds"],
        ];
        for (const [args, argument] of cases) {
            const problems = problemsOf(args);
            expect(problems, argument).to.have.length.of.at.least(1);
            expect(problems[0], argument).to.match(new RegExp(`^${argument.replace(/\./g, "\\.")} `));
        }
    });

    it("explains the API Gateway limit on API function timeouts", () => {
        expectProblem({ functions: { submitTimeoutSeconds: 45 } }, "functions.submitTimeoutSeconds", "after 30 s");
    });

    it("requires a batching window for batches above 10", () => {
        expectProblem(
            { processing: { batchSize: 50, maxBatchingWindowSeconds: 0 } },
            "processing.batchSize",
            "processing.maxBatchingWindowSeconds",
        );
    });

    it("rejects a DLQ retention shorter than the queue's, naming both", () => {
        expectProblem(
            { queue: { retentionSeconds: 7 * 86400, dlqRetentionSeconds: 86400 } },
            "queue.dlqRetentionSeconds",
            "queue.retentionSeconds",
        );
    });

    it("rejects a backlog-age alarm threshold the queue retention would never reach", () => {
        expectProblem(
            { queue: { retentionSeconds: 600 }, alarms: { oldestMessageAgeSeconds: 900 } },
            "alarms.oldestMessageAgeSeconds",
            "queue.retentionSeconds",
        );
    });

    it("rejects contradictory or incomplete email settings", () => {
        expectProblem({ email: { enabled: true } }, "email.sender", "email.enabled");
        expectProblem({ email: { enabled: false, sender: "orders@example.com" } }, "email.enabled", "email.sender");
        expectProblem({ email: { identityArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" } }, "email.identityArn", "email.sender");
        expectProblem({ email: { sender: "not an address" } }, "email.sender", "an email address");
        expectProblem(
            { email: { sender: "orders@example.com", identityArn: "arn:aws:sns:us-east-1:123456789012:topic" } },
            "email.identityArn",
            "SES identity ARN",
        );
        expectProblem({ alarms: { email: "oncall" } }, "alarms.email", "an email address");
    });

    it("rejects a KMS alias or malformed key ARN, since IAM can only scope key use to a key ARN", () => {
        expectProblem({ encryption: { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/orders" } }, "encryption.kmsKeyArn", "alias");
        expectProblem({ encryption: { kmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" } }, "encryption.kmsKeyArn");
    });

    it("rejects CORS without origins or with an origin that has a path", () => {
        expectProblem({ api: { cors: { allowOrigins: [] } } }, "api.cors.allowOrigins", "at least one origin");
        expectProblem({ api: { cors: { allowOrigins: ["https://shop.example.com/app"] } } }, "api.cors.allowOrigins");
    });

    it("reports every problem at once, one line per argument", () => {
        const args: OrderPipelineArgs = {
            queue: { visibilityTimeoutSeconds: 10 },
            processing: { batchSize: 0 },
            email: { enabled: true },
            logRetentionDays: 2,
        };
        const problems = problemsOf(args);
        expect(problems.map((p) => p.split(" ")[0])).to.deep.equal([
            "queue.visibilityTimeoutSeconds",
            "processing.batchSize",
            "email.sender",
            "logRetentionDays",
        ]);
        expect(() => resolveSettings("orders", args)).to.throw(
            OrderPipelineArgsError,
            /^Invalid arguments for OrderPipeline "orders":\n {2}- queue\.visibilityTimeoutSeconds .*\n {2}- processing\.batchSize .*\n {2}- email\.sender .*\n {2}- logRetentionDays /,
        );
    });

    it("throws from the constructor before registering any resource", async () => {
        let thrown: unknown;
        const resources = await recordProgram(() => {
            try {
                new OrderPipeline("orders", { queue: { visibilityTimeoutSeconds: 1 } });
            } catch (error) {
                thrown = error;
            }
        });
        expect(thrown).to.be.instanceOf(OrderPipelineArgsError);
        expect(resources).to.deep.equal([]);
    });

    it("protects the table by default on production-named stacks only", () => {
        for (const stack of ["prod", "production", "eu-prod-1", "Prod"]) expect(isProductionStack(stack), stack).to.equal(true);
        for (const stack of ["dev", "staging", "test", "pr-42"]) expect(isProductionStack(stack), stack).to.equal(false);
        // The mocked stack is "dev".
        expect(resolveSettings("orders", {}).table.deletionProtection).to.equal(false);
        expect(resolveSettings("orders", { table: { deletionProtection: true } }).table.deletionProtection).to.equal(true);
    });
});
