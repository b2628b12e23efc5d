/**
 * SES's mailbox simulator and event publishing, in front of the SES emulator (aws-ses-v2-local,
 * which accepts and stores email but publishes no events): an HTTP front on 127.0.0.1 that passes
 * every request through unchanged and, for each SES v2 SendEmail the emulator accepts, publishes
 * the records SES would publish to the configuration set's SNS event destination (see
 * ses-event-records.ts), through the real SNS client (event-publish-queue.ts), after the answer
 * has gone back to the caller.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { startSourceThread } from "../source-thread";
import { LOOPBACK } from "./loopback";
import { EventPublishQueue, type PublishCounts, type PublishRecords } from "./event-publish-queue";
import { sesEventRecords, type AcceptedEmail, type SesEventSettings } from "./ses-event-records";
import type { SimulatorThreadCounts, SimulatorThreadData, SimulatorThreadReply, SimulatorThreadRequest } from "./ses-mailbox-simulator-thread-messages";

/** SES v2 SendEmail: `POST /v2/email/outbound-emails`. */
const SEND_EMAIL_PATH = "/v2/email/outbound-emails";

/** Larger than any request SES takes (40 MB messages): beyond it the front answers 413 itself. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** Settings of {@link startSesMailboxSimulator}. */
export interface SesMailboxSimulatorOptions {
    /** The SES emulator every request is passed to. */
    readonly sesEndpoint: string;
    /** The configuration set with the event destination, what it matches, and the account. */
    readonly events: SesEventSettings;
    /** Sends records to the topic (`snsPublisher`). */
    readonly publish: PublishRecords;
    /** Told of a record that could not be published (after the SNS client's retries). */
    readonly onError?: (error: Error) => void;
    /** Told after each email the SES emulator accepted, once its records are queued. */
    readonly onAccepted?: () => void;
    /** Port on 127.0.0.1; 0 (the default) picks a free one. */
    readonly port?: number;
}

/** Counts of the simulator: emails accepted, and their records on the way to the topic. */
export interface SesMailboxSimulatorCounts extends PublishCounts {
    /** SendEmail requests the SES emulator accepted. */
    readonly accepted: number;
}

/** A running simulator. */
export interface SesMailboxSimulator {
    /** Where SES clients send their requests instead of to the emulator: `http://127.0.0.1:<port>`. */
    readonly endpoint: string;
    readonly counts: SesMailboxSimulatorCounts;
    /** Resolves once every record of the emails accepted so far is published (or failed). */
    idle(): Promise<void>;
    /** Stops taking requests, then waits for the records in progress. Safe to call twice. */
    stop(): Promise<void>;
}

/** Reads a SendEmail request and its answer into what was accepted; undefined when they are not one. */
export function acceptedEmail(requestBody: Buffer, responseBody: Buffer, sentAt: Date): AcceptedEmail | undefined {
    let request: any;
    let response: any;
    try {
        request = JSON.parse(requestBody.toString("utf8"));
        response = JSON.parse(responseBody.toString("utf8"));
    } catch {
        return undefined;
    }
    if (typeof response?.MessageId !== "string" || typeof request !== "object" || request === null) return undefined;
    const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
    const tags = Array.isArray(request.EmailTags)
        ? (request.EmailTags as unknown[]).filter((t): t is { Name: string; Value: string } => typeof (t as any)?.Name === "string" && typeof (t as any)?.Value === "string")
        : [];
    const subject = request.Content?.Simple?.Subject?.Data;
    return {
        messageId: response.MessageId,
        from: typeof request.FromEmailAddress === "string" ? request.FromEmailAddress : "",
        to: list(request.Destination?.ToAddresses),
        cc: list(request.Destination?.CcAddresses),
        bcc: list(request.Destination?.BccAddresses),
        ...(typeof subject === "string" ? { subject } : {}),
        ...(typeof request.ConfigurationSetName === "string" ? { configurationSetName: request.ConfigurationSetName } : {}),
        tags: tags.map((t) => ({ Name: t.Name, Value: t.Value })),
        sentAt,
    };
}

