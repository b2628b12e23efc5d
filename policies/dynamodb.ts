/** DynamoDB table rules. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { quote, readProperty, validateTypes } from "./support/validation";

/** Tables keep point-in-time recovery on, so that a bad write or delete can be undone. */
export const dynamodbPointInTimeRecovery: ResourceValidationPolicy = {
    name: "dynamodb-point-in-time-recovery",
    description: "Checks that DynamoDB tables have point-in-time recovery enabled.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["dynamodb", "backup"],
    validateResource: validateTypes([AwsType.dynamodbTable], (args, report, undecided) => {
        const recovery = readProperty(args.props, "pointInTimeRecovery");
        const enabled = isUnknown(recovery) ? recovery : (recovery as { enabled?: unknown } | undefined)?.enabled;
        if (enabled === true) return;
        if (isUnknown(enabled)) undecided.note(enabled);
        else report(`Enable point-in-time recovery on DynamoDB table ${quote(args.name)}: set pointInTimeRecovery.enabled to true.`);
    }),
};

/** The DynamoDB rules. */
export const dynamodbPolicies: readonly ResourceValidationPolicy[] = [dynamodbPointInTimeRecovery];
