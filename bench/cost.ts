import { BATCH_SIZE, MEMORY_MB } from "../contract/defaults";
import { LAMBDA_ARCHITECTURE, LAMBDA_DEFAULT_SYSTEM_LOG_LEVEL, LAMBDA_SYSTEM_LOG_LEVEL } from "../contract/functions";
import type { Figure, Section } from "./figures";
import type { IdleInventory } from "./idle-inventory";
import {
    COLD_START_SHARE,
    IDLE_ESM_POLLERS,
    IDLE_ESM_WAIT_SECONDS,
    INIT_BILLED_SINCE,
    PRICE_REGION,
    PRICES,
    PRICES_TAKEN_ON,
} from "./prices";

/** What one design does per order, as measured by the other benchmarks. */
export interface DesignUsage {
    readonly label: string;
    /** Median SubmitOrder duration per request, ms (warm). */
    readonly submitMs: number;
    /** Median ProcessOrder duration per batch of BATCH_SIZE, ms (warm). */
    readonly processBatchMs: number;
    /** Median INIT (module load) per cold start, ms, for SubmitOrder and ProcessOrder. */
    readonly initMs: { readonly submit: number; readonly process: number };
    /** DynamoDB units per order, SubmitOrder and ProcessOrder together. */
    readonly writeUnits: number;
    readonly readUnits: number;
    /** Bytes the handlers log per order (SubmitOrder + ProcessOrder's share of its batch). */
    readonly logBytes: number;
    /**
     * Bytes of Lambda's platform records per order at the design's system log level, as the local
     * sandbox writes them (SubmitOrder's + ProcessOrder's share of its batch's).
     */
    readonly platformLogBytes: number;
    /** Size of the HTTP request body. */
    readonly requestBytes: number;
    /** Size of the queue message body. */
    readonly messageBytes: number;
    readonly email: boolean;
}

/** Dollars per million orders, by line of the bill. */
export interface CostBreakdown {
    readonly apiGateway: number;
    readonly lambdaRequests: number;
    readonly lambdaDuration: number;
    readonly lambdaInit: number;
    readonly sqs: number;
    readonly dynamoDb: number;
    readonly ses: number;
    readonly logs: number;
    readonly total: number;
}

const MILLION = 1_000_000;
const GB = 1024 ** 3;

/**
 * Dollars per million orders at list prices for one design: the HTTP API request, SubmitOrder
 * (one invocation per order), SQS (send, plus one receive and one delete per batch, each per
 * 64 KB chunk), ProcessOrder (one invocation per batch of BATCH_SIZE), DynamoDB units, SES, and
 * CloudWatch Logs ingestion. Lambda duration is billed per ms, rounded up per invocation, at the
 * component's memory on arm64; INIT is billed for the COLD_START_SHARE of invocations.
 */
export function costPerMillionOrders(usage: DesignUsage): CostBreakdown {
    const gb = MEMORY_MB / 1024;
    const gbSecond = PRICES.lambdaArmPerGbSecond;
    const submitInvocations = MILLION;
    const processInvocations = MILLION / BATCH_SIZE;
    const apiGateway = MILLION * Math.max(1, Math.ceil(usage.requestBytes / PRICES.httpApiRequestIncrementBytes)) * (PRICES.httpApiPerMillionRequests / MILLION);
    const lambdaRequests = (submitInvocations + processInvocations) * (PRICES.lambdaPerMillionRequests / MILLION);
    const lambdaDuration =
        (submitInvocations * Math.ceil(usage.submitMs) + processInvocations * Math.ceil(usage.processBatchMs)) / 1000 * gb * gbSecond;
    const lambdaInit =
        COLD_START_SHARE *
        (submitInvocations * Math.ceil(usage.initMs.submit) + processInvocations * Math.ceil(usage.initMs.process)) / 1000 * gb * gbSecond;
    const chunks = (bytes: number) => Math.max(1, Math.ceil(bytes / PRICES.sqsChunkBytes));
    const sqsRequests = MILLION * chunks(usage.messageBytes) + processInvocations * (chunks(usage.messageBytes * BATCH_SIZE) + 1);
    const sqs = sqsRequests * (PRICES.sqsPerMillionRequests / MILLION);
    const dynamoDb =
        MILLION * (usage.writeUnits * (PRICES.dynamoDbPerMillionWriteUnits / MILLION) + usage.readUnits * (PRICES.dynamoDbPerMillionReadUnits / MILLION));
    const ses = usage.email ? MILLION * (PRICES.sesPerThousandEmails / 1000) : 0;
    const logs = ((MILLION * (usage.logBytes + usage.platformLogBytes)) / GB) * PRICES.cloudWatchLogsPerGbIngested;
    const total = apiGateway + lambdaRequests + lambdaDuration + lambdaInit + sqs + dynamoDb + ses + logs;
    return { apiGateway, lambdaRequests, lambdaDuration, lambdaInit, sqs, dynamoDb, ses, logs, total };
}

