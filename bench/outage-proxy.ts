import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A switchable outage in front of one emulator. */
export interface OutageProxy {
    /** `http://127.0.0.1:<port>`: give this to the handlers instead of the emulator's address. */
    readonly url: string;
    /** Requests answered with an error while down, and passed through while up. */
    readonly counts: { refused: number; forwarded: number };
    /** While down, every request gets `503 Service Unavailable` (as a service in an outage answers). */
    setDown(down: boolean): void;
    close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of an emulator that can be switched into an outage: every
 * request is then answered 503 with a JSON error (the REST-JSON protocols' shape, as SES v2 uses),
 * which the SDK reads as a server error and, after its own retries, throws.
 */
export async function startOutageProxy(target: string): Promise<OutageProxy> {
    const upstream = new URL(target);
    const counts = { refused: 0, forwarded: 0 };
    let down = false;
    const sockets = new Set<Socket>();
    const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
        const call = request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        call.on("error", () => req.socket.destroy());
        call.end(body);
    };
    const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            if (down) {
                counts.refused++;
                res.writeHead(503, { "content-type": "application/json", "x-amzn-errortype": "ServiceUnavailable", "x-amzn-requestid": "outage" });
                res.end(JSON.stringify({ message: "Service unavailable (outage)" }));
                return;
            }
            counts.forwarded++;
            forward(req, res, Buffer.concat(chunks));
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
        setDown: (value) => (down = value),
        close: () =>
            new Promise<void>((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
            }),
    };
}
