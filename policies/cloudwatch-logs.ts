/** CloudWatch Logs rules. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { quote, readProperty, validateTypes } from "./support/validation";

/** Log groups expire their events; without a retention CloudWatch keeps (and bills) them forever. */
export const cloudwatchLogGroupRetention: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-retention",
    description: "Checks that CloudWatch log groups set a retention (retentionInDays above zero; zero or none keeps events forever).",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["logging", "cost"],
    validateResource: validateTypes([AwsType.cloudwatchLogGroup], (args, report, undecided) => {
        const days = readProperty(args.props, "retentionInDays");
        if (isUnknown(days)) undecided.note(days);
        else if (typeof days !== "number" || days <= 0) {
            report(`Set retentionInDays on CloudWatch log group ${quote(args.name)} (e.g. 30): without it the log group keeps every event forever.`);
        }
    }),
};

/** The CloudWatch Logs rules that look at one log group at a time. */
export const cloudwatchLogsPolicies: readonly ResourceValidationPolicy[] = [cloudwatchLogGroupRetention];
