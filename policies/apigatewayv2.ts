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

/** Access logs are one JSON object a request, so that they can be queried by field (Logs Insights). */
export const apigatewayv2StageStructuredAccessLogs: ResourceValidationPolicy = {
    name: "apigatewayv2-stage-structured-access-logs",
    description: "Checks that the access log format of API Gateway v2 stages is a JSON object, so that each request logs one queryable record.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["apigateway", "logging"],
    validateResource: validateTypes([AwsType.apigatewayv2Stage], (args, report, undecided) => {
        const format = field(readProperty(args.props, "accessLogSettings"), "format");
        if (isUnknown(format)) return undecided.note(format);
        // A stage without access logs is the access-log rule's concern.
        if (typeof format !== "string" || format === "") return;
        let parsed: unknown;
        try {
            parsed = JSON.parse(format);
        } catch {
            parsed = undefined;
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
            report(`Write the access logs of API Gateway stage ${quote(args.name)} as JSON: set accessLogSettings.format to a JSON object of $context variables, e.g. {"requestId":"$context.requestId","status":"$context.status"}.`);
        }
    }),
};

/** Routes need an authorizer; advisory, since a public API (sign-in off) is a deliberate choice. */
export const apigatewayv2RouteAuthorized: ResourceValidationPolicy = {
    name: "apigatewayv2-route-authorized",
    description: "Checks that API Gateway v2 routes use an authorizer (authorizationType JWT, AWS_IAM or CUSTOM), not NONE.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["apigateway", "authentication"],
    validateResource: validateTypes([AwsType.apigatewayv2Route], (args, report, undecided) => {
        const type = readProperty(args.props, "authorizationType");
        if (isUnknown(type)) return undecided.note(type);
        if (type === undefined || type === "NONE") {
            const route = readProperty(args.props, "routeKey");
            report(`Require callers of API Gateway route ${quote(args.name)}${typeof route === "string" ? ` (${route})` : ""} to sign in: set authorizationType (JWT with an authorizer, or AWS_IAM); with OrderPipeline, turn on \`auth\`.`);
        }
    }),
};

/** The API Gateway v2 rules. */
export const apigatewayv2Policies: readonly ResourceValidationPolicy[] = [
    apigatewayv2StageThrottled,
    apigatewayv2StageAccessLogs,
    apigatewayv2StageStructuredAccessLogs,
    apigatewayv2RouteAuthorized,
];
