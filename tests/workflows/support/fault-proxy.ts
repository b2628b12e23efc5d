/**
 * An HTTP proxy on 127.0.0.1 in front of one emulator, that answers chosen requests itself with
 * an error (as the AWS service would: a throttling 400, a 5xx) and passes the rest through. The
 * integrations then meet the failure through the real SDK, and name it as Step Functions would.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An answer the proxy gives instead of the emulator's. */
export interface InjectedFault {
    readonly status: number;
    /** The JSON body, e.g. `{"__type": "com.amazonaws.sqs#KmsThrottled", "message": "..."}`. */
    readonly body: Record<string, unknown>;
    /** Which requests it applies to: a substring of `X-Amz-Target` or of the path. */
    readonly match: string;
}

/** A running proxy. */
export interface FaultProxy {
    readonly endpoint: string;
    /** Answers the next `count` matching requests with `fault`. */
    failNext(count: number, fault: InjectedFault): void;
    /** How many injected answers are still pending. */
    pending(): number;
    stop(): Promise<void>;
}

/** Starts a proxy to `target` (`http://127.0.0.1:<port>`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
    const faults: InjectedFault[] = [];
    const upstream = new URL(target);
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const what = `${String(req.headers["x-amz-target"] ?? "")} ${req.url ?? ""}`;
            const index = faults.findIndex((f) => what.includes(f.match));
            if (index >= 0) {
                const [fault] = faults.splice(index, 1);
                const text = JSON.stringify(fault.body);
                const type = String(fault.body.__type ?? "").split("#").pop() ?? "";
                res.writeHead(fault.status, {
                    "content-type": "application/x-amz-json-1.0",
                    "x-amzn-errortype": type,
                    "x-amzn-query-error": `${type};Sender`,
                    "content-length": Buffer.byteLength(text),
                });
                res.end(text);
                return;
            }
            const forward = httpRequest(
                { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            forward.on("error", () => {
                res.writeHead(502);
                res.end();
            });
            forward.end(Buffer.concat(chunks));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        failNext(count, fault) {
            for (let i = 0; i < count; i++) faults.push(fault);
        },
        pending: () => faults.length,
        stop: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
