import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { openLoopLoad } from "../../bench/open-loop";

/** A server that answers one request at a time, each `serviceMs` after it started on it. */
async function serialServer(serviceMs: number): Promise<{ url: string; server: Server; arrivals: number[] }> {
    const arrivals: number[] = [];
    let busyUntil = 0;
    const server = createServer((request, response) => {
        request.resume();
        request.once("end", () => {
            arrivals.push(Date.now());
            const start = Math.max(Date.now(), busyUntil);
            busyUntil = start + serviceMs;
            setTimeout(() => response.writeHead(202).end("{}"), busyUntil - Date.now());
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`, server, arrivals };
}

describe("open-loop load generator", () => {
    let server: Server | undefined;
    afterEach(async () => {
        const running = server;
        server = undefined;
        if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
    });

    const load = (url: string, ratePerSecond: number, seconds: number, connections: number) =>
        openLoopLoad({ url, method: "POST", headers: { "content-type": "application/json" }, body: "{}", ratePerSecond, seconds, connections });

    it("should send on schedule whatever the answers take, and count the queueing in each latency", async () => {
        // 20 requests due over 0.5 s, a server that takes 50 ms each, one at a time: it needs 1 s.
        const s = await serialServer(50);
        server = s.server;
        const result = await load(s.url, 40, 0.5, 20);
        expect(result.sent).to.equal(20);
        expect(result.statuses).to.deep.equal({ 202: 20 });
        expect(result.errors).to.equal(0);
        expect(result.latenciesMs).to.have.length(20);
        // Every request reached the server before the 20th answer could have come back (a closed loop would wait for each).
        expect(s.arrivals[19] - s.arrivals[0]).to.be.below(1000);
        // The last request, due at 475 ms, cannot be answered before 20 x 50 ms: its latency from its due time is at least 525 ms,
        // where a closed loop would report about 50 ms for every request.
        expect(Math.max(...result.latenciesMs)).to.be.at.least(500);
        expect(result.elapsedSeconds).to.be.at.least(1 - 0.05);
    });

    it("should make a request wait for a free connection, and count that wait too", async () => {
        // One connection, 10 requests due over 0.25 s, a server that answers in 50 ms: each waits for the one before it.
        const s = await serialServer(50);
        server = s.server;
        const result = await load(s.url, 40, 0.25, 1);
        expect(result.statuses).to.deep.equal({ 202: 10 });
        // The last, due at 225 ms, is answered no earlier than 10 x 50 ms.
        expect(Math.max(...result.latenciesMs)).to.be.at.least(10 * 50 - 225 - 5);
    });

    it("should count a refused connection as an error, not as an answer", async () => {
        const s = await serialServer(1);
        await new Promise<void>((resolve) => s.server.close(() => resolve()));
        const result = await load(s.url, 10, 0.3, 2);
        expect(result.sent).to.equal(3);
        expect(result.errors).to.equal(3);
        expect(result.latenciesMs).to.deep.equal([]);
    });
});
