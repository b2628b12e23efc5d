import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PurgeQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { resolveLocalSettings } from "../local/pipeline/local-settings";
import { bundleHandler } from "../components/bundling";
import { MEMORY_MB } from "../contract/defaults";
import { DEFAULT_TIMEOUTS, LAMBDA_DEFAULT_SYSTEM_LOG_LEVEL, LAMBDA_SYSTEM_LOG_LEVEL } from "../contract/functions";
import { ENV } from "../contract/environment";
import { startEmulators, useEmulatorsInEnv, type EmulatorEndpoints, type Emulators } from "../local/emulators/emulators";
import { LocalFunction } from "../local/lambda/lambda-sandbox";
import { LOCAL_CREDENTIALS, LOCAL_REGION, lambdaEnvironment } from "../local/lambda/lambda-environment";
import { createPipelineResources, type LocalResources } from "../local/pipeline/resources";
import { startDynamoDbCounter, type DynamoDbCounter } from "./dynamodb-counter";
import { entryOf, type FunctionKind, type Side } from "./entries";
import { IDEMPOTENCY_TABLE_ENV } from "./peer/environment";

/** The sender address both sides email from (the SES emulator accepts any). */
export const BENCH_SENDER = "orders@example.com";

/** The key attribute of the peer's idempotency table (the DynamoDBPersistenceLayer default). */
const IDEMPOTENCY_TABLE_KEY = "id";

/** One side's table and queues; the peer also has its idempotency table. */
export interface SideResources extends LocalResources {
    readonly idempotencyTableName?: string;
}

/** Emulators, the DynamoDB counting proxy, and a pipeline's resources for each side. */
export interface BenchStack {
    /** The emulators' own endpoints. */
    readonly endpoints: EmulatorEndpoints;
    readonly counter: DynamoDbCounter;
    /** Clients for the bench itself (not counted: they talk to DynamoDB directly). */
    readonly sqs: SQSClient;
    readonly dynamodb: DynamoDBClient;
    readonly resources: Readonly<Record<Side, SideResources>>;
    /** The full Lambda environment of one side's function. */
    environment(side: Side, kind: FunctionKind, options?: FunctionOptions): Record<string, string>;
    /**
     * One side's function, loaded from its bundle into a sandbox of its own (its own `process.env`)
     * at the first call with these options, and the same warm function at every later call, as
     * Lambda keeps a warm environment for each configuration: each benchmark warms it up anyway.
     */
    loadFunction(side: Side, kind: FunctionKind, options?: FunctionOptions & { bundleAwsSdk?: boolean }): LocalFunction;
    /** Empties both sides' queues. */
    purgeQueues(): Promise<void>;
    stop(): Promise<void>;
}

/**
 * The queue URL with the emulator's address as its host. fauxqs answers with URLs on
 * `sqs.<region>.localhost`, which does not resolve here, and the SDK sends SQS requests to the
 * queue URL's host; on AWS the two are the same endpoint, so this changes nothing for the code.
 */
function reachableQueueUrl(queueUrl: string, endpoint: string): string {
    const url = new URL(queueUrl);
    url.host = new URL(endpoint).host;
    return url.href;
}

/** How a bench function is set up. */
export interface FunctionOptions {
    /** EMAIL_ENABLED. Defaults to true. */
    readonly emailEnabled?: boolean;
    /**
     * Send DynamoDB requests through the counting proxy. Defaults to false: the proxy's own reads
     * add latency to every write, which would tilt timings against the design that writes more,
     * so timed runs go straight to the emulator and counting runs are separate.
     */
    readonly countDynamoDb?: boolean;
}

/**
 * Starts the emulators on 127.0.0.1, a counting proxy in front of DynamoDB, and creates the same
 * resources local mode creates for each side (the peer's under the prefix `peer`, plus its
 * idempotency table). Points this process's SDK at the emulators too, because an SDK left to the
 * runtime (not bundled) reads the process's own environment.
 */
