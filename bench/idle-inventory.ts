import type * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { parentPort, Worker, workerData } from "node:worker_threads";
import { threadExecArgv } from "../local/source-thread";

/** What a default OrderPipeline deploys that costs money while no order comes in. */
export interface IdleInventory {
    /** CloudWatch alarms, and the metrics they watch (each metric of an alarm is billed). */
    readonly alarms: number;
    readonly alarmMetrics: number;
    readonly dashboards: number;
    /** SQS event source mappings: each keeps long-polling its queue. */
    readonly eventSourceMappings: number;
    /** DynamoDB tables, and how many have point-in-time recovery on. */
    readonly tables: number;
    readonly tablesWithPitr: number;
}

/**
 * Builds `new OrderPipeline("orders", {})` (every default) under Pulumi's mocks, which record each
 * resource registration with its inputs, and counts what bills by the month. Nothing is deployed.
 * It runs on a worker thread of its own: Pulumi's mocks are global to the thread that sets them,
 * and the caller may have its own (a test run).
 */
export function defaultIdleInventory(): Promise<IdleInventory> {
    const execArgv = threadExecArgv();
    const worker = new Worker(path.join(__dirname, "idle-inventory.ts"), { execArgv, workerData: { idleInventory: true } });
    return new Promise<IdleInventory>((resolve, reject) => {
        worker.once("message", (message: { inventory?: IdleInventory; error?: string }) => (message.inventory ? resolve(message.inventory) : reject(new Error(message.error))));
        worker.once("error", reject);
        worker.once("exit", () => reject(new Error("the idle-inventory thread exited without an answer")));
    }).finally(() => void worker.terminate());
}

async function recordDefaultInventory(): Promise<IdleInventory> {
    // Loaded here, on the thread, only: the process that asks for the inventory never needs Pulumi.
    const { runtime } = require("@pulumi/pulumi") as typeof pulumi;
    const registered: pulumi.runtime.MockResourceArgs[] = [];
    await runtime.setMocks(
        {
            newResource: (args) => {
                registered.push(args);
                const name = typeof args.inputs.name === "string" ? args.inputs.name : args.name;
                const arn = `arn:aws:${args.type.split(/[:/]/)[1]}:us-east-1:123456789012:${name}`;
                return { id: `${name}-id`, state: { ...args.inputs, name, arn, url: `https://example.com/${name}`, invokeArn: arn, executionArn: arn, apiEndpoint: "https://example.com" } };
            },
            call: (args) => (args.token === "aws:index/getRegion:getRegion" ? { name: "us-east-1", region: "us-east-1", id: "us-east-1" } : {}),
        },
        "order-pipeline",
        "bench",
        false,
    );
    // Loaded after setMocks, as a Pulumi program under mocks must be.
    const { OrderPipeline } = require("../components") as typeof import("../components");
    const pipeline = new OrderPipeline("orders", {});
    // Every child registers once its inputs resolve; the component's own URN resolves after them.
    await new Promise<void>((resolve) => pipeline.urn.apply(() => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ofType = (type: string) => registered.filter((r) => r.type === type);
    const alarms = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    return {
        alarms: alarms.length,
        // A single-metric alarm watches one metric; a metric-math alarm each metric of its query.
        alarmMetrics: alarms.reduce((n, a) => n + (Array.isArray(a.inputs.metricQueries) ? a.inputs.metricQueries.filter((q: { metric?: unknown }) => q.metric).length : 1), 0),
        dashboards: ofType("aws:cloudwatch/dashboard:Dashboard").length,
        eventSourceMappings: ofType("aws:lambda/eventSourceMapping:EventSourceMapping").length,
        tables: ofType("aws:dynamodb/table:Table").length,
        tablesWithPitr: ofType("aws:dynamodb/table:Table").filter((t) => t.inputs.pointInTimeRecovery?.enabled === true).length,
    };
}

if (parentPort && (workerData as { idleInventory?: boolean } | undefined)?.idleInventory === true) {
    const port = parentPort;
    // Pulumi takes a stack trace for every promise and every resource it makes, and under tsx Node
    // maps each frame through the sources' source maps (and reads the map of every module it
    // loads): about a fifth of this thread's CPU, for traces nobody reads. Off on this thread only
    // (each thread has its own setting); a failure's stack then names the transpiled lines.
    process.setSourceMapsEnabled(false);
    recordDefaultInventory().then(
        (inventory) => port.postMessage({ inventory }),
        (err: Error) => port.postMessage({ error: err.stack ?? err.message }),
    );
}
