/**
 * The HTTP side of a small AWS API emulator speaking the AWS JSON protocol (1.0 or 1.1): POST with
 * `X-Amz-Target: <prefix>.<Operation>` and a JSON object body, answered with a JSON body, and errors
 * as `{ "__type", "message" }` with their HTTP status, which the AWS SDK turns into named exceptions.
 * Listens on 127.0.0.1 on a port the OS chooses.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An error the emulated service answers: the HTTP status and the exception name the SDK raises. */
export class AwsApiError extends Error {
    constructor(
        readonly status: number,
        readonly type: string,
        message: string,
    ) {
        super(message);
    }
}

/** True for a JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What an emulator serves. */
export interface AwsJsonServerOptions {
    /** `X-Amz-Target` prefix before the operation name, e.g. `AWSEvents`. */
    readonly targetPrefix: string;
    /** `application/x-amz-json-1.0` or `-1.1`, as the service uses. */
    readonly contentType: string;
    /** Request bodies larger than this are refused before parsing. */
    readonly maxBodyBytes: number;
    /** The operations by name; each gets the parsed body and returns the answer's body, or throws an {@link AwsApiError}. */
    readonly operations: Readonly<Record<string, (input: Record<string, unknown>) => unknown>>;
    /** Consulted before each operation: an answer to give instead (an injected failure), or undefined. */
    readonly intercept?: (operation: string) => { readonly status: number; readonly body: unknown } | undefined;
    /** Told of every answer. */
    readonly onAnswer?: (operation: string, status: number) => void;
}

/** A running emulator's server. */
export interface AwsJsonServer {
    /** `http://127.0.0.1:<port>`. */
    readonly endpoint: string;
    /** Stops listening and closes open connections. */
    stop(): Promise<void>;
}

function send(response: ServerResponse, contentType: string, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text), "x-amzn-requestid": randomUUID() });
    response.end(text);
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let length = 0;
        request.on("data", (chunk: Buffer) => {
            length += chunk.length;
            if (length > maxBytes) {
                reject(new AwsApiError(413, "RequestEntityTooLarge", "Request body too large"));
                request.destroy();
                return;
            }
            chunks.push(chunk);
        });
        request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        request.on("error", reject);
    });
}

/** Starts the server. */
export async function startAwsJsonServer(options: AwsJsonServerOptions): Promise<AwsJsonServer> {
    const server = createServer((request, response) => {
        void (async () => {
            const target = String(request.headers["x-amz-target"] ?? "");
            const prefix = `${options.targetPrefix}.`;
            const operation = target.startsWith(prefix) ? target.slice(prefix.length) : target;
            const answer = (status: number, body: unknown) => {
                options.onAnswer?.(operation, status);
                send(response, options.contentType, status, body);
            };
            try {
                if (request.method !== "POST") throw new AwsApiError(405, "UnknownOperationException", "Only POST is supported");
                const body = await readBody(request, options.maxBodyBytes);
                const injected = options.intercept?.(operation);
                if (injected !== undefined) {
                    answer(injected.status, injected.body);
                    return;
                }
                const handle = Object.hasOwn(options.operations, operation) ? options.operations[operation] : undefined;
                if (!handle) throw new AwsApiError(400, "UnknownOperationException", `Operation ${target} is not supported by this emulator`);
                let input: unknown;
                try {
                    input = JSON.parse(body);
                } catch {
                    throw new AwsApiError(400, "SerializationException", "Request body is not valid JSON");
                }
                if (!isPlainObject(input)) throw new AwsApiError(400, "SerializationException", "Request body is not a JSON object");
                answer(200, handle(input));
            } catch (error) {
                if (error instanceof AwsApiError) answer(error.status, { __type: error.type, message: error.message });
                else answer(500, { __type: "InternalException", message: (error as Error).message });
            }
        })();
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        stop: () =>
            new Promise<void>((resolve, reject) => {
                server.close((error) => (error ? reject(error) : resolve()));
                server.closeAllConnections();
            }),
    };
}
