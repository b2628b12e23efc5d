import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { isUtf8 } from "node:buffer";
import { LOCAL_ACCOUNT_ID } from "../lambda/lambda-environment";

/** The parts of an HTTP request an HTTP API event is made of. */
export interface IncomingRequest {
    readonly method: string;
    /** The request target as sent: path and query string, still percent-encoded. */
    readonly url: string;
    /** Header names and values in the order received, as Node's `rawHeaders` lists them. */
    readonly rawHeaders: readonly string[];
    readonly body: Buffer;
    readonly sourceIp: string;
    readonly localPort: number;
}

/** The route a request matched. */
export interface MatchedRoute {
    /** e.g. `GET /orders/{orderId}`. */
    readonly routeKey: string;
    /** Values of the route's `{name}` segments; undefined when the route has none. */
    readonly pathParameters: Record<string, string> | undefined;
}

/** Identity of the local API, as it appears in `requestContext`. */
export interface ApiIdentity {
    readonly apiId: string;
    readonly requestId: string;
    /** Epoch milliseconds at which the request arrived. */
    readonly timeEpoch: number;
}

/**
 * Media types API Gateway passes to Lambda as text. Any other body (form posts, octet streams,
 * or no content type at all) arrives base64-encoded with `isBase64Encoded: true`.
 */
export function isTextContentType(contentType: string | undefined): boolean {
    if (!contentType) return false;
    const type = contentType.split(";")[0].trim().toLowerCase();
    return (
        type.startsWith("text/") ||
        type === "application/json" ||
        type.endsWith("+json") ||
        type === "application/xml" ||
        type.endsWith("+xml") ||
        type === "application/javascript"
    );
}

/**
 * Header names lower-cased, repeated headers joined with commas (payload format 2.0 has no
 * multi-value headers); `cookie` headers are split out into `cookies`.
 */
function collectHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
    const headers: Record<string, string> = {};
    const cookies: string[] = [];
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
        const name = rawHeaders[i].toLowerCase();
        const value = rawHeaders[i + 1];
        if (name === "cookie") {
            cookies.push(...value.split(";").map((c) => c.trim()).filter((c) => c.length > 0));
            continue;
        }
        headers[name] = Object.hasOwn(headers, name) ? `${headers[name]},${value}` : value;
    }
    return { headers, cookies };
}

function decodeComponent(text: string): string {
    try {
        return decodeURIComponent(text.replaceAll("+", " "));
    } catch {
        return text;
    }
}

/** Query parameters decoded, repeated names joined with commas; undefined when there are none. */
function parseQuery(rawQueryString: string): Record<string, string> | undefined {
    if (rawQueryString === "") return undefined;
    const params: Record<string, string> = {};
    for (const pair of rawQueryString.split("&")) {
        if (pair === "") continue;
        const eq = pair.indexOf("=");
        const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
        const value = eq < 0 ? "" : decodeComponent(pair.slice(eq + 1));
        params[name] = Object.hasOwn(params, name) ? `${params[name]},${value}` : value;
    }
    return Object.keys(params).length > 0 ? params : undefined;
}

/** English month abbreviations: `toLocaleString` would cost tens of microseconds per request. */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
export function clfTime(epochMs: number): string {
    const d = new Date(epochMs);
    const month = MONTHS[d.getUTCMonth()];
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** An X-Ray style trace header, which API Gateway adds to every request it forwards. */
function traceId(epochMs: number, requestId: string): string {
    const hex = Buffer.from(requestId.replaceAll("-", "")).toString("hex").padEnd(24, "0").slice(0, 24);
    return `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${hex}`;
}

/**
 * Turns an HTTP request into the event API Gateway sends a Lambda integration with payload format
 * version 2.0: lower-cased, comma-joined headers plus the `x-forwarded-*` and `x-amzn-trace-id`
 * headers API Gateway adds, `cookies`, decoded query parameters, path parameters of the matched
 * route, `requestContext` with the HTTP details, and the body, base64-encoded unless its content
 * type is text and it is valid UTF-8. A request without a body has no `body` field.
 */
export function toHttpApiEvent(request: IncomingRequest, route: MatchedRoute, api: ApiIdentity): APIGatewayProxyEventV2 {
    const queryAt = request.url.indexOf("?");
    const rawPath = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
    const rawQueryString = queryAt < 0 ? "" : request.url.slice(queryAt + 1);
    const { headers, cookies } = collectHeaders(request.rawHeaders);
    headers["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${request.sourceIp}` : request.sourceIp;
    headers["x-forwarded-port"] = String(request.localPort);
    headers["x-forwarded-proto"] = "http";
    headers["x-amzn-trace-id"] = traceId(api.timeEpoch, api.requestId);
    const domainName = headers.host ?? `127.0.0.1:${request.localPort}`;
    const queryStringParameters = parseQuery(rawQueryString);
    const hasBody = request.body.length > 0;
    // A "text" body that is not well-formed UTF-8 goes base64-encoded, so that the function sees the
    // exact bytes and can reject them, rather than text with U+FFFD where the bad bytes were.
    const asText = isTextContentType(headers["content-type"]) && isUtf8(request.body);

    return {
        version: "2.0",
        routeKey: route.routeKey,
        rawPath,
        rawQueryString,
        ...(cookies.length > 0 ? { cookies } : {}),
        headers,
        ...(queryStringParameters ? { queryStringParameters } : {}),
        ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
        requestContext: {
            accountId: LOCAL_ACCOUNT_ID,
            apiId: api.apiId,
            domainName,
            domainPrefix: domainName.split(".")[0],
            http: {
                method: request.method,
                path: rawPath,
                protocol: "HTTP/1.1",
                sourceIp: request.sourceIp,
                userAgent: headers["user-agent"] ?? "",
            },
            requestId: api.requestId,
            routeKey: route.routeKey,
            stage: "$default",
            time: clfTime(api.timeEpoch),
            timeEpoch: api.timeEpoch,
        },
        ...(hasBody ? { body: asText ? request.body.toString("utf8") : request.body.toString("base64") } : {}),
        isBase64Encoded: hasBody && !asText,
    };
}
