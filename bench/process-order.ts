import { performance } from "node:perf_hooks";
import type { SQSEvent } from "aws-lambda";
import { sentEmails } from "../local/emulators/email-store";
import type { LocalFunction } from "../local/lambda/lambda-sandbox";
import { countItems } from "../local/pipeline/pipeline-stats";
import { alternate } from "./alternate";
import { sideName } from "./bundle-size";
import type { TableUsage } from "./dynamodb-counter";
import { SIDES, type Side } from "./entries";
import type { Figure, Section } from "./figures";
import { postOrderEvent, sampleOrder, seededRandom } from "./orders";
import { deleteRecords, receiveMessages, sqsEventOf } from "./queue";
import type { BenchStack } from "./stack";
import { pairedRatio, summarize } from "./stats";

/** Options of {@link measureProcessOrder}. */
export interface ProcessOrderOptions {
    readonly rounds: number;
    /** Orders per batch: the component's BATCH_SIZE in the full bench. */
    readonly batchSize: number;
    /** Batches per block. */
    readonly batchesPerBlock: number;
    /** Batches processed through the DynamoDB counting proxy (untimed) for the per-order counts. */
    readonly countedBatches: number;
    /** Of those, batches delivered a second time, to count what a redelivery costs. */
    readonly redeliveredBatches: number;
}

/** What one side did in one email mode. */
export interface ProcessTally {
    /** Duration of each batch invocation. */
    readonly batchMs: number[];
    /** Orders per second of each block (for paired ratios). */
    readonly blockRates: number[];
    orders: number;
    /** Orders of the counting pass. */
    countedOrders: number;
    /** DynamoDB use on first delivery, by table. */
    readonly usage: Record<string, TableUsage>;
    /** DynamoDB use of the redelivered batches. */
    readonly redeliveryUsage: Record<string, TableUsage>;
    redeliveredOrders: number;
    /** Bytes the handler wrote (stdout and console). */
    logBytes: number;
    /** Bytes of the platform records Lambda would add at the side's system log level. */
    platformBytes: number;
    emails: number;
    redeliveryEmails: number;
    /** Bytes of the queue messages (SQS bills per 64 KB chunk). */
    messageBytes: number[];
    stored: number;
}

/** Results per email mode ("email", "no-email") and side. */
export type ProcessResults = Record<"email" | "no-email", Record<Side, ProcessTally>>;

function addUsage(into: Record<string, TableUsage>, from: Record<string, TableUsage>): void {
    for (const [table, u] of Object.entries(from)) {
        const target = (into[table] ??= { requests: {}, writeUnits: 0, readUnits: 0, conditionalCheckFailures: 0 });
        target.writeUnits += u.writeUnits;
        target.readUnits += u.readUnits;
        target.conditionalCheckFailures += u.conditionalCheckFailures;
        for (const [op, n] of Object.entries(u.requests)) target.requests[op] = (target.requests[op] ?? 0) + n;
    }
}

/** Sums usage over tables. */
export function totalUsage(usage: Record<string, TableUsage>): { requests: number; writeUnits: number; readUnits: number } {
    let requests = 0;
    let writeUnits = 0;
    let readUnits = 0;
    for (const u of Object.values(usage)) {
        requests += Object.values(u.requests).reduce((a, b) => a + b, 0);
        writeUnits += u.writeUnits;
        readUnits += u.readUnits;
    }
    return { requests, writeUnits, readUnits };
}

/** Receives exactly `size` messages as one SQS event (as the event source mapping would). */
async function receiveBatch(stack: BenchStack, side: Side, size: number): Promise<SQSEvent> {
    return sqsEventOf(stack, side, await receiveMessages(stack, side, size));
}

/**
 * Benchmark 4: ProcessOrder on batches of `batchSize` orders against the emulators. Each side's own
 * SubmitOrder fills its queue first (untimed); then blocks of batches alternate between the
 * sides: receive (untimed), invoke the warm bundle (timed), delete (untimed). DynamoDB requests
 * and units are counted at the emulator; stored items and sent emails are counted afterwards and
 * must match the orders processed. Finally some batches are delivered again, to count what a
 * redelivery costs each design.
 */