/** Starts the front on 127.0.0.1. */
export async function startSesMailboxSimulator(options: SesMailboxSimulatorOptions): Promise<SesMailboxSimulator> {
    const target = new URL(options.sesEndpoint);
    const agent = new http.Agent({ keepAlive: true });
    const queue = new EventPublishQueue(options.publish, options.onError);
    let accepted = 0;
    const counts: SesMailboxSimulatorCounts = {
        get accepted() {
            return accepted;
        },
        get published() {
            return queue.counts.published;
        },
        get failed() {
            return queue.counts.failed;
        },
        get publishing() {
            return queue.counts.publishing;
        },
    };

    const server = http.createServer((req, res) => {
        const sentAt = new Date();
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_REQUEST_BYTES) {
                res.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ message: "Request Entity Too Large" }));
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const forward = http.request(
                { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
                (answer) => {
                    const answerChunks: Buffer[] = [];
                    answer.on("data", (chunk: Buffer) => answerChunks.push(chunk));
                    answer.on("end", () => {
                        const answerBody = Buffer.concat(answerChunks);
                        res.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBody);
                        if (req.method !== "POST" || req.url !== SEND_EMAIL_PATH || answer.statusCode !== 200) return;
                        const email = acceptedEmail(body, answerBody, sentAt);
                        if (!email) return;
                        accepted++;
                        queue.add(sesEventRecords(email, options.events));
                        options.onAccepted?.();
                    });
                    answer.on("error", () => res.destroy());
                },
            );
            forward.on("error", (err) => {
                if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ message: `SES emulator unreachable: ${err.message}` }));
                else res.destroy();
            });
            forward.end(body);
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, LOOPBACK, () => resolve());
    });

    const idle = () => queue.idle();
    let stopping: Promise<void> | undefined;
    return {
        endpoint: `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`,
        counts,
        idle,
        stop: () =>
            (stopping ??= (async () => {
                await new Promise<void>((resolve) => {
                    server.close(() => resolve());
                    server.closeIdleConnections();
                });
                await idle();
                agent.destroy();
            })()),
    };
}

/**
 * {@link startSesMailboxSimulator} on a worker thread of its own, with its own SNS client: the same
 * front, whose forwarding and publishing never wait behind the main thread's work (under load, a
 * front on the main thread slowed SendEmail past the SDK's request timeout, and its retries sent
 * duplicate emails). Its counts are the thread's, as of its last report.
 */
export async function startSesMailboxSimulatorThread(data: SimulatorThreadData, onError?: (error: Error) => void): Promise<SesMailboxSimulator> {
    const { worker, ready, exited } = await startSourceThread<SimulatorThreadReply>(path.join(__dirname, "ses-mailbox-simulator-thread.ts"), data, {
        thread: "the mailbox simulator's thread",
        service: "the mailbox simulator",
    });
    let counts: SimulatorThreadCounts = { accepted: 0, published: 0, failed: 0, publishing: 0 };
    const idleWaiters = new Map<number, () => void>();
    let nextId = 0;
    let stopped: () => void = () => {};
    const stoppedReply = new Promise<void>((resolve) => (stopped = resolve));
    worker.on("message", (reply: SimulatorThreadReply) => {
        if (reply.type === "counts") counts = reply.counts;
        else if (reply.type === "error") onError?.(new Error(reply.message));
        else if (reply.type === "idle") {
            idleWaiters.get(reply.id)?.();
            idleWaiters.delete(reply.id);
        } else if (reply.type === "stopped") stopped();
    });
    const request = (message: SimulatorThreadRequest) => worker.postMessage(message);
    let stopping: Promise<void> | undefined;
    return {
        endpoint: ready.endpoint,
        get counts() {
            return { ...counts };
        },
        idle: () =>
            stopping
                ? stopping
                : new Promise<void>((resolve) => {
                      const id = nextId++;
                      idleWaiters.set(id, resolve);
                      request({ type: "idle", id });
                  }),
        stop: () =>
            (stopping ??= (async () => {
                request({ type: "stop" });
                await Promise.race([stoppedReply, exited]);
                await worker.terminate();
                for (const resolve of idleWaiters.values()) resolve();
                idleWaiters.clear();
            })()),
    };
}
