import { expect } from "chai";
import { sqsQueueEncrypted } from "../../policies/sqs";
import { AwsType } from "../../policies/support/resource-types";
import { messages, runResourcePolicy, UNKNOWN } from "./harness";

const queue = (props: Record<string, unknown>) => ({ type: AwsType.sqsQueue, name: "orders-queue", props: { visibilityTimeoutSeconds: 181, ...props } });

describe("policies: SQS", () => {
    describe("sqs-queue-encrypted", () => {
        const policy = sqsQueueEncrypted;

        it("Compliance: SQS-managed keys", async () => {
            expect(messages(await runResourcePolicy(policy, queue({ sqsManagedSseEnabled: true })))).to.deep.equal([]);
        });

        it("Compliance: a customer managed KMS key", async () => {
            const outcome = await runResourcePolicy(policy, queue({ kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }));
            expect(messages(outcome)).to.deep.equal([]);
        });

        it("Noncompliance 1: encryption not stated", async () => {
            expect(messages(await runResourcePolicy(policy, queue({})))).to.deep.equal([
                'Encrypt SQS queue "orders-queue" at rest: set sqsManagedSseEnabled to true or kmsMasterKeyId to a KMS key.',
            ]);
        });

        it("Noncompliance 2: SQS-managed keys turned off and an empty KMS key", async () => {
            expect(messages(await runResourcePolicy(policy, queue({ sqsManagedSseEnabled: false, kmsMasterKeyId: "" })))[0]).to.contain("Encrypt SQS queue");
        });

        it("Preview: a KMS key not known yet counts as set", async () => {
            expect((await runResourcePolicy(policy, queue({ kmsMasterKeyId: UNKNOWN.string }))).violations).to.deep.equal([]);
        });

        it("Preview: an encryption flag not known yet is left to the update", async () => {
            const outcome = await runResourcePolicy(policy, queue({ sqsManagedSseEnabled: UNKNOWN.boolean }));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("sqsManagedSseEnabled");
        });
    });
});