export async function measureProcessOrder(stack: BenchStack, options: ProcessOrderOptions): Promise<{ section: Section; results: ProcessResults }> {
    const results = {} as ProcessResults;
    const random = seededRandom(4);
    let sequence = 0;
    const batchSize = options.batchSize;
    // Each side's SubmitOrder fills its queue in both email modes: one sandbox each (untimed).
    const submits = Object.fromEntries(SIDES.map((side) => [side, stack.loadFunction(side, "submit")])) as Record<Side, LocalFunction>;
    for (const mode of ["email", "no-email"] as const) {
        const emailEnabled = mode === "email";
        const perSide = (options.rounds * options.batchesPerBlock + 1 + options.countedBatches) * batchSize;
        const functions = {} as Record<Side, LocalFunction>;
        const counted = {} as Record<Side, LocalFunction>;
        const tallies = {} as Record<Side, ProcessTally>;
        const itemsBefore = {} as Record<Side, number>;
        for (const side of SIDES) {
            const submit = submits[side];
            for (let i = 0; i < perSide; i++) {
                const answer = (await submit.invoke(postOrderEvent(JSON.stringify(sampleOrder(random, sequence++))))) as { statusCode: number };
                if (answer.statusCode !== 202) throw new Error(`${side} SubmitOrder answered ${JSON.stringify(answer)}`);
            }
            functions[side] = stack.loadFunction(side, "process", { emailEnabled });
            counted[side] = stack.loadFunction(side, "process", { emailEnabled, countDynamoDb: true });
            tallies[side] = {
                batchMs: [], blockRates: [], orders: 0, countedOrders: 0, usage: {}, redeliveryUsage: {}, redeliveredOrders: 0,
                logBytes: 0, platformBytes: 0, emails: 0, redeliveryEmails: 0, messageBytes: [], stored: 0,
            };
            itemsBefore[side] = await countItems(stack.dynamodb, stack.resources[side].tableName);
        }
        for (const side of SIDES) {
            // One untimed warm-up batch: the sandbox loads the bundle and its clients connect.
            const warmup = await receiveBatch(stack, side, batchSize);
            await functions[side].invoke(warmup);
            await deleteRecords(stack, side, warmup);
        }

        await alternate(SIDES, options.rounds, async (side) => {
            const fn = functions[side];
            const tally = tallies[side];
            const batches: SQSEvent[] = [];
            for (let b = 0; b < options.batchesPerBlock; b++) batches.push(await receiveBatch(stack, side, batchSize));
            const emailsBefore = emailEnabled ? (await sentEmails(stack.endpoints.ses)).length : 0;
            const logBefore = fn.log.volume.bytes;
            const platformBefore = fn.log.platform.bytes;
            let blockMs = 0;
            for (const event of batches) {
                const start = performance.now();
                const answer = (await fn.invoke(event)) as { batchItemFailures?: unknown[] };
                const elapsed = performance.now() - start;
                if (!answer || !Array.isArray(answer.batchItemFailures) || answer.batchItemFailures.length > 0) {
                    throw new Error(`${side} ProcessOrder reported failures: ${JSON.stringify(answer).slice(0, 300)}`);
                }
                tally.batchMs.push(elapsed);
                blockMs += elapsed;
                for (const r of event.Records) tally.messageBytes.push(Buffer.byteLength(r.body, "utf8"));
            }
            tally.logBytes += fn.log.volume.bytes - logBefore;
            tally.platformBytes += fn.log.platform.bytes - platformBefore;
            if (emailEnabled) tally.emails += (await sentEmails(stack.endpoints.ses)).length - emailsBefore;
            const orders = batches.length * batchSize;
            tally.orders += orders;
            tally.blockRates.push((orders / blockMs) * 1000);
            for (const event of batches) await deleteRecords(stack, side, event);
        });

        for (const side of SIDES) {
            const tally = tallies[side];
            const fn = counted[side];
            // The counting pass: untimed, every DynamoDB request through the counting proxy.
            const countedBatches: SQSEvent[] = [];
            for (let b = 0; b < options.countedBatches; b++) countedBatches.push(await receiveBatch(stack, side, batchSize));
            let emailsBefore = emailEnabled ? (await sentEmails(stack.endpoints.ses)).length : 0;
            stack.counter.reset();
            for (const event of countedBatches) {
                const answer = (await fn.invoke(event)) as { batchItemFailures?: unknown[] };
                if (answer?.batchItemFailures?.length !== 0) throw new Error(`${side} failed a batch: ${JSON.stringify(answer)}`);
                tally.countedOrders += event.Records.length;
                await deleteRecords(stack, side, event);
            }
            addUsage(tally.usage, stack.counter.usage());
            if (emailEnabled) tally.emails += (await sentEmails(stack.endpoints.ses)).length - emailsBefore;

            emailsBefore = emailEnabled ? (await sentEmails(stack.endpoints.ses)).length : 0;
            stack.counter.reset();
            for (const event of countedBatches.slice(0, options.redeliveredBatches)) {
                const answer = (await fn.invoke(event)) as { batchItemFailures?: unknown[] };
                if (answer?.batchItemFailures?.length !== 0) throw new Error(`${side} failed a redelivered batch: ${JSON.stringify(answer)}`);
                tally.redeliveredOrders += event.Records.length;
            }
            addUsage(tally.redeliveryUsage, stack.counter.usage());
            if (emailEnabled) tally.redeliveryEmails = (await sentEmails(stack.endpoints.ses)).length - emailsBefore;
            // The warm-up batch is stored too, but not timed or counted.
            const processed = tally.orders + tally.countedOrders;
            tally.stored = (await countItems(stack.dynamodb, stack.resources[side].tableName)) - itemsBefore[side] - batchSize;
            if (tally.stored !== processed) throw new Error(`${side}: ${processed} orders processed but ${tally.stored} stored`);
            if (emailEnabled && tally.emails !== processed) throw new Error(`${side}: ${processed} orders processed but ${tally.emails} emails sent`);
            if (tally.redeliveryEmails !== 0) throw new Error(`${side}: a redelivery sent ${tally.redeliveryEmails} emails again`);
        }
        results[mode] = tallies;
        await stack.purgeQueues();
    }
    return { section: processSection(results, options), results };
}

