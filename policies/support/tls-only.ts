/**
 * The TLS-only check shared by the queue and topic rules: a resource is TLS-only when one of the
 * policy documents attached to it (inline, or through a separate policy resource) denies its
 * actions to everyone when `aws:SecureTransport` is false.
 */
import type { PolicyResource } from "@pulumi/policy";
import { coversResource } from "./iam-patterns";
import { parsePolicyDocument, type PolicyDocument, type Statement } from "./policy-document";
import { isUnknown, type Undecided, type UnknownValue } from "./preview-values";
import { resolveReference } from "./stack-references";
import { readProperty } from "./validation";

/** Whether a statement's condition applies only to requests made without TLS. */
function requiresInsecureTransport(statement: Statement): boolean {
    return statement.conditions.entries.some(
        (entry) => /^bool(ifexists)?$/i.test(entry.operator) && entry.key.toLowerCase() === "aws:securetransport" && entry.values.some((v) => v.toLowerCase() === "false"),
    );
}

/**
 * Whether a statement denies one of `actions` (lower case, e.g. `["*", "sqs:*"]`) on the resource
 * `arn` to everyone when TLS is not used. Returns the unknown marker when the answer depends on a
 * value not known yet.
 */
export function deniesWithoutTls(statement: Statement, arn: unknown, actions: readonly string[]): boolean | UnknownValue {
    if (isUnknown(statement.effect)) return statement.effect;
    const { principals, actions: named, resources } = statement;
    if (statement.effect !== "Deny" || !principals || principals.negated || !principals.anyone) return principals?.unknown ?? false;
    if (named.negated || !named.values.some((a) => actions.includes(a.toLowerCase()))) return named.unknown ?? false;
    if (!requiresInsecureTransport(statement)) return statement.conditions.unknown ?? false;
    if (!resources) return false;
    if (typeof arn === "string") return coversResource(resources, arn) || (resources.unknown ?? false);
    if (!resources.negated && resources.values.includes("*")) return true;
    return isUnknown(arn) ? arn : false;
}

/** What {@link reportResourcesNotTlsOnly} checks. */
export interface TlsOnlyCheck {
    /** The queues or topics to check. */
    readonly resources: readonly PolicyResource[];
    /** Their inline policy property (`policy`). */
    readonly inlineProperty: string;
    /** The separate policy resources that attach a document to one of them. */
    readonly holders: readonly PolicyResource[];
    /** The holder's property naming the resource (`queueUrl`, `arn`), and how it matches one. */
    readonly reference: { readonly property: string; readonly matches: (value: unknown, candidate: PolicyResource) => boolean };
    /** The actions a TLS-only statement denies (lower case). */
    readonly actions: readonly string[];
}

/**
 * Calls `report` for every resource that no attached document makes TLS-only; a resource whose
 * answer depends on a value not known yet is noted as undecided instead.
 */
export function reportResourcesNotTlsOnly(check: TlsOnlyCheck, undecided: Undecided, report: (resource: PolicyResource) => void): void {
    const documents = new Map<string, PolicyDocument[]>(check.resources.map((r) => [r.urn, []]));
    let unattached: UnknownValue | undefined;
    for (const resource of check.resources) {
        const inline = readProperty(resource.props, check.inlineProperty);
        if (isUnknown(inline)) unattached ??= inline;
        else if (inline !== undefined && inline !== null && inline !== "") documents.get(resource.urn)!.push(parsePolicyDocument(inline));
    }
    for (const holder of check.holders) {
        const target = resolveReference(holder, check.reference.property, check.resources, check.reference.matches);
        if (target.targets.length === 0 && isUnknown(target.value)) unattached ??= target.value;
        const document = parsePolicyDocument(readProperty(holder.props, "policy"));
        for (const resource of target.targets) documents.get(resource.urn)!.push(document);
    }
    for (const resource of check.resources) {
        const arn = readProperty(resource.props, "arn");
        let open: UnknownValue | undefined = unattached;
        let denied = false;
        for (const document of documents.get(resource.urn)!) {
            open ??= document.unknown;
            for (const statement of document.statements) {
                const verdict = deniesWithoutTls(statement, arn, check.actions);
                if (verdict === true) denied = true;
                else if (isUnknown(verdict)) open ??= verdict;
            }
        }
        if (denied) continue;
        if (open) undecided.note(open);
        else report(resource);
    }
}
