import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LOOPBACK } from "../emulators/loopback";
import { toHttpApiEvent, type MatchedRoute } from "./http-api-event";
import { PROBLEMS } from "../../handlers/http/problem";
import { fromLambdaResult, gatewayError, gatewayProblem, gatewayUnauthorized, INTERNAL_SERVER_ERROR, type GatewayResponse } from "./http-api-response";
import type { JwtAuthorizer } from "./jwt-authorizer";

/** API Gateway HTTP APIs accept request payloads up to 10 MB (service quota). */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** A synchronous Lambda invocation carries at most 6 MB of event (Lambda quota). */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** One route of the API: `method path` to a function. */
export interface HttpApiRoute {
    readonly method: string;
    /** The route path; a `{name}` segment matches one non-empty path segment, e.g. `/orders/{orderId}`. */
    readonly path: string;
    /** Invokes the integration with an HTTP API 2.0 event; rejects when the function fails. */
    readonly invoke: (event: unknown) => Promise<unknown>;
    /** Only requests whose token the API's authorizer accepts reach the function. Defaults to false. */
    readonly requireSignIn?: boolean;
}

/** Settings of {@link startHttpApi}. */
export interface HttpApiOptions {
    readonly routes: readonly HttpApiRoute[];
    /** Port on 127.0.0.1; 0 (the default) picks a free one. */
    readonly port?: number;
    /** The JWT authorizer of the routes that require sign-in (see `createJwtAuthorizer`). Required if any does. */
    readonly authorizer?: JwtAuthorizer;
    /** Called after each response with its status and the route key it matched, if any. */
    readonly onResponse?: (statusCode: number, routeKey: string | undefined) => void;
}

/** A running local HTTP API. */
export interface HttpApi {
    /** `http://127.0.0.1:<port>`. */
    readonly url: string;
    /** Requests being answered right now. */
    inFlight(): number;
    /** Stops accepting connections, lets requests in progress finish (up to `graceMs`), then closes. */
    close(graceMs?: number): Promise<void>;
}

/** Matches a request path against a route path; returns the path parameters, or undefined. */
export function matchRoutePath(routePath: string, rawPath: string): Record<string, string> | undefined {
    const want = routePath.split("/");
    const got = rawPath.split("/");
    if (want.length !== got.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < want.length; i++) {
        const param = /^\{(\w+)\}$/.exec(want[i]);
        if (param) {
            if (got[i] === "") return undefined;
            try {
                params[param[1]] = decodeURIComponent(got[i]);
            } catch {
                params[param[1]] = got[i];
            }
        } else if (want[i] !== got[i]) {
            return undefined;
        }
    }
    return params;
}

function findRoute(routes: readonly HttpApiRoute[], method: string, rawPath: string): { route: HttpApiRoute; matched: MatchedRoute } | undefined {
    for (const route of routes) {
        if (route.method !== method) continue;
        const params = matchRoutePath(route.path, rawPath);
        if (!params) continue;
        const pathParameters = Object.keys(params).length > 0 ? params : undefined;
        return { route, matched: { routeKey: `${route.method} ${route.path}`, pathParameters } };
    }
    return undefined;
}

/** Reads the body; resolves undefined (after draining the rest) when it exceeds the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= limit) chunks.push(chunk);
            // Far beyond the limit there is nothing left to be polite about.
            else if (size > 4 * limit) req.destroy();
        });
        req.on("end", () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
        // Closed before the end (the client went away, or we cut it off): there is nothing to answer.
        req.on("close", () => resolve(undefined));
        req.on("error", reject);
    });
}

function requestId(): string {
    return randomBytes(12).toString("base64url");
}

function send(res: ServerResponse, response: GatewayResponse, id: string): void {
    if (res.headersSent || res.destroyed) return;
    try {
        for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
        if (response.cookies.length > 0) res.setHeader("set-cookie", [...response.cookies]);
    } catch {
        // A header Node refuses to send (invalid characters) is an invalid integration response.
        return send(res, INTERNAL_SERVER_ERROR(), id);
    }
    res.setHeader("apigw-requestid", id);
    res.setHeader("content-length", response.body.length);
    res.writeHead(response.statusCode);
    res.end(response.body);
}

/** The transfer codings of a request besides `chunked` (which Node.js decodes), lower-cased. */
function transferCodingsOtherThanChunked(header: string | undefined): string[] {
    if (header === undefined) return [];
    return header
        .split(",")
        .map((coding) => coding.trim().toLowerCase())
        .filter((coding) => coding !== "" && coding !== "chunked");
}

/**
 * The local API's own 413, as a problem body like every other refusal of the API (a deployed HTTP
 * API answers its own `{"message":"Request Entity Too Large"}` instead; docs/local-mode.md says so).
 */
