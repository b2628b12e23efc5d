/** Lambda function rules: runtimes, roles of their own, managed log groups, batch item failures from SQS. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { latestRuntimeOf, runtimeDeprecatedOn } from "./lambda-runtimes";
import { isUnknown } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { sqsMappings } from "./support/sqs-lambda-mappings";
import { byArn, knownString, ofType, resolveReference } from "./support/stack-references";
import { quote, quoteAll, readProperty, stringListConfig, validateStackWith, validateTypes } from "./support/validation";

/** Lambda runtimes are not deprecated. */
export const lambdaRuntimeNotDeprecated: ResourceValidationPolicy = {
    name: "lambda-runtime-not-deprecated",
    description: "Checks that Lambda functions do not use a deprecated runtime (one that no longer gets security patches).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["lambda"],
    configSchema: {
        properties: {
            additionalDeprecatedRuntimes: {
                type: "array",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                default: [],
                description: "Runtimes to refuse before AWS deprecates them, e.g. [\"nodejs22.x\"].",
            },
        },
    },
    validateResource: validateTypes([AwsType.lambdaFunction], (args, report, undecided) => {
        const runtime = readProperty(args.props, "runtime");
        if (isUnknown(runtime)) {
            undecided.note(runtime);
            return;
        }
        // Container image functions bring their own runtime.
        if (typeof runtime !== "string") return;
        const refused = stringListConfig(args, "lambda-runtime-not-deprecated", "additionalDeprecatedRuntimes", []);
        const deprecatedSince = runtimeDeprecatedOn(runtime, new Date());
        const target = runtime.startsWith("nodejs") ? '"nodejs24.x"' : "the newest runtime of its language";
        if (deprecatedSince !== undefined) {
            report(`Move Lambda function ${quote(args.name)} from the runtime ${quote(runtime)}, deprecated since ${deprecatedSince}, to ${target}.`);
        } else if (refused.includes(runtime)) {
            report(`Move Lambda function ${quote(args.name)} from the runtime ${quote(runtime)}, which the policy config refuses, to ${target}.`);
        }
    }),
};

/** Lambda functions run the newest runtime of their language (cdk-nag L1); advisory: an older supported one still gets patches. */
export const lambdaRuntimeLatest: ResourceValidationPolicy = {
    name: "lambda-runtime-latest",
    description: "Checks that Lambda functions use the newest runtime of their language (e.g. nodejs24.x), so that they move before a deprecation forces it.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["lambda"],
    validateResource: validateTypes([AwsType.lambdaFunction], (args, report, undecided) => {
        const runtime = readProperty(args.props, "runtime");
        if (isUnknown(runtime)) return undecided.note(runtime);
        if (typeof runtime !== "string") return;
        const latest = latestRuntimeOf(runtime);
        if (latest !== undefined && latest !== runtime) {
            report(`Move Lambda function ${quote(args.name)} from the runtime ${quote(runtime)} to the newest of its language, ${quote(latest)}.`);
        }
    }),
};

/** No two Lambda functions share an execution role. */
export const lambdaNoSharedRoles: StackValidationPolicy = {
    name: "lambda-no-shared-roles",
    description: "Checks that every Lambda function has an execution role of its own, so that no function holds another's permissions.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["lambda", "iam", "least-privilege"],
    validateStack: validateStackWith((args, report, undecided) => {
        const roles = ofType(args.resources, AwsType.iamRole);
        const byRole = new Map<string, { label: string; urn: string; functions: string[] }>();
        for (const fn of ofType(args.resources, AwsType.lambdaFunction)) {
            const { value, targets } = resolveReference(fn, "role", roles, byArn);
            let key: string;
            let label: string;
            let urn: string;
            if (targets.length === 1) {
                [key, label, urn] = [targets[0].urn, `IAM role ${quote(targets[0].name)}`, targets[0].urn];
            } else if (typeof value === "string" && value !== "") {
                [key, label, urn] = [value, `role ${quote(value)}`, fn.urn];
            } else {
                if (isUnknown(value)) undecided.note(value);
                continue;
            }
            const entry = byRole.get(key) ?? { label, urn, functions: [] };
            entry.functions.push(fn.name);
            byRole.set(key, entry);
        }
        for (const { label, urn, functions } of byRole.values()) {
            if (functions.length < 2) continue;
            report(
                `Give each Lambda function its own execution role: ${quoteAll(functions)} share ${label}, so each holds the others' permissions.`,
                urn,
            );
        }
    }),
};

