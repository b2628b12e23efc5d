/**
 * A recording proxy in front of the emulators: every AWS request a handler sends through it is
 * forwarded, unchanged, to the emulator of its service, and recorded as it went over the wire
 * (the signing service, method, path, `X-Amz-Target` and body). It works below the SDK, so it sees
 * the calls of handler bundles running in local mode's vm sandbox as well as any other client.
 * Listens on 127.0.0.1, on a port the OS chooses.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as it went over the wire. */
export interface WireRequest {
    /** Who sent it: the function whose SDK clients point at this proxy. */
    readonly caller: string;
    /** The service the request was signed for (SigV4 credential scope): `dynamodb`, `sqs`, `ses`, `events`, `states`. */
    readonly service: string;
    readonly method: string;
    readonly path: string;
    /** `X-Amz-Target` of the JSON protocols, e.g. `DynamoDB_20120810.PutItem`. */
    readonly target: string | undefined;
    readonly contentType: string;
    readonly body: string;
}

/** A running proxy. */
export interface RecordingProxy {
    /** `http://127.0.0.1:<port>`: give it as every service's endpoint. */
    readonly endpoint: string;
    /** Answers the next `count` requests to `service` with a 500 (recorded all the same): a transient fault. */
    failNext(service: string, count: number): void;
    stop(): Promise<void>;
}

/** The service in a SigV4 `Authorization` header: `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
export function signingService(authorization: string | undefined): string | undefined {
    return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? "")?.[1];
}

function readBody(request: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => resolve(Buffer.concat(chunks)));
        request.on("error", reject);
    });
}

function fail(response: ServerResponse, message: string): void {
    response.writeHead(502, { "content-type": "text/plain" });
    response.end(message);
}

/**
 * Starts a proxy for `caller` that sends each request to `upstreams[<signing service>]` and calls
 * `record` with it before forwarding. A request for a service without an upstream is recorded and
 * answered 502, so that a call to a service the test did not expect still shows in the record.
 */
export async function startRecordingProxy(options: {
    readonly caller: string;
    readonly upstreams: Readonly<Record<string, string>>;
    readonly record: (request: WireRequest) => void;
}): Promise<RecordingProxy> {
    const pendingFaults = new Map<string, number>();
    const server = createServer(async (request, response) => {
        try {
            const body = await readBody(request);
            const service = signingService(request.headers.authorization) ?? "unsigned";
            options.record({
                caller: options.caller,
                service,
                method: request.method ?? "GET",
                path: request.url ?? "/",
                target: request.headers["x-amz-target"] as string | undefined,
                contentType: String(request.headers["content-type"] ?? ""),
                body: body.toString("utf8"),
            });
            const faults = pendingFaults.get(service) ?? 0;
            if (faults > 0) {
                pendingFaults.set(service, faults - 1);
                response.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
                return response.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "injected fault" }));
            }
            const upstream = options.upstreams[service];
            if (upstream === undefined) return fail(response, `no emulator for service ${service}`);
            const url = new URL(upstream);
            const forwarded = httpRequest(
                { host: url.hostname, port: url.port, method: request.method, path: request.url, headers: { ...request.headers, host: url.host } },
                (answer) => {
                    response.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(response);
                },
            );
            forwarded.on("error", (error) => fail(response, error.message));
            forwarded.end(body);
        } catch (error) {
            fail(response, (error as Error).message);
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        failNext: (service, count) => void pendingFaults.set(service, count),
        stop: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
