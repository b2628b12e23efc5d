/** Lambda function rules that need only the function itself. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { runtimeDeprecatedOn } from "./lambda-runtimes";
import { isUnknown } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { quote, readProperty, stringListConfig, validateTypes } from "./support/validation";

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

/** The Lambda rules that look at one function at a time. */
export const lambdaPolicies: readonly ResourceValidationPolicy[] = [lambdaRuntimeNotDeprecated];