/** SQS event source mappings report failed messages one by one. */
export const lambdaSqsReportsBatchItemFailures: StackValidationPolicy = {
    name: "lambda-sqs-reports-batch-item-failures",
    description: "Checks that every SQS event source mapping reports batch item failures, so that one failed message does not return its whole batch to the queue.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["sqs", "lambda", "reliability"],
    validateStack: validateStackWith((args, report, undecided) => {
        for (const { mapping, queue } of sqsMappings(args.resources, undecided)) {
            const types = readProperty(mapping.props, "functionResponseTypes");
            if (isUnknown(types)) {
                undecided.note(types);
                continue;
            }
            if (Array.isArray(types) && types.includes("ReportBatchItemFailures")) continue;
            const source = queue ? `SQS queue ${quote(queue.name)}` : "its queue";
            report(
                `Add "ReportBatchItemFailures" to functionResponseTypes of event source mapping ${quote(mapping.name)} (and return batchItemFailures from its function), so that one failed message does not send its whole batch back to ${source}.`,
                mapping.urn,
            );
        }
    }),
};

/** Every function logs into a log group the stack manages (and so gives a retention). */
export const lambdaLogGroupManaged: StackValidationPolicy = {
    name: "lambda-log-group-managed",
    description:
        "Checks that every Lambda function logs to a CloudWatch log group managed in the stack (its loggingConfig.logGroup, or /aws/lambda/<name>), so that its retention is set in code rather than left to a group Lambda creates without one.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["lambda", "logging", "cost"],
    validateStack: validateStackWith((args, report, undecided) => {
        const groups = ofType(args.resources, AwsType.cloudwatchLogGroup);
        for (const fn of ofType(args.resources, AwsType.lambdaFunction)) {
            const logging = resolveReference(fn, "loggingConfig", groups, (value, group) => {
                const named = (value as { logGroup?: unknown } | undefined)?.logGroup;
                return typeof named === "string" && named === knownString(group, "name");
            });
            if (logging.targets.length > 0) continue;
            const configured = isUnknown(logging.value) ? logging.value : (logging.value as { logGroup?: unknown } | undefined)?.logGroup;
            // Lambda's own choice when loggingConfig names no group: /aws/lambda/<function name>.
            const name = typeof configured === "string" && configured !== "" ? undefined : readProperty(fn.props, "name");
            const open = [configured, name].find(isUnknown);
            if (open) {
                undecided.note(open);
                continue;
            }
            const expected = typeof configured === "string" && configured !== "" ? configured : typeof name === "string" ? `/aws/lambda/${name}` : undefined;
            if (expected === undefined || groups.some((group) => knownString(group, "name") === expected)) continue;
            const unknownName = groups.map((group) => readProperty(group.props, "name")).find(isUnknown);
            if (unknownName) {
                undecided.note(unknownName);
                continue;
            }
            report(
                `Create the CloudWatch log group ${quote(expected)} with a retention in this stack for Lambda function ${quote(fn.name)} (or point its loggingConfig.logGroup at one): otherwise Lambda creates it on first use and keeps its logs forever.`,
                fn.urn,
            );
        }
    }),
};

/** The Lambda rules, in the order the pack lists them. */
export const lambdaPolicies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    lambdaRuntimeNotDeprecated,
    lambdaRuntimeLatest,
    lambdaNoSharedRoles,
    lambdaSqsReportsBatchItemFailures,
    lambdaLogGroupManaged,
];
