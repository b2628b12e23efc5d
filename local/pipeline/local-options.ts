/**
 * The component's three options in local mode, each on its emulator:
 *
 * - `events`: the local EventBridge bus (`<name>-bus`), its archive (`<name>-archive`), a local
 *   subscriber queue that receives every order event (`<name>-events-subscriber`), and for each of
 *   the stack's subscribers a rule with its own pattern and a local queue standing in for its
 *   target (`<name>-sub-<subscriber>`: the real target is in an AWS account, out of reach here);
 * - `workflows`: the shipment-requests queue and its DLQ, the shipping and refund state machines
 *   (the exact definitions the component deploys, run by the local Step Functions emulator), and
 *   the local warehouse that answers shipment requests;
 * - `auth`: the local user pool (`npm run token`) and the API's JWT authorizer trusting it.
 *
 * Rules, targets and the archive are created through the real EventBridge API of the local bus,
 * queues through the real SQS API of fauxqs.
 */
import type { SQSClient } from "@aws-sdk/client-sqs";
import { MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_SECONDS } from "../../contract/defaults";
import type { JwtAuthorizer } from "../api/jwt-authorizer";
import type { LocalUserPool } from "../auth/local-user-pool";
import type { EmulatorEndpoints } from "../emulators/emulators";
import type { EventBridgeEmulator } from "../emulators/eventbridge-emulator";
import type { StepFunctionsEmulator } from "../emulators/stepfunctions-emulator";
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from "../lambda/lambda-environment";
import type { Warehouse, WarehouseMode } from "../warehouse/warehouse";
import type { LocalSettings } from "./local-settings";
import { createOrUpdateQueue, queueArnOf } from "./resources";

/** The middle of each state machine's name, as the component names them (`components/workflows/workflows.ts`). */
const STATE_MACHINE_NAMES = { shipping: "ship-sm", refund: "refund-sm" } as const;

/** The rule that sends every order event to the local subscriber queue. */
export const LOCAL_SUBSCRIBER_RULE = "local-subscriber";

/** What the options need from the pipeline. */
export interface LocalOptionsInputs {
    readonly settings: LocalSettings;
    readonly endpoints: EmulatorEndpoints;
    readonly sqs: SQSClient;
    readonly tableName: string;
    /** Folder of the local user pool's signing key. */
    readonly localDir: string;
    /** The warehouse's answer and packing time. */
    readonly warehouse?: { readonly mode?: WarehouseMode; readonly packingMs?: number };
    /** The SQS long-poll wait of the warehouse, in seconds. */
    readonly pollWaitSeconds?: number;
    readonly onActivity?: (line: string) => void;
    readonly onError?: (error: Error) => void;
}

/** The local event bus and what is wired to it. */
export interface LocalEvents {
    readonly emulator: EventBridgeEmulator;
    readonly busName: string;
    readonly archiveName: string;
    /** Every order event arrives here, as a subscriber's queue receives it from EventBridge. */
    readonly subscriberQueueUrl: string;
    /** The stack's subscribers: each rule's local stand-in queue. */
    readonly subscribers: readonly { readonly name: string; readonly eventPattern: string; readonly queueUrl: string }[];
}

/** The state machines, the shipment queue and the warehouse. */
export interface LocalWorkflows {
    readonly emulator: StepFunctionsEmulator;
    readonly shippingStateMachineArn: string;
    readonly refundStateMachineArn: string;
    readonly shipmentQueueUrl: string;
    readonly shipmentDlqUrl: string;
    readonly shipmentTimeoutSeconds: number;
    readonly warehouse: Warehouse;
}

/** Sign-in. */
export interface LocalAuth {
    readonly pool: LocalUserPool;
    readonly authorizer: JwtAuthorizer;
}

/** The options that are on; each undefined when off. */
export interface LocalOptions {
    readonly events: LocalEvents | undefined;
    readonly workflows: LocalWorkflows | undefined;
    readonly auth: LocalAuth | undefined;
    /** `AWS_ENDPOINT_URL_*` of the option services, for the functions' environments. */
    readonly handlerVariables: Readonly<Record<string, string>>;
    /** Stops the warehouse and waits for the deliveries and executions in progress (emulators stay up). */
    drain(): Promise<void>;
    /** Drains, then stops the option emulators. */
    stop(): Promise<void>;
}

