/** SQS queue rules that need only the queue itself. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { quote, readProperty, validateTypes } from "./support/validation";

/** Queues are encrypted at rest, and say so in code. */
export const sqsQueueEncrypted: ResourceValidationPolicy = {
    name: "sqs-queue-encrypted",
    description: "Checks that SQS queues are encrypted at rest with SQS-managed keys (sqsManagedSseEnabled) or a KMS key (kmsMasterKeyId), set explicitly.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["sqs", "encryption"],
    validateResource: validateTypes([AwsType.sqsQueue], (args, report, undecided) => {
        const managed = readProperty(args.props, "sqsManagedSseEnabled");
        const kmsKey = readProperty(args.props, "kmsMasterKeyId");
        if (managed === true || (typeof kmsKey === "string" && kmsKey !== "")) return;
        for (const value of [managed, kmsKey]) {
            if (isUnknown(value)) return undecided.note(value);
        }
        report(`Encrypt SQS queue ${quote(args.name)} at rest: set sqsManagedSseEnabled to true or kmsMasterKeyId to a KMS key.`);
    }),
};

/** The SQS rules that look at one queue at a time. */
export const sqsPolicies: readonly ResourceValidationPolicy[] = [sqsQueueEncrypted];
