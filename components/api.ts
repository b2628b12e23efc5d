import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import type { JwtAuthorizerConfig } from "./auth";
import { physicalName } from "./naming";
import type { ComponentSettings } from "./settings";

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
    /** Only callers with a valid token reach the function (the API's JWT authorizer). Defaults to false. */
    readonly requireSignIn?: boolean;
}

/** The HTTP API and everything that wires it to the functions. */
export interface OrdersApi {
    readonly api: aws.apigatewayv2.Api;
    readonly stage: aws.apigatewayv2.Stage;
    readonly accessLogGroup: aws.cloudwatch.LogGroup;
    readonly integrations: Record<string, aws.apigatewayv2.Integration>;
    readonly routes: Record<string, aws.apigatewayv2.Route>;
    readonly permissions: Record<string, aws.lambda.Permission>;
    /** The JWT authorizer, when sign-in is on. */
    readonly authorizer: aws.apigatewayv2.Authorizer | undefined;
}

/** Where API Gateway's JWT authorizer reads the token: the `Authorization` header (`Bearer <token>`). */
export const JWT_IDENTITY_SOURCE = "$request.header.Authorization";

/** The request header a browser must be allowed to send (CORS) once routes need a token. */
export const AUTHORIZATION_HEADER = "authorization";

/** The CORS request headers: the configured ones, plus `authorization` when the API has an authorizer. */
export function corsAllowHeaders(configured: readonly string[], withAuthorizer: boolean): string[] {
    const headers = [...configured];
    if (withAuthorizer && !headers.some((h) => h.toLowerCase() === AUTHORIZATION_HEADER)) headers.push(AUTHORIZATION_HEADER);
    return headers;
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
 * only this API, on this route, invoke it. With `jwtAuthorizer`, a JWT authorizer (`${name}-authorizer`)
 * checks the `Authorization` header's token against the issuer and audience on every route that
 * has `requireSignIn`; API Gateway answers 401 itself when the token is missing or invalid.
 */
export function createApi(
    settings: Pick<ComponentSettings, "name" | "api" | "logRetentionDays" | "tags">,
    routeSpecs: readonly RouteSpec[],
    parent: pulumi.Resource,
    jwtAuthorizer?: JwtAuthorizerConfig,
): OrdersApi {
    const { name, api: config, tags } = settings;
    const cors = config.cors;
    const unprotectable = routeSpecs.filter((r) => r.requireSignIn && jwtAuthorizer === undefined).map((r) => `${r.method} ${r.path}`);
    if (unprotectable.length > 0) {
        // A route that asks for sign-in must never be published open.
        throw new Error(`createApi: ${unprotectable.join(", ")} require sign-in but no JWT authorizer was given`);
    }
    const api = new aws.apigatewayv2.Api(
        `${name}-api`,
        {
            protocolType: "HTTP",
            description: "Order pipeline: POST /orders, GET /orders/{orderId}",
            corsConfiguration: cors && {
                allowOrigins: [...cors.allowOrigins],
                allowMethods: [...new Set(routeSpecs.map((r) => r.method)), "OPTIONS"],
                allowHeaders: corsAllowHeaders(cors.allowHeaders, jwtAuthorizer !== undefined),
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

    const authorizer =
        jwtAuthorizer &&
        new aws.apigatewayv2.Authorizer(
            `${name}-authorizer`,
            {
                apiId: api.id,
                name: `${name}-jwt`,
                authorizerType: "JWT",
                identitySources: [JWT_IDENTITY_SOURCE],
                jwtConfiguration: { issuer: jwtAuthorizer.issuer, audiences: jwtAuthorizer.audience },
            },
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
            {
                apiId: api.id,
                routeKey: `${spec.method} ${spec.path}`,
                target: pulumi.interpolate`integrations/${integration.id}`,
                ...(spec.requireSignIn && authorizer ? { authorizationType: "JWT", authorizerId: authorizer.id } : {}),
            },
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
    return { api, stage, accessLogGroup, integrations, routes, permissions, authorizer };
}
