import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { LOOPBACK } from "../local/emulators/loopback";
import {
    failedConditionWriteUnits,
    itemSize,
    readUnits,
    writeUnits,
    type WireItem,
} from "./item-size";

/** What one table was asked for, as DynamoDB would bill it. */
export interface TableUsage {
    /** Requests per operation name (PutItem, UpdateItem, GetItem, ...), retries included. */
    readonly requests: Record<string, number>;
    /** Write request units: 1 per KB of the larger of the item before and after, per write. */
    writeUnits: number;
    /** Read request units: 1 per 4 KB strongly consistent, half for eventually consistent. */
    readUnits: number;
    /** Conditional writes whose condition failed (still billed). */
    conditionalCheckFailures: number;
}

/** A counting proxy in front of a DynamoDB emulator. */
export interface DynamoDbCounter {
    /** Point the SDK here (`AWS_ENDPOINT_URL_DYNAMODB`) instead of at the emulator. */
    readonly endpoint: string;
    /** Usage per table name since the start or the last reset. */
    usage(): Record<string, TableUsage>;
    /** Usage summed over every table. */
    total(): TableUsage;
    /** Forgets every count. */
    reset(): void;
    stop(): Promise<void>;
}

const WRITE_OPERATIONS = new Set(["PutItem", "UpdateItem", "DeleteItem"]);
const CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailedException";

interface Exchange {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: Buffer;
}

function send(target: URL, headers: http.IncomingHttpHeaders, body: Buffer): Promise<Exchange> {
    return new Promise((resolve, reject) => {
        const request = http.request(
            {
                host: target.hostname,
                port: target.port,
                method: "POST",
                path: "/",
                headers: { ...headers, host: target.host, "content-length": String(body.length) },
            },
            (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (chunk: Buffer) => chunks.push(chunk));
                response.on("end", () =>
                    resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(chunks) }),
                );
                response.on("error", reject);
            },
        );
        request.on("error", reject);
        request.end(body);
    });
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => resolve(Buffer.concat(chunks)));
        request.on("error", reject);
    });
}

function emptyUsage(): TableUsage {
    return { requests: {}, writeUnits: 0, readUnits: 0, conditionalCheckFailures: 0 };
}

/**
 * Starts a proxy on 127.0.0.1 that forwards every DynamoDB request to `emulatorEndpoint` and counts,
 * per table, the requests and the read and write units DynamoDB would bill for them. The emulator
 * does not report capacity for failed conditions and counts string sizes in UTF-16, so the proxy
 * sizes items itself: before each write it reads the item as stored (an uncounted, strongly
 * consistent GetItem straight to the emulator), and after an update it reads it again. Writes to
 * one item pass the proxy one at a time so that these reads see exactly the write's before and after.
 *
 * It also fills in `ReturnValuesOnConditionCheckFailure: ALL_OLD` answers, which DynamoDB supports
 * and the emulator ignores, so that code relying on it does not make extra reads here that it would
 * not make on AWS.
 */
