import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "./naming";
import type { PipelineSettings } from "./settings";

/** One API route and the function behind it. */
export interface RouteSpec {
    /** Short name used in resource names, e.g. `submit`. */
    readonly role: string;
    /** HTTP method, e.g. `POST`. */
    readonly method: "GET" | "POST";
    /** Route path, e.g. `/orders/{orderId}`. */
    readonly path: string;
    /** The function that answers the route. */
    readonly function: aws.lambda.Function;
}

/** The HTTP API and everything that wires it to the functions. */
export interface OrdersApi {
    readonly api: aws.apigatewayv2.Api;
    readonly stage: aws.apigatewayv2.Stage;
    readonly accessLogGroup: aws.cloudwatch.LogGroup;
    readonly integrations: Record<string, aws.apigatewayv2.Integration>;
    readonly routes: Record<string, aws.apigatewayv2.Route>;
    readonly permissions: Record<string, aws.lambda.Permission>;
}

/** One JSON object per request in the access log: who, what, the outcome and the time spent. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    routeKey: "$context.routeKey",
    path: "$context.path",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationStatus: "$context.integrationStatus",
    integrationLatency: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
    errorMessage: "$context.error.message",
});

/**
 * The execute-api ARN pattern for one route in any stage of this API, as API Gateway presents it
 * to Lambda: `<execution ARN>/<stage>/<METHOD>/<path>`, with each path parameter matched by `*`.
 */
export function routeSourceArn(executionArn: pulumi.Input<string>, method: string, path: string): pulumi.Output<string> {
    const pathPattern = path.replace(/\{[^}]+\}/g, "*");
    return pulumi.interpolate`${executionArn}/*/${method}${pathPattern}`;
}

/**
 * Creates the HTTP API (`${name}-api`): one Lambda proxy integration (payload format 2.0) and route
 * per spec, a `$default` stage with auto-deploy, default-route throttling and JSON access logs in
 * their own log group with retention, optional CORS, and for each function a permission that lets
 * only this API, on this route, invoke it.
 */
export function createApi(settings: PipelineSettings, routeSpecs: readonly RouteSpec[], parent: pulumi.Resource): OrdersApi {
    const { name, api: config, tags } = settings;
    const cors = config.cors;
    const api = new aws.apigatewayv2.Api(
        `${name}-api`,
        {
            protocolType: "HTTP",
            description: "Order pipeline: POST /orders, GET /orders/{orderId}",
            corsConfiguration: cors && {
                allowOrigins: [...cors.allowOrigins],
                allowMethods: [...new Set(routeSpecs.map((r) => r.method)), "OPTIONS"],
                allowHeaders: [...cors.allowHeaders],
                exposeHeaders: [...cors.exposeHeaders],
                maxAge: cors.maxAgeSeconds,
            },
            tags,
        },
        { parent },
    );
    const accessLogGroup = new aws.cloudwatch.LogGroup(
        `${name}-api-logs`,
        { name: `/aws/apigateway/${physicalName(name, "api")}`, retentionInDays: settings.logRetentionDays, tags },
        { parent },
    );

    const integrations: Record<string, aws.apigatewayv2.Integration> = {};
    const routes: Record<string, aws.apigatewayv2.Route> = {};
    const permissions: Record<string, aws.lambda.Permission> = {};
    for (const spec of routeSpecs) {
        const integration = new aws.apigatewayv2.Integration(
            `${name}-${spec.role}-integration`,
            {
                apiId: api.id,
                integrationType: "AWS_PROXY",
                integrationMethod: "POST",
                integrationUri: spec.function.invokeArn,
                payloadFormatVersion: "2.0",
            },
            { parent },
        );
        integrations[spec.role] = integration;
        routes[spec.role] = new aws.apigatewayv2.Route(
            `${name}-${spec.role}-route`,
            { apiId: api.id, routeKey: `${spec.method} ${spec.path}`, target: pulumi.interpolate`integrations/${integration.id}` },
            { parent },
        );
        permissions[spec.role] = new aws.lambda.Permission(
            `${name}-${spec.role}-invoke`,
            {
                action: "lambda:InvokeFunction",
                function: spec.function.name,
                principal: "apigateway.amazonaws.com",
                sourceArn: routeSourceArn(api.executionArn, spec.method, spec.path),
            },
            { parent },
        );
    }

    const stage = new aws.apigatewayv2.Stage(
        `${name}-stage`,
        {
            apiId: api.id,
            name: "$default",
            autoDeploy: true,
            defaultRouteSettings: {
                throttlingBurstLimit: config.burstLimit,
                throttlingRateLimit: config.rateLimit,
            },
            accessLogSettings: { destinationArn: accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
            tags,
        },
        // Auto-deploy publishes the routes once they exist.
        { parent, dependsOn: Object.values(routes) },
    );
    return { api, stage, accessLogGroup, integrations, routes, permissions };
}
