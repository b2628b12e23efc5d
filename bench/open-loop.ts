import * as http from "node:http";
import { performance } from "node:perf_hooks";

/** Settings of {@link openLoopLoad}. */
export interface OpenLoopOptions {
    readonly url: string;
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    /** Requests started per second, evenly spaced, whatever the answers take. */
    readonly ratePerSecond: number;
    readonly seconds: number;
    /** Most keep-alive connections open at once; a request due while all are busy waits for one. */
    readonly connections: number;
    /** Longest wait for one answer, in ms; past it the request counts as an error. Defaults to 30 000. */
    readonly timeoutMs?: number;
}

/** What a fixed-rate load gave. */
export interface OpenLoopResult {
    /** Requests due in the load's time (rate x seconds), every one sent. */
    readonly sent: number;
    /** Answers by status code. */
    readonly statuses: Readonly<Record<number, number>>;
    /** Requests that got no answer (connection error or timeout). */
    readonly errors: number;
    /**
     * Per 2xx answer, ms from the moment the request was due to the end of its answer: service
     * time plus every wait (for a free connection, in the server's queues, for this process's own
     * event loop), so no queueing is left out however slow the server gets.
     */
    readonly latenciesMs: readonly number[];
    /** Per request, ms from the moment it was due to the moment this process issued it (its own lag). */
    readonly issueLagMs: readonly number[];
    /** Seconds from the first request due to the last answer. */
    readonly elapsedSeconds: number;
}

/**
 * An open-loop load: requests start on a fixed schedule (one every 1000 / rate ms), not when an
 * earlier answer came back, and each latency counts from the request's scheduled time, as wrk2
 * does. A closed loop (a fixed number of connections, each sending when its previous answer
 * arrives) measures only the throughput at saturation: its mean latency is connections /
 * throughput (Little's law), and a stall delays the requests it would have sent instead of
 * showing in their latency (coordinated omission).
 */
export async function openLoopLoad(options: OpenLoopOptions): Promise<OpenLoopResult> {
    const target = new URL(options.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
    const total = Math.round(options.ratePerSecond * options.seconds);
    const intervalMs = 1000 / options.ratePerSecond;
    const statuses: Record<number, number> = {};
    const latenciesMs: number[] = [];
    const issueLagMs: number[] = [];
    let errors = 0;
    let lastAnswer = 0;
    const body = Buffer.from(options.body);
    const headers = { ...options.headers, "content-length": String(body.length) };

    const send = (due: number) =>
        new Promise<void>((resolve) => {
            issueLagMs.push(performance.now() - due);
            const done = (status: number | undefined) => {
                const now = performance.now();
                lastAnswer = Math.max(lastAnswer, now);
                if (status === undefined) errors++;
                else {
                    statuses[status] = (statuses[status] ?? 0) + 1;
                    if (status >= 200 && status < 300) latenciesMs.push(now - due);
                }
                resolve();
            };
            const request = http.request(
                { host: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method, headers, agent, timeout: options.timeoutMs ?? 30_000 },
                (response) => {
                    response.resume();
                    response.once("end", () => done(response.statusCode));
                    response.once("error", () => done(undefined));
                },
            );
            request.once("timeout", () => request.destroy(new Error("timed out")));
            request.once("error", () => done(undefined));
            request.end(body);
        });

    const started = performance.now();
    const inFlight: Array<Promise<void>> = [];
    await new Promise<void>((resolve) => {
        let issued = 0;
        const tick = () => {
            const now = performance.now();
            // Every request already due goes now, each with its own due time: a late tick never drops one.
            while (issued < total && started + issued * intervalMs <= now) inFlight.push(send(started + issued++ * intervalMs));
            if (issued >= total) return resolve();
            setTimeout(tick, Math.max(0, started + issued * intervalMs - performance.now()));
        };
        tick();
    });
    await Promise.all(inFlight);
    agent.destroy();
    return { sent: total, statuses, errors, latenciesMs, issueLagMs, elapsedSeconds: (lastAnswer - started) / 1000 };
}