export async function startDynamoDbCounter(emulatorEndpoint: string): Promise<DynamoDbCounter> {
    const target = new URL(emulatorEndpoint);
    let usage = new Map<string, TableUsage>();
    const keySchemas = new Map<string, readonly string[]>();
    const locks = new Map<string, Promise<void>>();

    const tableUsage = (table: string): TableUsage => {
        let entry = usage.get(table);
        if (!entry) usage.set(table, (entry = emptyUsage()));
        return entry;
    };

    const call = async (headers: http.IncomingHttpHeaders, operation: string, input: object) => {
        const exchange = await send(
            target,
            { ...headers, "x-amz-target": `DynamoDB_20120810.${operation}` },
            Buffer.from(JSON.stringify(input)),
        );
        return { status: exchange.status, json: JSON.parse(exchange.body.toString("utf8") || "{}") };
    };

    const keyOf = async (headers: http.IncomingHttpHeaders, table: string, item: WireItem): Promise<WireItem> => {
        let names = keySchemas.get(table);
        if (!names) {
            const described = await call(headers, "DescribeTable", { TableName: table });
            const schema = (described.json.Table?.KeySchema ?? []) as Array<{ AttributeName: string }>;
            names = schema.map((k) => k.AttributeName);
            keySchemas.set(table, names);
        }
        return Object.fromEntries(names.map((n) => [n, item[n]]));
    };

    const storedItem = async (headers: http.IncomingHttpHeaders, table: string, key: WireItem) => {
        const got = await call(headers, "GetItem", { TableName: table, Key: key, ConsistentRead: true });
        return got.status === 200 ? (got.json.Item as WireItem | undefined) : undefined;
    };

    /** Runs `fn` after every earlier write to the same item has finished. */
    const serialized = async <T>(lockKey: string, fn: () => Promise<T>): Promise<T> => {
        const previous = locks.get(lockKey) ?? Promise.resolve();
        let release!: () => void;
        const mine = new Promise<void>((resolve) => (release = resolve));
        const chained = previous.then(() => mine);
        locks.set(lockKey, chained);
        await previous;
        try {
            return await fn();
        } finally {
            release();
            if (locks.get(lockKey) === chained) locks.delete(lockKey);
        }
    };

    const handleWrite = async (
        operation: string,
        headers: http.IncomingHttpHeaders,
        raw: Buffer,
        input: Record<string, unknown>,
    ): Promise<Exchange> => {
        const table = String(input.TableName);
        const key = await keyOf(headers, table, (input.Key ?? input.Item) as WireItem);
        return serialized(`${table}|${JSON.stringify(key)}`, async () => {
            const before = await storedItem(headers, table, key);
            const sizeBefore = before ? itemSize(before) : 0;
            const exchange = await send(target, headers, raw);
            const used = tableUsage(table);
            if (exchange.status === 200) {
                let sizeAfter = 0;
                if (operation === "PutItem") sizeAfter = itemSize(input.Item as WireItem);
                if (operation === "UpdateItem") {
                    const after = await storedItem(headers, table, key);
                    sizeAfter = after ? itemSize(after) : 0;
                }
                used.writeUnits += writeUnits(sizeBefore, sizeAfter);
                return exchange;
            }
            const error = JSON.parse(exchange.body.toString("utf8") || "{}") as { __type?: string };
            if (error.__type?.endsWith(CONDITIONAL_CHECK_FAILED)) {
                used.conditionalCheckFailures += 1;
                used.writeUnits += failedConditionWriteUnits(sizeBefore);
                if (input.ReturnValuesOnConditionCheckFailure === "ALL_OLD" && before) {
                    const body = Buffer.from(JSON.stringify({ ...error, Item: before }));
                    const { "x-amz-crc32": _crc, ...rest } = exchange.headers;
                    return { status: exchange.status, headers: rest, body };
                }
            }
            return exchange;
        });
    };

    const countReads = (operation: string, input: Record<string, unknown>, exchange: Exchange) => {
        if (exchange.status !== 200) return;
        const output = JSON.parse(exchange.body.toString("utf8") || "{}");
        if (operation === "GetItem") {
            const size = output.Item ? itemSize(output.Item as WireItem) : 0;
            tableUsage(String(input.TableName)).readUnits += readUnits(size, input.ConsistentRead === true);
        }
        if (operation === "Query" || operation === "Scan") {
            // Query and Scan are billed on the total size of the items read, rounded up per 4 KB.
            const size = ((output.Items ?? []) as WireItem[]).reduce((sum, item) => sum + itemSize(item), 0);
            tableUsage(String(input.TableName)).readUnits += readUnits(size, input.ConsistentRead === true);
        }
    };

    const server = http.createServer(async (request, response) => {
        try {
            const raw = await readBody(request);
            const operation = String(request.headers["x-amz-target"] ?? "").split(".")[1] ?? "unknown";
            const input = JSON.parse(raw.toString("utf8") || "{}") as Record<string, unknown>;
            const tables =
                operation === "BatchWriteItem" || operation === "BatchGetItem"
                    ? Object.keys((input.RequestItems ?? {}) as object)
                    : [String(input.TableName ?? "(none)")];
            for (const table of tables) {
                const requests = tableUsage(table).requests;
                requests[operation] = (requests[operation] ?? 0) + 1;
            }
            const exchange = WRITE_OPERATIONS.has(operation)
                ? await handleWrite(operation, request.headers, raw, input)
                : await send(target, request.headers, raw);
            countReads(operation, input, exchange);
            if (operation === "BatchWriteItem" && exchange.status === 200) {
                // Each put or delete in a batch is billed as its own write.
                for (const [table, writes] of Object.entries(input.RequestItems as Record<string, object[]>)) {
                    for (const w of writes as Array<{ PutRequest?: { Item: WireItem } }>) {
                        tableUsage(table).writeUnits += writeUnits(0, w.PutRequest ? itemSize(w.PutRequest.Item) : 0);
                    }
                }
            }
            const { "content-length": _length, "transfer-encoding": _encoding, ...headers } = exchange.headers;
            response.writeHead(exchange.status, { ...headers, "content-length": String(exchange.body.length) });
            response.end(exchange.body);
        } catch (err) {
            response.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
            response.end(JSON.stringify({ __type: "InternalServerError", message: String(err) }));
        }
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, LOOPBACK, () => resolve());
    });

    return {
        endpoint: `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`,
        usage: () => Object.fromEntries(usage),
        total: () => {
            const sum = emptyUsage();
            for (const u of usage.values()) {
                sum.writeUnits += u.writeUnits;
                sum.readUnits += u.readUnits;
                sum.conditionalCheckFailures += u.conditionalCheckFailures;
                for (const [op, n] of Object.entries(u.requests)) sum.requests[op] = (sum.requests[op] ?? 0) + n;
            }
            return sum;
        },
        reset: () => {
            usage = new Map();
        },
        stop: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
