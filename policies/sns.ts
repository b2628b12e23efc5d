/** SNS topic rules: no publish without TLS (cdk-nag SNS3). */
import type { StackValidationPolicy } from "@pulumi/policy";
import { coversResource } from "./support/iam-patterns";
import { parsePolicyDocument, type PolicyDocument, type Statement } from "./support/policy-document";
import { isUnknown, type UnknownValue } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { byArn, ofType, resolveReference } from "./support/stack-references";
import { quote, readProperty, validateStackWith } from "./support/validation";

/** Whether a statement denies publishing to the topic to everyone when TLS is not used; the marker when undecided. */
function deniesInsecurePublish(statement: Statement, topicArn: unknown): boolean | UnknownValue {
    if (isUnknown(statement.effect)) return statement.effect;
    const { principals, actions, resources } = statement;
    if (statement.effect !== "Deny" || !principals || principals.negated || !principals.anyone) return principals?.unknown ?? false;
    if (actions.negated || !actions.values.some((a) => ["*", "sns:*", "sns:publish"].includes(a.toLowerCase()))) return actions.unknown ?? false;
    const tlsOnly = statement.conditions.entries.some(
        (e) => /^bool(ifexists)?$/i.test(e.operator) && e.key.toLowerCase() === "aws:securetransport" && e.values.some((v) => v.toLowerCase() === "false"),
    );
    if (!tlsOnly) return statement.conditions.unknown ?? false;
    if (!resources) return false;
    if (typeof topicArn === "string") return coversResource(resources, topicArn) || (resources.unknown ?? false);
    if (!resources.negated && resources.values.includes("*")) return true;
    return isUnknown(topicArn) ? topicArn : false;
}

/** Topics refuse every publish not made over TLS. */
export const snsTopicTlsOnly: StackValidationPolicy = {
    name: "sns-topic-tls-only",
    description: 'Checks that every SNS topic has a policy that denies sns:Publish to everyone when aws:SecureTransport is false.',
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["sns", "encryption"],
    validateStack: validateStackWith((args, report, undecided) => {
        const topics = ofType(args.resources, AwsType.snsTopic);
        const documents = new Map<string, PolicyDocument[]>(topics.map((t) => [t.urn, []]));
        let unattached: UnknownValue | undefined;
        for (const topic of topics) {
            const inline = readProperty(topic.props, "policy");
            if (typeof inline === "string" && inline !== "") documents.get(topic.urn)!.push(parsePolicyDocument(inline));
            else if (isUnknown(inline)) unattached ??= inline;
        }
        for (const holder of ofType(args.resources, AwsType.snsTopicPolicy)) {
            const target = resolveReference(holder, "arn", topics, byArn);
            if (target.targets.length === 0 && isUnknown(target.value)) unattached ??= target.value;
            const document = parsePolicyDocument(readProperty(holder.props, "policy"));
            for (const topic of target.targets) documents.get(topic.urn)!.push(document);
        }
        for (const topic of topics) {
            const arn = readProperty(topic.props, "arn");
            let open: UnknownValue | undefined = unattached;
            let denied = false;
            for (const document of documents.get(topic.urn)!) {
                open ??= document.unknown;
                for (const statement of document.statements) {
                    const verdict = deniesInsecurePublish(statement, arn);
                    if (verdict === true) denied = true;
                    else if (isUnknown(verdict)) open ??= verdict;
                }
            }
            if (denied) continue;
            if (open) {
                undecided.note(open);
                continue;
            }
            report(
                `Add a topic policy to SNS topic ${quote(topic.name)} with a statement that denies "sns:Publish" to Principal "*" when aws:SecureTransport is "false", so that no message reaches it without TLS.`,
                topic.urn,
            );
        }
    }),
};

/** The SNS rules. */
export const snsPolicies: readonly StackValidationPolicy[] = [snsTopicTlsOnly];