function processSection(results: ProcessResults, options: ProcessOrderOptions): Section {
    const figures: Figure[] = [];
    const runs = `${options.rounds} alternating blocks x ${options.batchesPerBlock} batches of ${options.batchSize}`;
    for (const mode of ["email", "no-email"] as const) {
        const t = results[mode];
        const label = mode === "email" ? "with email" : "email off";
        for (const side of SIDES) {
            const tally = t[side];
            const first = totalUsage(tally.usage);
            const again = totalUsage(tally.redeliveryUsage);
            const peer = totalUsage(t.peer.usage);
            const peerAgain = totalUsage(t.peer.redeliveryUsage);
            const name = `ProcessOrder ${sideName(side)}, ${label}`;
            const perOrder = (n: number) => n / tally.countedOrders;
            const perBatch = summarize(tally.batchMs);
            figures.push({
                name: `${name}: orders per second per warm container`,
                unit: "orders/s",
                ...pick(summarize(tally.blockRates)),
                ...(side === "ours" ? { vsPeer: pairedRatio(tally.blockRates, t.peer.blockRates) } : {}),
                runs,
                detail: `batch of ${options.batchSize}: median ${perBatch.median.toFixed(1)} ms, p99 ${perBatch.p99.toFixed(1)} ms; ${(tally.logBytes / tally.orders).toFixed(0)} log bytes per order`,
                better: "higher",
            });
            figures.push({
                name: `${name}: DynamoDB write units per order`,
                unit: "WCU/order",
                median: perOrder(first.writeUnits),
                vsFloor: perOrder(first.writeUnits),
                ...(side === "ours" ? { vsPeer: perOrder(first.writeUnits) / (peer.writeUnits / t.peer.countedOrders) } : {}),
                runs: `${tally.countedOrders} orders`,
                detail: `${perOrder(first.requests).toFixed(2)} requests/order (${describeRequests(tally.usage, tally.countedOrders)}), ${perOrder(first.readUnits).toFixed(2)} RCU/order`,
                better: "lower",
            });
            figures.push({
                name: `${name}: DynamoDB write units per redelivered order`,
                unit: "WCU/order",
                median: again.writeUnits / tally.redeliveredOrders,
                ...(side === "ours" ? { vsPeer: again.writeUnits / tally.redeliveredOrders / (peerAgain.writeUnits / t.peer.redeliveredOrders) } : {}),
                runs: `${tally.redeliveredOrders} orders delivered twice`,
                detail: `${(again.requests / tally.redeliveredOrders).toFixed(2)} requests/order (${describeRequests(tally.redeliveryUsage, tally.redeliveredOrders)}), ${(again.readUnits / tally.redeliveredOrders).toFixed(2)} RCU/order; emails sent again: ${tally.redeliveryEmails}`,
                better: "lower",
            });
        }
    }
    return {
        id: "process-order",
        title: "ProcessOrder",
        method:
            `Each side's SubmitOrder fills its own queue; then ${runs} per side, taking turns: receive (untimed), invoke the warm bundle ` +
            "(SDK bundled, its own sandbox in this process) with a real SQS event (timed), delete (untimed); timed runs talk to the " +
            `emulators directly. Then ${options.countedBatches} batches per side through the DynamoDB counting proxy (untimed), which ` +
            "counts requests and write/read units by DynamoDB's billing rules (1 WCU per KB of the larger of the item before and " +
            "after, rounded up per write; a failed condition still costs 1 WCU per KB of the stored item; 1 RCU per 4 KB strongly " +
            "consistent, half eventually). Stored items and sent emails are counted after and must equal the orders processed; " +
            `${options.redeliveredBatches} of those batches per side are then delivered again. Floor: 1 WCU per order. Ratios of blocks: median of per-round ratios.`,
        figures,
        data: results,
    };
}

function describeRequests(usage: Record<string, TableUsage>, orders: number): string {
    const parts: string[] = [];
    for (const [table, u] of Object.entries(usage)) {
        for (const [op, n] of Object.entries(u.requests)) parts.push(`${table} ${op} ${(n / orders).toFixed(2)}`);
    }
    return parts.join(", ");
}

function pick(summary: { median: number; p90: number; p99: number }) {
    return { median: summary.median, p90: summary.p90, p99: summary.p99 };
}
