import { expect } from "chai";
import { cloudwatchLogGroupRetention } from "../../policies/cloudwatch-logs";
import { AwsType } from "../../policies/support/resource-types";
import { messages, runResourcePolicy, UNKNOWN } from "./harness";

const logGroup = (props: Record<string, unknown>) => ({ type: AwsType.cloudwatchLogGroup, name: "orders-process-logs", props: { name: "/aws/lambda/orders-process", ...props } });

describe("policies: CloudWatch Logs", () => {
    describe("cloudwatch-log-group-retention", () => {
        const policy = cloudwatchLogGroupRetention;

        it("Compliance: a retention of 30 days", async () => {
            expect(messages(await runResourcePolicy(policy, logGroup({ retentionInDays: 30 })))).to.deep.equal([]);
        });

        it("Noncompliance 1: no retention", async () => {
            expect(messages(await runResourcePolicy(policy, logGroup({})))).to.deep.equal([
                'Set retentionInDays on CloudWatch log group "orders-process-logs" (e.g. 30): without it the log group keeps every event forever.',
            ]);
        });

        it("Noncompliance 2: a retention of 0 (never expire)", async () => {
            expect(messages(await runResourcePolicy(policy, logGroup({ retentionInDays: 0 })))).to.have.length(1);
        });

        it("Preview: a retention not known yet is left to the update", async () => {
            const outcome = await runResourcePolicy(policy, logGroup({ retentionInDays: UNKNOWN.number }));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("retentionInDays");
        });
    });
});
