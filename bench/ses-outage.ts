/**
 * `npx tsx bench/ses-outage.ts`: the time until every order is confirmed after a 30-second SES
 * outage, on the local pipeline with the deployed defaults (ProcessOrder timeout 30 s, visibility
 * timeout 181 s, 3 receives), without retry backoff (every failed record waits the visibility
 * timeout) and with it (transient failures come back after 15-30 s, then 30-60 s).
 * `-- --orders N` and `-- --outage S` change the sizes.
 */
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { startEmulators } from "../local/emulators/emulators";
import { createLocalClients } from "../local/pipeline/local-clients";
import { startLocalPipeline } from "../local/pipeline/pipeline";
import { countMessages } from "../local/pipeline/pipeline-stats";
import { sampleOrder, seededRandom } from "./orders";
import { startFaultProxy } from "./fault-proxy";

/** What one variant gave. */
export interface OutageResult {
    readonly variant: "before (no backoff)" | "after (backoff)";
    /** Seconds from the start of the outage until every accepted order was CONFIRMED. */
    readonly recoverySeconds: number;
    readonly orders: number;
    readonly confirmed: number;
    readonly dlq: number;
}

/**
 * Runs one variant: orders posted while SES answers 503, SES back after `outageSeconds`, then waits
 * until every order is CONFIRMED (its confirmation sent) or in the DLQ.
 */
export async function measureOutageRecovery(options: { readonly backoff: boolean; readonly orders: number; readonly outageSeconds: number; readonly limitSeconds: number }): Promise<OutageResult> {
    const emulators = await startEmulators();
    const proxy = await startFaultProxy({ target: emulators.endpoints.ses, protocol: "ses", failureRate: 0 });
    const clients = createLocalClients(emulators.endpoints);
    const pipeline = await startLocalPipeline({
        emulators,
        name: options.backoff ? "outage-after" : "outage-before",
        args: { email: { sender: "shop@example.com" } },
        overrides: options.backoff ? {} : { retryBaseDelaySeconds: false },
        handlerEndpoints: { ses: proxy.url },
    });
    try {
        const doc = DynamoDBDocumentClient.from(clients.dynamodb);
        proxy.setDown(true);
        const outageStart = performance.now();
        const random = seededRandom(7);
        const orderIds: string[] = [];
        for (let i = 0; i < options.orders; i++) {
            const response = await fetch(`${pipeline.apiUrl}/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleOrder(random, i)) });
            if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}`);
            orderIds.push(((await response.json()) as { orderId: string }).orderId);
        }
        const upTimer = setTimeout(() => proxy.setDown(false), Math.max(0, options.outageSeconds * 1000 - (performance.now() - outageStart)));
        const pending = new Set(orderIds);
        let dlq = 0;
        while (pending.size > 0) {
            for (const orderId of [...pending]) {
                const { Item } = await doc.send(new GetCommand({ TableName: pipeline.resources.tableName, Key: { orderId }, ConsistentRead: true }));
                if (Item?.status === "CONFIRMED") pending.delete(orderId);
            }
            dlq = await countMessages(clients.sqs, pipeline.resources.dlqUrl);
            if (pending.size === 0 || pending.size <= dlq) break;
            if (performance.now() - outageStart > options.limitSeconds * 1000) break;
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
        clearTimeout(upTimer);
        return {
            variant: options.backoff ? "after (backoff)" : "before (no backoff)",
            recoverySeconds: (performance.now() - outageStart) / 1000,
            orders: orderIds.length,
            confirmed: orderIds.length - pending.size,
            dlq,
        };
    } finally {
        await pipeline.stop();
        clients.destroy();
        await proxy.close();
        await emulators.stop();
    }
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { orders: { type: "string" }, outage: { type: "string" } } });
    const orders = Number(values.orders ?? 20);
    const outageSeconds = Number(values.outage ?? 30);
    const limitSeconds = 600;
    const results: OutageResult[] = [];
    for (const backoff of [false, true]) {
        const result = await measureOutageRecovery({ backoff, orders, outageSeconds, limitSeconds });
        results.push(result);
        process.stdout.write(
            `${result.variant.padEnd(20)} every order confirmed ${result.recoverySeconds.toFixed(1)} s after the outage began ` +
                `(${result.confirmed}/${result.orders} confirmed, ${result.dlq} in the DLQ)\n`,
        );
    }
    const [before, after] = results;
    process.stdout.write(`SES outage of ${outageSeconds} s, ${orders} orders: recovery ${before.recoverySeconds.toFixed(1)} s -> ${after.recoverySeconds.toFixed(1)} s (${(before.recoverySeconds / after.recoverySeconds).toFixed(1)}x faster)\n`);
}

if (require.main === module) {
    main().catch((err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exitCode = 1;
    });
}