function tooLarge(requestId: string): GatewayResponse {
    return gatewayProblem(
        PROBLEMS.contentTooLarge,
        `the request exceeds what the API passes to a function (${MAX_REQUEST_BYTES} bytes of body, ${MAX_INVOKE_PAYLOAD_BYTES} bytes of event)`,
        requestId,
    );
}

/**
 * Serves the routes on 127.0.0.1 the way an API Gateway HTTP API with Lambda proxy integrations
 * (payload format 2.0) does: a request that matches no route gets 404 `{"message":"Not Found"}`,
 * one above the 10 MB payload quota (or whose event would exceed Lambda's 6 MB invocation
 * payload) gets 413 as a problem body, one with a transfer coding other than chunked gets 415 as
 * a problem body, a request to a route that requires sign-in whose token the authorizer refuses
 * gets 401 `{"message":"Unauthorized"}`, a failing or malformed integration response gets 500
 * `{"message":"Internal Server Error"}`; everything else is the function's own answer. An accepted
 * token's claims reach the function in `requestContext.authorizer.jwt`.
 */
export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
    const unprotectable = options.routes.filter((r) => r.requireSignIn && !options.authorizer);
    if (unprotectable.length > 0) {
        // A route that asks for sign-in must never be served open.
        throw new Error(`${unprotectable.map((r) => `${r.method} ${r.path}`).join(", ")} require sign-in but no authorizer was given`);
    }
    const apiId = "local";
    let inFlight = 0;
    let idle: (() => void) | undefined;

    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        const id = requestId();
        const timeEpoch = Date.now();
        let routeKey: string | undefined;
        let response: GatewayResponse;
        try {
            const body = await readBody(req, MAX_REQUEST_BYTES);
            const url = req.url ?? "/";
            const rawPath = url.split("?")[0];
            const found = findRoute(options.routes, req.method ?? "GET", rawPath);
            const codings = transferCodingsOtherThanChunked(req.headers["transfer-encoding"]);
            if (body === undefined) {
                response = tooLarge(id);
            } else if (codings.length > 0) {
                // Node.js removes the chunked framing but not another coding (gzip): the function would
                // get compressed bytes as if they were the body. Refused, like a Content-Encoding.
                response = gatewayProblem(PROBLEMS.unsupportedMediaType, `Transfer-Encoding ${codings.join(", ")} is not supported; send the body uncompressed`, id);
            } else if (!found) {
                response = gatewayError(404, "Not Found");
            } else {
                routeKey = found.matched.routeKey;
                const event = toHttpApiEvent(
                    {
                        method: req.method ?? "GET",
                        url,
                        rawHeaders: req.rawHeaders,
                        body,
                        sourceIp: req.socket.remoteAddress ?? LOOPBACK,
                        localPort: req.socket.localPort ?? 0,
                    },
                    found.matched,
                    { apiId, requestId: id, timeEpoch },
                );
                const decision = found.route.requireSignIn ? await options.authorizer!.authorize(event.headers.authorization) : undefined;
                if (decision && !decision.ok) {
                    response = gatewayUnauthorized(decision.reason);
                } else if (Buffer.byteLength(JSON.stringify(event)) > MAX_INVOKE_PAYLOAD_BYTES) {
                    response = tooLarge(id);
                } else {
                    const authorized = decision?.ok ? { ...event, requestContext: { ...event.requestContext, authorizer: decision.context } } : event;
                    response = await found.route.invoke(authorized).then(fromLambdaResult, INTERNAL_SERVER_ERROR);
                }
            }
        } catch {
            response = INTERNAL_SERVER_ERROR();
        }
        send(res, response, id);
        options.onResponse?.(response.statusCode, routeKey);
    };

    const server = createServer((req, res) => {
        inFlight++;
        handle(req, res).finally(() => {
            inFlight--;
            if (inFlight === 0) idle?.();
        });
    });
    // Node's default closes an idle keep-alive connection after 5 s, which a busy client may reuse
    // in the same instant (its timers run late) and see reset: idle connections may stay longer.
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, LOOPBACK, () => resolve());
    });
    const url = `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;

    let closing: Promise<void> | undefined;
    return {
        url,
        inFlight: () => inFlight,
        close(graceMs = 10_000) {
            closing ??= (async () => {
                const closed = new Promise<void>((resolve) => server.close(() => resolve()));
                server.closeIdleConnections();
                if (inFlight > 0) {
                    let timer: NodeJS.Timeout | undefined;
                    await Promise.race([
                        new Promise<void>((resolve) => (idle = resolve)),
                        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
                    ]);
                    clearTimeout(timer);
                }
                server.closeAllConnections();
                await closed;
            })();
            return closing;
        },
    };
}
