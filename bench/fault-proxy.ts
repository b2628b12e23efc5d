import { createHash } from "node:crypto";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** The wire protocol of the service behind the proxy, which decides how an injected error looks. */
export type FaultProtocol = "dynamodb" | "ses";

/**
 * Injected faults:
 * - `server-error`: HTTP 500 with the service's InternalFailure/InternalServerError body;
 * - `throttle`: HTTP 400 with the service's throttling error;
 * - `drop`: the connection is closed before the request reaches the service;
 * - `lost-response`: the request reaches the service and takes effect, then the connection is
 *   closed before the answer gets back (the client cannot tell whether it happened).
 */
export type Fault = "server-error" | "throttle" | "drop" | "lost-response";

/** Settings of {@link startFaultProxy}. */
export interface FaultProxyOptions {
    /** The service, `http://127.0.0.1:<port>`. */
    readonly target: string;
    readonly protocol: FaultProtocol;
    /** Share of requests failed before they reach the service, spread evenly over server-error, throttle and drop. */
    readonly failureRate: number;
    /** Share of the requests that did reach the service whose answer is then lost. Defaults to 0. */
    readonly lostResponseRate?: number;
    /**
     * Most times in a row the same request (same operation and body, as a client's retry sends it)
     * is failed; the next attempt gets through. Models transient faults that a client's bounded
     * retries outlast. Defaults to unlimited (every attempt rolls the dice independently).
     */
    readonly maxConsecutiveFailures?: number;
    /** Random numbers in [0, 1); a seeded generator makes a run reproducible. Defaults to Math.random. */
    readonly random?: () => number;
}

/** A running proxy. */
export interface FaultProxy {
    /** `http://127.0.0.1:<port>`: give this to the client instead of the service's address. */
    readonly url: string;
    /** Requests passed through, and faults injected by kind. */
    readonly counts: { forwarded: number; held: number; refused: number } & Record<Fault, number>;
    /** While on, every request is held without an answer (a service that hangs). */
    setHanging(hanging: boolean): void;
    /**
     * While on, every request is answered 503 in the service's protocol (a service in an outage),
     * which the SDK reads as a server error and, after its own retries, throws.
     */
    setDown(down: boolean): void;
    /** Stops the proxy and drops every connection, held requests included. */
    close(): Promise<void>;
}

/** The error a real service sends for an injected fault, in its own protocol. */
function errorResponse(protocol: FaultProtocol, fault: "server-error" | "throttle" | "unavailable"): { status: number; type: string; body: string; errorType?: string } {
    if (fault === "unavailable") {
        return protocol === "dynamodb"
            ? { status: 503, type: "application/x-amz-json-1.0", body: JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#ServiceUnavailable", message: "Service unavailable (outage)" }) }
            : { status: 503, type: "application/json", errorType: "ServiceUnavailable", body: JSON.stringify({ message: "Service unavailable (outage)" }) };
    }
    if (protocol === "dynamodb") {
        const [status, code, message] =
            fault === "server-error"
                ? [500, "InternalServerError", "Internal server error (injected)"]
                : [400, "ThrottlingException", "Rate of requests exceeds the allowed throughput (injected)"];
        return { status, type: "application/x-amz-json-1.0", body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message }) };
    }
    // SES v2 (REST-JSON): the error code in x-amzn-ErrorType, the message in a JSON body.
    const [status, code, message] =
        fault === "server-error" ? [500, "InternalFailure", "Internal failure (injected)"] : [429, "TooManyRequestsException", "Maximum sending rate exceeded (injected)"];
    return { status, type: "application/json", errorType: code, body: JSON.stringify({ message }) };
}

/** Sends an injected error as the service would. */
function answerWith(res: ServerResponse, error: ReturnType<typeof errorResponse>): void {
    res.writeHead(error.status, { "content-type": error.type, "x-amzn-requestid": "injected", ...(error.errorType ? { "x-amzn-errortype": error.errorType } : {}) });
    res.end(error.body);
}

/**
 * An HTTP proxy on 127.0.0.1 that fails a share of the requests it passes to an emulator, the way
 * a real service and network fail: 5xx, throttling, dropped connections, lost answers, or hanging.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
    const target = new URL(options.target);
    const random = options.random ?? Math.random;
    const counts = { forwarded: 0, held: 0, refused: 0, "server-error": 0, throttle: 0, drop: 0, "lost-response": 0 };
    let hanging = false;
    let down = false;
    const sockets = new Set<Socket>();
    // Consecutive injected failures per request fingerprint.
    const failuresInARow = new Map<string, number>();
    const fingerprint = (req: IncomingMessage, body: Buffer) =>
        createHash("sha256").update(`${req.method} ${req.url} ${req.headers["x-amz-target"] ?? ""}\n`).update(body).digest("hex");

    const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
        const loseAnswer = random() < (options.lostResponseRate ?? 0);
        const upstream = request(
            { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
            (answer) => {
                const chunks: Buffer[] = [];
                answer.on("data", (c: Buffer) => chunks.push(c));
                answer.on("end", () => {
                    counts.forwarded++;
                    if (loseAnswer) {
                        counts["lost-response"]++;
                        req.socket.destroy();
                        return;
                    }
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    res.end(Buffer.concat(chunks));
                });
            },
        );
        upstream.on("error", () => req.socket.destroy());
        upstream.end(body);
    };

    const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            if (hanging) {
                counts.held++;
                return;
            }
            if (down) {
                counts.refused++;
                return answerWith(res, errorResponse(options.protocol, "unavailable"));
            }
            const body = Buffer.concat(chunks);
            const key = fingerprint(req, body);
            const inARow = failuresInARow.get(key) ?? 0;
            const roll = random();
            if (roll < options.failureRate && inARow < (options.maxConsecutiveFailures ?? Number.POSITIVE_INFINITY)) {
                failuresInARow.set(key, inARow + 1);
                const fault = (["server-error", "throttle", "drop"] as const)[Math.floor((roll / options.failureRate) * 3)];
                counts[fault]++;
                if (fault === "drop") {
                    req.socket.destroy();
                    return;
                }
                return answerWith(res, errorResponse(options.protocol, fault));
            }
            failuresInARow.delete(key);
            forward(req, res, body);
        });
    });
    server.on("connection", (socket: Socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        counts,
        setHanging: (on) => (hanging = on),
        setDown: (on) => (down = on),
        close: () =>
            new Promise<void>((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
            }),
    };
}