export async function startBenchStack(): Promise<BenchStack> {
    const emulators: Emulators = await startEmulators();
    const counter = await startDynamoDbCounter(emulators.endpoints.dynamodb);
    try {
        const endpoints = emulators.endpoints;
        const counted = { ...endpoints, dynamodb: counter.endpoint };
        useEmulatorsInEnv(endpoints);
        const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
        const dynamodb = new DynamoDBClient({ ...config, endpoint: emulators.endpoints.dynamodb });
        const sqs = new SQSClient({ ...config, endpoint: emulators.endpoints.sqs });
        const reachable = async (prefix: string): Promise<LocalResources> => {
            const created = await createPipelineResources({ dynamodb, sqs }, resolveLocalSettings(prefix));
            return {
                ...created,
                queueUrl: reachableQueueUrl(created.queueUrl, endpoints.sqs),
                dlqUrl: reachableQueueUrl(created.dlqUrl, endpoints.sqs),
            };
        };
        const ours = await reachable("orders");
        const peerBase = await reachable("peer");
        const idempotencyTableName = "peer-idempotency";
        await dynamodb.send(
            new CreateTableCommand({
                TableName: idempotencyTableName,
                AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE_KEY, AttributeType: "S" }],
                KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE_KEY, KeyType: "HASH" }],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
        const resources: Record<Side, SideResources> = { ours, peer: { ...peerBase, idempotencyTableName } };

        const environment = (side: Side, kind: FunctionKind, options: FunctionOptions = {}) =>
            lambdaEnvironment({
                functionName: `${side}-${kind}`,
                memoryMb: MEMORY_MB,
                endpoints: options.countDynamoDb ? counted : endpoints,
                variables: {
                    [ENV.tableName]: resources[side].tableName,
                    [ENV.queueUrl]: resources[side].queueUrl,
                    [ENV.emailEnabled]: String(options.emailEnabled ?? true),
                    [ENV.emailSender]: BENCH_SENDER,
                    ...(side === "peer" ? { [IDEMPOTENCY_TABLE_ENV]: idempotencyTableName } : {}),
                },
            });

        // Loaded functions by configuration: the benchmarks share them instead of each loading its own.
        const warm = new Map<string, LocalFunction>();
        return {
            endpoints,
            counter,
            sqs,
            dynamodb,
            resources,
            environment,
            loadFunction: (side, kind, options = {}) => {
                const bundleAwsSdk = options.bundleAwsSdk ?? true;
                const env = environment(side, kind, options);
                // A function is its bundle and its environment: the same pair is the same warm function.
                const key = JSON.stringify([side, kind, bundleAwsSdk, env]);
                const loaded = warm.get(key);
                if (loaded) return loaded;
                const fn = new LocalFunction({
                    functionName: `${side}-${kind}`,
                    timeoutSeconds: DEFAULT_TIMEOUTS[kind],
                    memoryMb: MEMORY_MB,
                    region: LOCAL_REGION,
                    // SDK bundled by default whatever the component deploys: a sandbox gives its own
                    // process.env only to the code inside the bundle, and an SDK loaded from
                    // node_modules would read this process's endpoints instead (warm timings do not
                    // depend on it; cold starts compare both ways in fresh processes).
                    code: bundleHandler(entryOf(side, kind), { bundleAwsSdk }).code,
                    env,
                    // Ours logs as the component deploys it; the peer as Lambda does by default.
                    systemLogLevel: side === "ours" ? LAMBDA_SYSTEM_LOG_LEVEL : LAMBDA_DEFAULT_SYSTEM_LOG_LEVEL,
                });
                warm.set(key, fn);
                return fn;
            },
            purgeQueues: async () => {
                for (const r of Object.values(resources)) {
                    await sqs.send(new PurgeQueueCommand({ QueueUrl: r.queueUrl }));
                    await sqs.send(new PurgeQueueCommand({ QueueUrl: r.dlqUrl }));
                }
            },
            stop: async () => {
                warm.clear();
                sqs.destroy();
                dynamodb.destroy();
                await counter.stop();
                await emulators.stop();
            },
        };
    } catch (err) {
        await counter.stop();
        await emulators.stop();
        throw err;
    }
}
