/** SNS topic rules: no publish without TLS (cdk-nag SNS3). */
import type { StackValidationPolicy } from "@pulumi/policy";
import { AwsType } from "./support/resource-types";
import { byArn, ofType } from "./support/stack-references";
import { reportResourcesNotTlsOnly } from "./support/tls-only";
import { quote, validateStackWith } from "./support/validation";

/** Topics refuse every publish not made over TLS. */
export const snsTopicTlsOnly: StackValidationPolicy = {
    name: "sns-topic-tls-only",
    description: 'Checks that every SNS topic has a policy that denies sns:Publish to everyone when aws:SecureTransport is false.',
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["sns", "encryption"],
    validateStack: validateStackWith((args, report, undecided) => {
        const check = {
            resources: ofType(args.resources, AwsType.snsTopic),
            inlineProperty: "policy",
            holders: ofType(args.resources, AwsType.snsTopicPolicy),
            reference: { property: "arn", matches: byArn },
            actions: ["*", "sns:*", "sns:publish"],
        };
        reportResourcesNotTlsOnly(check, undecided, (topic) =>
            report(
                `Add a topic policy to SNS topic ${quote(topic.name)} with a statement that denies "sns:Publish" to Principal "*" when aws:SecureTransport is "false", so that no message reaches it without TLS.`,
                topic.urn,
            ),
        );
    }),
};

/** The SNS rules. */
export const snsPolicies: readonly StackValidationPolicy[] = [snsTopicTlsOnly];
