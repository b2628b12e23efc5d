import { expect } from "chai";
import { dynamodbPointInTimeRecovery } from "../../policies/dynamodb";
import { AwsType } from "../../policies/support/resource-types";
import { messages, runResourcePolicy, UNKNOWN } from "./harness";

const table = (props: Record<string, unknown>) => ({
    type: AwsType.dynamodbTable,
    name: "orders-table",
    props: { billingMode: "PAY_PER_REQUEST", hashKey: "orderId", attributes: [{ name: "orderId", type: "S" }], ...props },
});

describe("policies: DynamoDB", () => {
    describe("dynamodb-point-in-time-recovery", () => {
        const policy = dynamodbPointInTimeRecovery;

        it("Compliance: point-in-time recovery enabled", async () => {
            expect(messages(await runResourcePolicy(policy, table({ pointInTimeRecovery: { enabled: true } })))).to.deep.equal([]);
        });

        it("Noncompliance 1: not configured", async () => {
            expect(messages(await runResourcePolicy(policy, table({})))).to.deep.equal([
                'Enable point-in-time recovery on DynamoDB table "orders-table": set pointInTimeRecovery.enabled to true.',
            ]);
        });

        it("Noncompliance 2: disabled", async () => {
            expect(messages(await runResourcePolicy(policy, table({ pointInTimeRecovery: { enabled: false } })))).to.have.length(1);
        });

        it("Preview: a setting not known yet is left to the update", async () => {
            const outcome = await runResourcePolicy(policy, table({ pointInTimeRecovery: { enabled: UNKNOWN.boolean } }));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("pointInTimeRecovery.enabled");
        });
    });
});
