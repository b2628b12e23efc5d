import { expect } from "chai";
import { lambdaLogGroupManaged, lambdaNoSharedRoles, lambdaSqsReportsBatchItemFailures } from "../../policies/lambda";
import { AwsType } from "../../policies/support/resource-types";
import { pipelineStack, pipelineStackWith, ROLE_ARN, stackWith } from "./fixtures";
import { messages, runStackPolicy, UNKNOWN, urnOf } from "./harness";

describe("policies: Lambda rules across the stack", () => {
    describe("lambda-no-shared-roles", () => {
        const policy = lambdaNoSharedRoles;

        it("Compliance: one role per function", async () => {
            expect(messages(await runStackPolicy(policy, pipelineStack()))).to.deep.equal([]);
        });

        it("Compliance (preview): roles not created yet, told apart by the role each function's role property came from", async () => {
            const resources = stackWith(
                ["orders-submit", (p) => (p.role = UNKNOWN.string)],
                ["orders-process", (p) => (p.role = UNKNOWN.string)],
            ).map((r) =>
                r.name === "orders-submit" || r.name === "orders-process" ? { ...r, propertyDependencies: { role: [`${r.name}-role`] } } : r,
            );
            const outcome = await runStackPolicy(policy, resources);
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.equal(undefined);
        });

        it("Noncompliance 1: two functions with the same role", async () => {
            const outcome = await runStackPolicy(policy, pipelineStackWith("orders-get", (p) => (p.role = ROLE_ARN("orders-submit-role"))));
            expect(outcome.violations).to.deep.equal([
                {
                    message: 'Give each Lambda function its own execution role: "orders-submit", "orders-get" share IAM role "orders-submit-role", so each holds the others\' permissions.',
                    urn: urnOf(AwsType.iamRole, "orders-submit-role"),
                },
            ]);
        });

        it("Noncompliance 2 (preview): two functions whose role property came from the same role", async () => {
            const resources = stackWith(
                ["orders-submit", (p) => (p.role = UNKNOWN.string)],
                ["orders-process", (p) => (p.role = UNKNOWN.string)],
            ).map((r) => (r.name === "orders-submit" || r.name === "orders-process" ? { ...r, propertyDependencies: { role: ["orders-process-role"] } } : r));
            expect(messages(await runStackPolicy(policy, resources))[0]).to.contain('"orders-submit", "orders-process" share IAM role "orders-process-role"');
        });

        it("Noncompliance 3: a shared role defined outside the stack", async () => {
            const external = "arn:aws:iam::123456789012:role/shared-lambda";
            const resources = stackWith(["orders-submit", (p) => (p.role = external)], ["orders-get", (p) => (p.role = external)]);
            const [violation] = (await runStackPolicy(policy, resources)).violations;
            expect(violation.message).to.contain(`share role "${external}"`);
            expect(violation.urn).to.equal(urnOf(AwsType.lambdaFunction, "orders-submit"));
        });

        it("Preview: a role neither known nor traced to a resource is left to the update", async () => {
            const outcome = await runStackPolicy(policy, pipelineStackWith("orders-get", (p) => (p.role = UNKNOWN.string)));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain(".role");
        });
    });

    describe("lambda-sqs-reports-batch-item-failures", () => {
        const policy = lambdaSqsReportsBatchItemFailures;

        it("Compliance: ReportBatchItemFailures", async () => {
            expect(messages(await runStackPolicy(policy, pipelineStack()))).to.deep.equal([]);
        });

        it("Compliance: a Kinesis mapping is not concerned", async () => {
            const resources = pipelineStackWith("orders-process-mapping", (p) => {
                p.eventSourceArn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders";
                delete p.functionResponseTypes;
            });
            expect(messages(await runStackPolicy(policy, resources))).to.deep.equal([]);
        });

        it("Noncompliance 1: no functionResponseTypes", async () => {
            const outcome = await runStackPolicy(policy, pipelineStackWith("orders-process-mapping", (p) => delete p.functionResponseTypes));
            expect(outcome.violations).to.deep.equal([
                {
                    message:
                        'Add "ReportBatchItemFailures" to functionResponseTypes of event source mapping "orders-process-mapping" (and return batchItemFailures from its function), so that one failed message does not send its whole batch back to SQS queue "orders-queue".',
                    urn: urnOf(AwsType.lambdaEventSourceMapping, "orders-process-mapping"),
                },
            ]);
        });

        it("Noncompliance 2: an empty list, on a queue of another stack", async () => {
            const resources = pipelineStackWith("orders-process-mapping", (p) => {
                p.eventSourceArn = "arn:aws:sqs:us-east-1:210987654321:elsewhere";
                p.functionResponseTypes = [];
            });
            expect(messages(await runStackPolicy(policy, resources))[0]).to.contain("back to its queue.");
        });

        it("Preview: response types not known yet are left to the update", async () => {
            const outcome = await runStackPolicy(policy, pipelineStackWith("orders-process-mapping", (p) => (p.functionResponseTypes = UNKNOWN.array)));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("functionResponseTypes");
        });
    });

    describe("lambda-log-group-managed", () => {
        const policy = lambdaLogGroupManaged;

        it("Compliance: each function names its log group in loggingConfig", async () => {
            expect(messages(await runStackPolicy(policy, pipelineStack()))).to.deep.equal([]);
        });

        it("Compliance: no loggingConfig, and a log group under Lambda's own name /aws/lambda/<name>", async () => {
            expect(messages(await runStackPolicy(policy, pipelineStackWith("orders-get", (p) => delete p.loggingConfig)))).to.deep.equal([]);
        });

        it("Noncompliance 1: no log group for the function", async () => {
            const resources = pipelineStack().filter((r) => r.name !== "orders-get-logs");
            expect((await runStackPolicy(policy, resources)).violations).to.deep.equal([
                {
                    message:
                        'Create the CloudWatch log group "/aws/lambda/orders-get" with a retention in this stack for Lambda function "orders-get" (or point its loggingConfig.logGroup at one): otherwise Lambda creates it on first use and keeps its logs forever.',
                    urn: urnOf(AwsType.lambdaFunction, "orders-get"),
                },
            ]);
        });

        it("Noncompliance 2: loggingConfig names a log group the stack does not manage", async () => {
            const resources = pipelineStackWith("orders-get", (p) => (p.loggingConfig = { logFormat: "JSON", logGroup: "/shared/lambda" }));
            expect(messages(await runStackPolicy(policy, resources))[0]).to.contain('Create the CloudWatch log group "/shared/lambda"');
        });

        it("Preview: a log group name not known yet, traced by loggingConfig's dependencies", async () => {
            const resources = pipelineStackWith("orders-get", (p) => (p.loggingConfig = { logFormat: "JSON", logGroup: UNKNOWN.string })).map((r) =>
                r.name === "orders-get" ? { ...r, propertyDependencies: { loggingConfig: ["orders-get-logs"] } } : r,
            );
            const outcome = await runStackPolicy(policy, resources);
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.equal(undefined);
        });
    });
});