/**
 * The floor: what no design of this architecture can avoid per order. One API request, one
 * SubmitOrder invocation and one ProcessOrder invocation per batch (request charge and the 1 ms
 * minimum duration each), one SQS send and the batched receive and delete, one DynamoDB write
 * unit, the email when email is on; no logs, no cold starts.
 */
export function floorUsage(requestBytes: number, messageBytes: number, email: boolean): DesignUsage {
    return {
        label: "floor",
        submitMs: 1,
        processBatchMs: 1,
        initMs: { submit: 0, process: 0 },
        writeUnits: 1,
        readUnits: 0,
        logBytes: 0,
        platformLogBytes: 0,
        requestBytes,
        messageBytes,
        email,
    };
}

const money = (n: number) => `$${n.toFixed(2)}`;

/** Benchmark 6: cost per million orders for each design, with and without email, against the floor. */
export function costSection(designs: readonly { readonly id: string; readonly withEmail: DesignUsage; readonly withoutEmail: DesignUsage }[]): Section {
    const figures: Figure[] = [];
    const data: Record<string, unknown> = {};
    const floorOf = (email: boolean) => designs.find((d) => d.id === "floor")![email ? "withEmail" : "withoutEmail"];
    const peerOf = (email: boolean) => designs.find((d) => d.id === "peer")![email ? "withEmail" : "withoutEmail"];
    for (const email of [true, false]) {
        const floorCost = costPerMillionOrders(floorOf(email));
        const peerCost = costPerMillionOrders(peerOf(email));
        for (const design of designs) {
            const usage = email ? design.withEmail : design.withoutEmail;
            const cost = costPerMillionOrders(usage);
            data[`${design.id}/${email ? "email" : "no-email"}`] = { usage, cost };
            figures.push({
                name: `${usage.label}, ${email ? "with email" : "email off"}`,
                unit: "$ / 1M orders",
                median: cost.total,
                ...(design.id !== "floor" ? { vsFloor: cost.total / floorCost.total } : {}),
                ...(design.id === "ours" ? { vsPeer: cost.total / peerCost.total } : {}),
                runs: "computed",
                detail:
                    `API ${money(cost.apiGateway)}, Lambda ${money(cost.lambdaRequests + cost.lambdaDuration)} + init ${money(cost.lambdaInit)}, ` +
                    `SQS ${money(cost.sqs)}, DynamoDB ${money(cost.dynamoDb)} (${usage.writeUnits.toFixed(2)} WCU + ${usage.readUnits.toFixed(2)} RCU/order), ` +
                    `SES ${money(cost.ses)}, logs ${money(cost.logs)} (${usage.logBytes.toFixed(0)} B/order from the handlers + ${usage.platformLogBytes.toFixed(0)} B of platform records)`,
                better: "lower",
            });
        }
    }
    return {
        id: "cost",
        title: "Cost per million orders",
        method:
            `List prices for ${PRICE_REGION} taken on ${PRICES_TAKEN_ON} (bench/prices.ts: Lambda arm64 $${PRICES.lambdaArmPerGbSecond}/GB-s and ` +
            `$${PRICES.lambdaPerMillionRequests}/1M requests, HTTP API $${PRICES.httpApiPerMillionRequests}/1M, SQS $${PRICES.sqsPerMillionRequests}/1M ` +
            `per 64 KB chunk, DynamoDB on-demand $${PRICES.dynamoDbPerMillionWriteUnits}/1M WRU and $${PRICES.dynamoDbPerMillionReadUnits}/1M RRU ` +
            `(after the 2024-11-01 cut), SES $${PRICES.sesPerThousandEmails}/1,000 emails, CloudWatch Logs $${PRICES.cloudWatchLogsPerGbIngested}/GB), ` +
            `applied to the component's settings (${MEMORY_MB} MB, ${LAMBDA_ARCHITECTURE}, batch size ${BATCH_SIZE}) and to what the other ` +
            "benchmarks measured: warm median durations of SubmitOrder and of a ProcessOrder batch (on this machine, not on Lambda: " +
            "a 256 MB function gets a fraction of a vCPU, so real durations are longer for both designs alike), DynamoDB units per " +
            "order counted at the emulator, log bytes per order as the local sandbox captured them: the handlers' own lines, and the " +
            "platform records Lambda writes in the JSON log format as the function's system log level lets them through (Lambda " +
            "developer guide, \"Log-level filtering\": platform.start and platform.report at INFO, only a failed invocation's " +
            "platform.runtimeDone and platform.report at WARN; record shapes from the Telemetry API schema reference), the " +
            `component's ${LAMBDA_SYSTEM_LOG_LEVEL} for ours and Lambda's default ${LAMBDA_DEFAULT_SYSTEM_LOG_LEVEL} for the peer; and INIT (billed since ${INIT_BILLED_SINCE}) ` +
            `for ${COLD_START_SHARE * 100}% of invocations at the measured module-load time. The peer's keyed POSTs add its ` +
            "idempotency-table writes. Not included: free tiers, storage, GET requests, idle SQS polling of the event source mapping.",
        figures,
        data,
    };
}