/** Starts what the options that are on need; undefined parts for those that are off. */
export async function startLocalOptions(inputs: LocalOptionsInputs): Promise<LocalOptions> {
    const { settings } = inputs;
    const prefix = settings.name;
    const stops: Array<() => Promise<void>> = [];
    const stopAll = async () => {
        for (const stop of stops.splice(0).reverse()) await stop();
    };
    const handlerVariables: Record<string, string> = {};
    try {
        let events: LocalEvents | undefined;
        if (settings.events) {
            // Each option's modules load only when it is on: a run without it never needs them.
            const { CreateArchiveCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } = require("@aws-sdk/client-eventbridge") as typeof import("@aws-sdk/client-eventbridge");
            const { ORDER_EVENT_SOURCE } = require("../../handlers/events/order-events") as typeof import("../../handlers/events/order-events");
            const { startEventBridgeEmulator } = require("../emulators/eventbridge-emulator") as typeof import("../emulators/eventbridge-emulator");
            const emulator = await startEventBridgeEmulator({ region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, sqsEndpoint: inputs.endpoints.sqs });
            stops.push(() => emulator.stop());
            handlerVariables.AWS_ENDPOINT_URL_EVENTBRIDGE = emulator.endpoint;
            const client = new EventBridgeClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: emulator.endpoint, maxAttempts: 1 });
            stops.push(async () => client.destroy());
            const busName = `${prefix}-bus`;
            const archiveName = `${prefix}-archive`;
            await client.send(new CreateArchiveCommand({ ArchiveName: archiveName, EventSourceArn: emulator.busArn(busName), RetentionDays: settings.events.archiveRetentionDays }));

            const route = async (rule: string, eventPattern: string, queueName: string, what: string) => {
                const queueUrl = await createOrUpdateQueue(inputs.sqs, queueName, {});
                try {
                    await client.send(new PutRuleCommand({ Name: rule, EventBusName: busName, EventPattern: eventPattern, Description: what }));
                } catch (err) {
                    throw new Error(`${what}: ${(err as Error).message}`);
                }
                const put = await client.send(new PutTargetsCommand({ Rule: rule, EventBusName: busName, Targets: [{ Id: queueName, Arn: await queueArnOf(inputs.sqs, queueUrl) }] }));
                if (put.FailedEntryCount) throw new Error(`${what}: ${put.FailedEntries?.[0]?.ErrorMessage}`);
                return queueUrl;
            };
            const subscriberQueueUrl = await route(LOCAL_SUBSCRIBER_RULE, JSON.stringify({ source: [ORDER_EVENT_SOURCE] }), `${prefix}-events-subscriber`, "the local subscriber");
            const subscribers = [];
            for (const subscriber of settings.events.subscribers) {
                const queueUrl = await route(subscriber.name, subscriber.eventPattern, `${prefix}-sub-${subscriber.name}`, `subscriber ${subscriber.name}'s pattern`);
                subscribers.push({ name: subscriber.name, eventPattern: subscriber.eventPattern, queueUrl });
            }
            events = { emulator, busName, archiveName, subscriberQueueUrl, subscribers };
        }

        let workflows: LocalWorkflows | undefined;
        if (settings.workflows) {
            const { SFNClient } = require("@aws-sdk/client-sfn") as typeof import("@aws-sdk/client-sfn");
            const { workflowDefinitions } = require("../../components/workflows/definitions") as typeof import("../../components/workflows/definitions");
            const { SHIPMENT_QUEUE_RETENTION_SECONDS } = require("../../components/workflows/workflow-defaults") as typeof import("../../components/workflows/workflow-defaults");
            const { startStepFunctionsEmulator } = require("../emulators/stepfunctions-emulator") as typeof import("../emulators/stepfunctions-emulator");
            const { startWarehouse } = require("../warehouse/warehouse") as typeof import("../warehouse/warehouse");
            const shipmentDlqUrl = await createOrUpdateQueue(inputs.sqs, `${prefix}-shipment-dlq`, { MessageRetentionPeriod: String(SHIPMENT_QUEUE_RETENTION_SECONDS) });
            const shipmentQueueUrl = await createOrUpdateQueue(inputs.sqs, `${prefix}-shipment-queue`, {
                MessageRetentionPeriod: String(SHIPMENT_QUEUE_RETENTION_SECONDS),
                VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS),
                RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await queueArnOf(inputs.sqs, shipmentDlqUrl), maxReceiveCount: MAX_RECEIVE_COUNT }),
            });
            const machineArn = (role: keyof typeof STATE_MACHINE_NAMES) => `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${prefix}-${STATE_MACHINE_NAMES[role]}`;
            const shippingStateMachineArn = machineArn("shipping");
            const refundStateMachineArn = machineArn("refund");
            const { shipmentTimeoutSeconds } = settings.workflows;
            const { email } = settings;
            const definitions = workflowDefinitions({
                tableName: inputs.tableName,
                shipmentQueueUrl,
                shippingStateMachineArn,
                ...(events ? { eventBusName: events.busName } : {}),
                ...(email.enabled ? { email: { sender: email.sender } } : {}),
                shipmentTimeoutSeconds,
            });
            const emulator = await startStepFunctionsEmulator({
                endpoints: { dynamodb: inputs.endpoints.dynamodb, sqs: inputs.endpoints.sqs, ses: inputs.endpoints.ses, ...(events ? { events: events.emulator.endpoint } : {}) },
                stateMachines: [
                    { arn: shippingStateMachineArn, definition: JSON.stringify(definitions.shipping) },
                    { arn: refundStateMachineArn, definition: JSON.stringify(definitions.refund) },
                ],
                region: LOCAL_REGION,
            });
            stops.push(() => emulator.stop());
            handlerVariables.AWS_ENDPOINT_URL_SFN = emulator.endpoint;
            const sfn = new SFNClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: emulator.endpoint, maxAttempts: 3 });
            stops.push(async () => sfn.destroy());
            const warehouse = startWarehouse({
                sqs: inputs.sqs,
                sfn,
                queueUrl: shipmentQueueUrl,
                mode: inputs.warehouse?.mode ?? "ship",
                ...(inputs.warehouse?.packingMs !== undefined ? { packingMs: inputs.warehouse.packingMs } : {}),
                ...(inputs.pollWaitSeconds !== undefined ? { pollWaitSeconds: inputs.pollWaitSeconds } : {}),
                ...(inputs.onActivity ? { onActivity: (line: string) => inputs.onActivity!(`warehouse: ${line}`) } : {}),
                ...(inputs.onError ? { onError: inputs.onError } : {}),
            });
            stops.push(() => warehouse.stop());
            workflows = { emulator, shippingStateMachineArn, refundStateMachineArn, shipmentQueueUrl, shipmentDlqUrl, shipmentTimeoutSeconds, warehouse };
        }

        let auth: LocalAuth | undefined;
        if (settings.auth) {
            const { createJwtAuthorizer } = require("../api/jwt-authorizer") as typeof import("../api/jwt-authorizer");
            const { openLocalUserPool } = require("../auth/local-user-pool") as typeof import("../auth/local-user-pool");
            const pool = openLocalUserPool(inputs.localDir);
            auth = { pool, authorizer: createJwtAuthorizer(pool.authorizerOptions()) };
        }

        let draining: Promise<void> | undefined;
        const drain = () =>
            (draining ??= (async () => {
                await workflows?.warehouse.stop();
                await events?.emulator.idle();
            })());
        let stopping: Promise<void> | undefined;
        return {
            events,
            workflows,
            auth,
            handlerVariables,
            drain,
            stop: () =>
                (stopping ??= (async () => {
                    await drain();
                    await stopAll();
                })()),
        };
    } catch (err) {
        await stopAll();
        throw err;
    }
}

/** Counts of the options for the status line. */
export interface OptionStats {
    /** Executions of both state machines, by status; undefined without workflows. */
    readonly executions?: { readonly started: number; readonly running: number; readonly succeeded: number; readonly failed: number };
    /** Events accepted by the bus and deliveries to targets; undefined without events. */
    readonly events?: { readonly published: number; readonly delivered: number; readonly failed: number };
}

/** Reads the options' counts. */
export function optionStats(options: LocalOptions): OptionStats {
    const executions = options.workflows?.emulator.executions();
    const deliveries = options.events?.emulator.deliveries();
    return {
        ...(executions
            ? {
                  executions: {
                      started: executions.length,
                      running: executions.filter((e) => e.status === "RUNNING").length,
                      succeeded: executions.filter((e) => e.status === "SUCCEEDED").length,
                      failed: executions.filter((e) => e.status !== "RUNNING" && e.status !== "SUCCEEDED").length,
                  },
              }
            : {}),
        ...(deliveries
            ? {
                  events: {
                      published: options.events!.emulator.events().length,
                      delivered: deliveries.filter((d) => d.outcome === "delivered").length,
                      failed: deliveries.filter((d) => d.outcome !== "delivered").length,
                  },
              }
            : {}),
    };
}
