import { expect } from "chai";
import { sqsQueueHasRedrivePolicy, sqsQueueTlsOnly, sqsVisibilityTimeoutCoversLambda } from "../../policies/sqs";
import { AwsType } from "../../policies/support/resource-types";
import { DLQ_ARN, document, FUNCTION_ARN, pipelineStack, pipelineStackWith, QUEUE_ARN, QUEUE_URL, stackWith } from "./fixtures";
import { messages, runStackPolicy, UNKNOWN, urnOf, type StackResourceUnderTest } from "./harness";

describe("policies: SQS rules across the stack", () => {
    describe("sqs-visibility-timeout-covers-lambda", () => {
        const policy = sqsVisibilityTimeoutCoversLambda;

        it("Compliance: 181 s covers 6 x 30 s + 1 s", async () => {
            expect(messages(await runStackPolicy(policy, pipelineStack()))).to.deep.equal([]);
        });

        it("Compliance: the mapping names its function by qualified ARN", async () => {
            const resources = pipelineStackWith("orders-process-mapping", (p) => (p.functionName = `${FUNCTION_ARN("orders-process")}:live`));
            expect(messages(await runStackPolicy(policy, resources))).to.deep.equal([]);
        });

        it("Compliance: a mapping from a Kinesis stream, or from a queue of another stack, is not judged here", async () => {
            for (const source of ["arn:aws:kinesis:us-east-1:123456789012:stream/orders", "arn:aws:sqs:us-east-1:210987654321:elsewhere"]) {
                const outcome = await runStackPolicy(policy, pipelineStackWith("orders-process-mapping", (p) => (p.eventSourceArn = source)));
                expect(outcome.violations, source).to.deep.equal([]);
                expect(outcome.previewNote, source).to.equal(undefined);
            }
        });

        it("Noncompliance 1: a visibility timeout below 6x the function timeout", async () => {
            const outcome = await runStackPolicy(policy, pipelineStackWith("orders-queue", (p) => (p.visibilityTimeoutSeconds = 60)));
            expect(outcome.violations).to.deep.equal([
                {
                    message:
                        'Raise the visibility timeout of SQS queue "orders-queue" to at least 181 s (6 x the 30 s timeout of Lambda function "orders-process" + the 1 s batching window); at 60 s a message can be delivered again while "orders-process" still processes it.',
                    urn: urnOf(AwsType.sqsQueue, "orders-queue"),
                },
            ]);
        });

        it("Noncompliance 2: the function's timeout raised without the queue's", async () => {
            const [message] = messages(await runStackPolicy(policy, pipelineStackWith("orders-process", (p) => (p.timeout = 60))));
            expect(message).to.contain("to at least 361 s (6 x the 60 s timeout");
        });

        it("Noncompliance 3: a longer batching window", async () => {
            const [message] = messages(await runStackPolicy(policy, pipelineStackWith("orders-process-mapping", (p) => (p.maximumBatchingWindowInSeconds = 5))));
            expect(message).to.contain("to at least 185 s");
        });

        it("Noncompliance 4: AWS defaults (30 s visibility) for a function of 10 s", async () => {
            const resources = stackWith(["orders-queue", (p) => delete p.visibilityTimeoutSeconds], ["orders-process", (p) => (p.timeout = 10)]);
            expect(messages(await runStackPolicy(policy, resources))[0]).to.contain("at 30 s a message");
        });

        it("Noncompliance 5 (preview): queue ARN not known yet, the mapping traced to the queue by its dependencies", async () => {
            const resources = stackWith(
                ["orders-queue", (p) => ((p.arn = UNKNOWN.string), (p.visibilityTimeoutSeconds = 60))],
                ["orders-process-mapping", (p) => (p.eventSourceArn = UNKNOWN.string)],
            ).map((r) => (r.name === "orders-process-mapping" ? { ...r, propertyDependencies: { eventSourceArn: ["orders-queue"] } } : r));
            expect(messages(await runStackPolicy(policy, resources))[0]).to.contain('Raise the visibility timeout of SQS queue "orders-queue"');
        });
    });

    describe("sqs-queue-has-redrive-policy", () => {
        const policy = sqsQueueHasRedrivePolicy;
        const otherQueue: StackResourceUnderTest = {
            type: AwsType.sqsQueue,
            name: "audit-queue",
            props: { name: "audit-queue", arn: "arn:aws:sqs:us-east-1:123456789012:audit-queue", url: "https://sqs.us-east-1.amazonaws.com/123456789012/audit-queue" },
        };

        it("Compliance: the order queue redrives to the DLQ, which is exempt", async () => {
            expect(messages(await runStackPolicy(policy, pipelineStack()))).to.deep.equal([]);
        });

        it("Compliance: a redrive policy attached by its own resource, as an object", async () => {
            const resources = [
                ...pipelineStackWith("orders-queue", (p) => delete p.redrivePolicy),
                { type: AwsType.sqsRedrivePolicy, name: "orders-redrive", props: { queueUrl: QUEUE_URL, redrivePolicy: { deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 3 } } },
            ];
            expect(messages(await runStackPolicy(policy, resources))).to.deep.equal([]);
        });

        it("Compliance (preview): redrive policy not known yet, its DLQ traced by its dependencies", async () => {
            const resources = pipelineStackWith("orders-queue", (p) => (p.redrivePolicy = UNKNOWN.string)).map((r) =>
                r.name === "orders-queue" ? { ...r, propertyDependencies: { redrivePolicy: ["orders-dlq"] } } : r,
            );
            const outcome = await runStackPolicy(policy, resources);
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.equal(undefined);
        });

        it("Noncompliance 1: a queue with no redrive policy", async () => {
            const outcome = await runStackPolicy(policy, [...pipelineStack(), otherQueue]);
            expect(outcome.violations).to.deep.equal([
                {
                    message:
                        'Give SQS queue "audit-queue" a redrive policy (deadLetterTargetArn and maxReceiveCount), so that a message that keeps failing moves to a dead-letter queue instead of being retried until it expires.',
                    urn: urnOf(AwsType.sqsQueue, "audit-queue"),
                },
            ]);
        });

        it("Noncompliance 2: the order queue's redrive policy removed (the DLQ stays exempt by its redrive allow policy)", async () => {
            const outcome = await runStackPolicy(policy, pipelineStackWith("orders-queue", (p) => delete p.redrivePolicy));
            expect(outcome.violations.map((v) => v.urn)).to.deep.equal([urnOf(AwsType.sqsQueue, "orders-queue")]);
        });

        it("Noncompliance 3: a redrive policy that is not valid JSON, and one with maxReceiveCount 0", async () => {
            const broken = await runStackPolicy(policy, pipelineStackWith("orders-queue", (p) => (p.redrivePolicy = "{deadLetterTargetArn")));
            expect(messages(broken)[0]).to.contain('Fix the redrive policy of SQS queue "orders-queue": it is not valid JSON');
            const zero = await runStackPolicy(policy, pipelineStackWith("orders-queue", (p) => (p.redrivePolicy = JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 0 }))));
            expect(messages(zero)).to.deep.equal(['Fix the redrive policy of SQS queue "orders-queue": maxReceiveCount must be an integer from 1 to 1000.']);
        });

        it("Preview: an unknown redrive policy that cannot be traced leaves the other queues' verdicts to the update", async () => {
            const resources = [...pipelineStackWith("orders-queue", (p) => (p.redrivePolicy = UNKNOWN.string)), otherQueue];
            const outcome = await runStackPolicy(policy, resources);
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("redrivePolicy");
        });
    });

    describe("sqs-queue-tls-only", () => {
        const policy = sqsQueueTlsOnly;
        const tlsStatement = (change: (s: Record<string, unknown>) => void) => {
            const statement: Record<string, unknown> = { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: DLQ_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } };
            change(statement);
            return JSON.stringify(document([statement]));
        };
        const withDlqPolicy = (change: (s: Record<string, unknown>) => void) =>
            pipelineStackWith("orders-dlq-policy", (p) => (p.policy = tlsStatement(change)));

        it("Compliance: both queues deny non-TLS access", async () => {
            expect(messages(await runStackPolicy(policy, pipelineStack()))).to.deep.equal([]);
        });

        it('Compliance: an inline queue policy with Resource "*", { AWS: "*" } and a boolean condition value', async () => {
            const inline = tlsStatement((s) => {
                s.Resource = "*";
                s.Principal = { AWS: "*" };
                s.Condition = { Bool: { "aws:SecureTransport": false } };
            });
            const resources = pipelineStack()
                .filter((r) => r.name !== "orders-dlq-policy")
                .map((r) => (r.name === "orders-dlq" ? { ...r, props: { ...r.props, policy: inline } } : r));
            expect(messages(await runStackPolicy(policy, resources))).to.deep.equal([]);
        });

        it("Noncompliance 1: the DLQ has no queue policy", async () => {
            const outcome = await runStackPolicy(policy, pipelineStack().filter((r) => r.name !== "orders-dlq-policy"));
            expect(outcome.violations).to.deep.equal([
                {
                    message:
                        'Add a statement to the queue policy of SQS queue "orders-dlq" that denies "sqs:*" to Principal "*" when aws:SecureTransport is "false", so that no request reaches it without TLS.',
                    urn: urnOf(AwsType.sqsQueue, "orders-dlq"),
                },
            ]);
        });

        it('Noncompliance 2: the condition denies TLS requests ("true") instead', async () => {
            const outcome = await runStackPolicy(policy, withDlqPolicy((s) => (s.Condition = { Bool: { "aws:SecureTransport": "true" } })));
            expect(outcome.violations.map((v) => v.urn)).to.deep.equal([urnOf(AwsType.sqsQueue, "orders-dlq")]);
        });

        it("Noncompliance 3: Allow instead of Deny", async () => {
            expect(messages(await runStackPolicy(policy, withDlqPolicy((s) => (s.Effect = "Allow"))))).to.have.length(1);
        });

        it("Noncompliance 4: only some actions denied", async () => {
            expect(messages(await runStackPolicy(policy, withDlqPolicy((s) => (s.Action = ["sqs:SendMessage"]))))).to.have.length(1);
        });

        it("Noncompliance 5: a named principal instead of everyone", async () => {
            expect(messages(await runStackPolicy(policy, withDlqPolicy((s) => (s.Principal = { AWS: "arn:aws:iam::123456789012:root" }))))).to.have.length(1);
        });

        it("Noncompliance 6: the statement covers the other queue only", async () => {
            expect(messages(await runStackPolicy(policy, withDlqPolicy((s) => (s.Resource = QUEUE_ARN))))).to.have.length(1);
        });

        it("Preview: a queue policy not known yet is left to the update", async () => {
            const outcome = await runStackPolicy(policy, pipelineStackWith("orders-dlq-policy", (p) => (p.policy = UNKNOWN.string)));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain(".policy");
        });

        it("Preview: a queue policy traced to its queue by dependencies while the URL is not known yet", async () => {
            const resources = pipelineStackWith("orders-dlq-policy", (p) => (p.queueUrl = UNKNOWN.string)).map((r) =>
                r.name === "orders-dlq-policy" ? { ...r, propertyDependencies: { queueUrl: ["orders-dlq"] } } : r,
            );
            const outcome = await runStackPolicy(policy, resources);
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.equal(undefined);
        });
    });
});