/** Dollars a month for a deployment that takes no order, by line of the bill (list prices, no free tier). */
export interface IdleMonthCost {
    readonly alarms: number;
    readonly dashboards: number;
    /** The event source mapping's empty long polls. */
    readonly emptyReceives: number;
    /** Point-in-time recovery and storage of an empty table. */
    readonly pitr: number;
    readonly storage: number;
    readonly total: number;
    /** The same month within the free tier of an account with nothing else in it. */
    readonly totalWithinFreeTier: number;
    /** Empty ReceiveMessage requests a month. */
    readonly receivesPerMonth: number;
}

const SECONDS_PER_MONTH = 30 * 24 * 3600;

/**
 * The month of a deployment at zero orders: every alarm metric, every dashboard, the empty
 * receives of each event source mapping's pollers, and PITR and storage of tables that hold
 * `tableGb` (0 for a new one). Logs, Lambda, API Gateway and SES cost nothing without traffic.
 */
export function idleMonthCost(inventory: IdleInventory, tableGb = 0): IdleMonthCost {
    const receivesPerMonth = inventory.eventSourceMappings * IDLE_ESM_POLLERS * (SECONDS_PER_MONTH / IDLE_ESM_WAIT_SECONDS);
    const alarms = inventory.alarmMetrics * PRICES.cloudWatchAlarmPerMetricMonth;
    const dashboards = inventory.dashboards * PRICES.cloudWatchDashboardPerMonth;
    const emptyReceives = receivesPerMonth * (PRICES.sqsPerMillionRequests / MILLION);
    const pitr = inventory.tablesWithPitr * tableGb * PRICES.dynamoDbPitrPerGbMonth;
    const storage = inventory.tables * tableGb * PRICES.dynamoDbStoragePerGbMonth;
    // Free tier: 10 alarm metrics, 3 dashboards, 1 million SQS requests, 25 GB of DynamoDB storage.
    const totalWithinFreeTier =
        Math.max(0, inventory.alarmMetrics - 10) * PRICES.cloudWatchAlarmPerMetricMonth +
        Math.max(0, inventory.dashboards - 3) * PRICES.cloudWatchDashboardPerMonth +
        Math.max(0, receivesPerMonth - MILLION) * (PRICES.sqsPerMillionRequests / MILLION) +
        pitr +
        Math.max(0, inventory.tables * tableGb - 25) * PRICES.dynamoDbStoragePerGbMonth;
    return { alarms, dashboards, emptyReceives, pitr, storage, total: alarms + dashboards + emptyReceives + pitr + storage, totalWithinFreeTier, receivesPerMonth };
}

/** The idle month as figures: one per line of the bill, then the total. */
export function idleFigures(inventory: IdleInventory, idle: IdleMonthCost): Figure[] {
    const line = (name: string, value: number, detail: string): Figure => ({ name: `idle month: ${name}`, unit: "$ / month", median: value, runs: "computed", detail, better: "lower" });
    return [
        line("alarms", idle.alarms, `${inventory.alarms} alarms watching ${inventory.alarmMetrics} metrics at $${PRICES.cloudWatchAlarmPerMetricMonth} per alarm metric (free tier: 10 alarm metrics)`),
        line("dashboard", idle.dashboards, `${inventory.dashboards} dashboard at $${PRICES.cloudWatchDashboardPerMonth} (free tier: 3 dashboards of up to 50 metrics each, per account)`),
        line(
            "event source mapping's empty receives",
            idle.emptyReceives,
            `${inventory.eventSourceMappings} mapping x ${IDLE_ESM_POLLERS} pollers x one ${IDLE_ESM_WAIT_SECONDS} s long poll after another = ${Math.round(idle.receivesPerMonth).toLocaleString("en-US")} ReceiveMessage a month (an estimate; free tier: 1M SQS requests)`,
        ),
        line("PITR and storage at zero orders", idle.pitr + idle.storage, `${inventory.tablesWithPitr} of ${inventory.tables} table with PITR at $${PRICES.dynamoDbPitrPerGbMonth}/GB-month; storage $${PRICES.dynamoDbStoragePerGbMonth}/GB-month; an empty table holds 0 GB`),
        line("total with the defaults", idle.total, `list prices, no free tier; $${idle.totalWithinFreeTier.toFixed(2)} within the free tier of an account with nothing else in it`),
    ];
}
