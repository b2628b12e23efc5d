/** API Gateway v2 (HTTP and WebSocket API) stage rules. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { quote, readProperty, validateTypes } from "./support/validation";

/** The value of `object[key]` when `object` is a known object; the marker when either is unknown. */
function field(object: unknown, key: string): unknown {
    if (isUnknown(object)) return object;
    return object !== null && typeof object === "object" ? (object as Record<string, unknown>)[key] : undefined;
}

/** Stages throttle their default route, so that a flood of requests cannot exhaust the backend. */
export const apigatewayv2StageThrottled: ResourceValidationPolicy = {
    name: "apigatewayv2-stage-throttled",
    description: "Checks that API Gateway v2 stages set default-route throttling (a burst and a rate limit above zero).",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["apigateway"],
    validateResource: validateTypes([AwsType.apigatewayv2Stage], (args, report, undecided) => {
        const settings = readProperty(args.props, "defaultRouteSettings");
        const missing: string[] = [];
        for (const key of ["throttlingBurstLimit", "throttlingRateLimit"]) {
            const value = field(settings, key);
            if (isUnknown(value)) undecided.note(value);
            else if (typeof value !== "number" || value <= 0) missing.push(key);
        }
        if (missing.length > 0) {
            report(`Throttle API Gateway stage ${quote(args.name)}: set defaultRouteSettings.${missing.join(" and defaultRouteSettings.")} to a limit above zero.`);
        }
    }),
};

/** Stages write access logs, so that every request can be traced after the fact. */
export const apigatewayv2StageAccessLogs: ResourceValidationPolicy = {
    name: "apigatewayv2-stage-access-logs",
    description: "Checks that API Gateway v2 stages write access logs (accessLogSettings with a destination and a format).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["apigateway", "logging"],
    validateResource: validateTypes([AwsType.apigatewayv2Stage], (args, report) => {
        const settings = readProperty(args.props, "accessLogSettings");
        const missing: string[] = [];
        for (const key of ["destinationArn", "format"]) {
            const value = field(settings, key);
            // A value not known yet (a log group's ARN before it exists) is still a value being set.
            if (!isUnknown(value) && (typeof value !== "string" || value === "")) missing.push(key);
        }
        if (missing.length > 0) {
            report(`Turn on access logs for API Gateway stage ${quote(args.name)}: set accessLogSettings.${missing.join(" and accessLogSettings.")}.`);
        }
    }),
};

/** The API Gateway v2 rules. */
export const apigatewayv2Policies: readonly ResourceValidationPolicy[] = [apigatewayv2StageThrottled, apigatewayv2StageAccessLogs];
