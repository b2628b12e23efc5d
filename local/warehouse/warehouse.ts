/**
 * Local mode's warehouse: reads the shipment-requests queue as a real warehouse's consumer would,
 * and answers each request's task token with the real Step Functions SDK client against the local
 * Step Functions endpoint: SendTaskSuccess with a carrier and a tracking number (`ship`, after a
 * short delay, as a parcel takes a moment to pack), SendTaskFailure (`fail`), or nothing at all
 * (`ignore`, so the shipping execution waits until its timeout, as with a warehouse that is down).
 *
 * A cancellation (the order was refunded before it shipped) stops a parcel that is still being
 * packed. A repeated request for an order already shipped (a redrive) is answered with the same
 * parcel, never a second one. Each message is deleted once it has been handled; one that cannot be
 * read stays on the queue and reaches the shipment DLQ after its receives, as on AWS.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import { SHIPMENT_REFUSED } from "../../components/workflows/task-errors";
import { SHIPMENT_CANCELLED_TYPE, SHIPMENT_REQUEST_TYPE } from "../../components/workflows/workflow-defaults";

/** What the warehouse does with each shipment request. */
export type WarehouseMode = "ship" | "fail" | "ignore";

/** Every {@link WarehouseMode}, for validation. */
export const WAREHOUSE_MODES: readonly WarehouseMode[] = ["ship", "fail", "ignore"];

/** The time the local warehouse takes to pack a parcel by default, in ms: long enough to see PREPARING. */
export const DEFAULT_PACKING_MS = 2_000;

/** The carrier local parcels travel with. */
export const LOCAL_CARRIER = "Local Parcel Service";

/** The error name of the warehouse's SendTaskFailure in `fail` mode: the refusal the shipping workflow does not retry. */
export const WAREHOUSE_REFUSED_ERROR = SHIPMENT_REFUSED;

/** Settings of {@link startWarehouse}. */
export interface WarehouseOptions {
    readonly sqs: SQSClient;
    readonly sfn: SFNClient;
    readonly queueUrl: string;
    readonly mode: WarehouseMode;
    /** Time to pack a parcel before SendTaskSuccess, in ms. Defaults to {@link DEFAULT_PACKING_MS}. */
    readonly packingMs?: number;
    /** Long-poll wait in seconds. Defaults to 1. */
    readonly pollWaitSeconds?: number;
    /** Told of each thing the warehouse does, in words. */
    readonly onActivity?: (line: string) => void;
    /** Told when polling or answering fails (it carries on). */
    readonly onError?: (error: Error) => void;
}

/** What the warehouse has done. */
export interface WarehouseCounts {
    requests: number;
    shipped: number;
    refused: number;
    ignored: number;
    cancelled: number;
    /** Answers Step Functions no longer wanted (the execution was stopped or timed out). */
    stale: number;
    unreadable: number;
}

/** A running warehouse. */
export interface Warehouse {
    readonly mode: WarehouseMode;
    readonly counts: Readonly<WarehouseCounts>;
    /** The parcel of each shipped order: carrier and tracking number. */
    parcel(orderId: string): { readonly carrier: string; readonly trackingNumber: string } | undefined;
    /** Stops polling and waits for the answers in progress; parcels still being packed are not sent. */
    stop(): Promise<void>;
}

/** A message the warehouse understands. */
type ShipmentMessage = { readonly type: typeof SHIPMENT_REQUEST_TYPE; readonly orderId: string; readonly taskToken: string } | { readonly type: typeof SHIPMENT_CANCELLED_TYPE; readonly orderId: string };

/** Reads a message body, or undefined when it is not a request or a cancellation. */
export function readShipmentMessage(body: string | undefined): ShipmentMessage | undefined {
    let value: unknown;
    try {
        value = JSON.parse(body ?? "");
    } catch {
        return undefined;
    }
    if (value === null || typeof value !== "object") return undefined;
    const { type, orderId, taskToken } = value as Record<string, unknown>;
    if (typeof orderId !== "string" || orderId === "") return undefined;
    // A request of the first version carried no type: a task token makes it a request.
    if ((type === SHIPMENT_REQUEST_TYPE || type === undefined) && typeof taskToken === "string" && taskToken !== "") return { type: SHIPMENT_REQUEST_TYPE, orderId, taskToken };
    if (type === SHIPMENT_CANCELLED_TYPE) return { type, orderId };
    return undefined;
}

/** How packing a parcel ended. */
type PackingOutcome = "packed" | "cancelled" | "stopped";

/** Errors of SendTask* that mean the token is void: the execution moved on, nothing to retry. */
const STALE_TOKEN_ERRORS = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/** Starts the warehouse; it polls until stopped. */
export function startWarehouse(options: WarehouseOptions): Warehouse {
    const counts: WarehouseCounts = { requests: 0, shipped: 0, refused: 0, ignored: 0, cancelled: 0, stale: 0, unreadable: 0 };
    const parcels = new Map<string, { carrier: string; trackingNumber: string }>();
    const packing = new Map<string, { timer: NodeJS.Timeout; done: (outcome: PackingOutcome) => void }>();
    const inProgress = new Set<Promise<void>>();
    const abort = new AbortController();
    let stopping = false;
    const say = (line: string) => options.onActivity?.(line);
    const packingMs = options.packingMs ?? DEFAULT_PACKING_MS;

    const remove = (message: Message) => options.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));

    /** Sends one answer; false when the token was void. */
    const answer = async (send: () => Promise<unknown>): Promise<boolean> => {
        try {
            await send();
            return true;
        } catch (err) {
            if (STALE_TOKEN_ERRORS.has((err as Error).name)) {
                counts.stale++;
                return false;
            }
            throw err;
        }
    };

    /** Waits the packing time, unless the order is cancelled or the warehouse stops meanwhile. */
    const pack = (orderId: string): Promise<PackingOutcome> =>
        new Promise((resolve) => {
            if (packingMs <= 0) return resolve("packed");
            const done = (outcome: PackingOutcome) => {
                clearTimeout(timer);
                packing.delete(orderId);
                resolve(outcome);
            };
            const timer = setTimeout(() => done("packed"), packingMs);
            packing.set(orderId, { timer, done });
        });

    const handle = async (message: Message): Promise<void> => {
        const shipment = readShipmentMessage(message.Body);
        if (!shipment) {
            // Left on the queue: after its receives it moves to the shipment DLQ, where an operator sees it.
            counts.unreadable++;
            say(`unreadable shipment message ${message.MessageId}: left for the DLQ`);
            return;
        }
        if (shipment.type === SHIPMENT_CANCELLED_TYPE) {
            counts.cancelled++;
            packing.get(shipment.orderId)?.done("cancelled");
            say(`order ${shipment.orderId}: shipment cancelled (refunded before it shipped)`);
            await remove(message);
            return;
        }
        counts.requests++;
        const { orderId, taskToken } = shipment;
        if (options.mode === "ignore") {
            counts.ignored++;
            say(`order ${orderId}: shipment request ignored (--warehouse ignore): the execution waits for its timeout`);
            await remove(message);
            return;
        }
        if (options.mode === "fail") {
            const sent = await answer(() =>
                options.sfn.send(new SendTaskFailureCommand({ taskToken, error: WAREHOUSE_REFUSED_ERROR, cause: "The local warehouse refuses every shipment (--warehouse fail)." })),
            );
            if (sent) counts.refused++;
            say(`order ${orderId}: shipment refused (SendTaskFailure ${WAREHOUSE_REFUSED_ERROR})`);
            await remove(message);
            return;
        }
        // A repeated request (a redrive) gets the parcel already sent, not a second one.
        const existing = parcels.get(orderId);
        if (!existing) {
            const outcome = await pack(orderId);
            // Stopped while packing: the request stays on the queue for the next run.
            if (outcome === "stopped") return;
            if (outcome === "cancelled") {
                await remove(message);
                return;
            }
        }
        const parcel = existing ?? { carrier: LOCAL_CARRIER, trackingNumber: `LPS${orderId.replace(/-/g, "").slice(0, 12).toUpperCase()}` };
        // Known before the answer is sent: a request repeated meanwhile gets this parcel too.
        parcels.set(orderId, parcel);
        let sent: boolean;
        try {
            sent = await answer(() => options.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(parcel) })));
        } catch (err) {
            if (!existing) parcels.delete(orderId);
            throw err;
        }
        if (sent) {
            if (!existing) counts.shipped++;
            say(`order ${orderId}: shipped with ${parcel.carrier}, tracking number ${parcel.trackingNumber}`);
        } else if (!existing) {
            parcels.delete(orderId);
        }
        await remove(message);
    };

    const poll = async (): Promise<void> => {
        while (!stopping) {
            let messages: Message[] = [];
            try {
                ({ Messages: messages = [] } = await options.sqs.send(
                    new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: options.pollWaitSeconds ?? 1 }),
                    { abortSignal: abort.signal },
                ));
            } catch (err) {
                if (stopping) return;
                options.onError?.(err as Error);
                await new Promise((resolve) => setTimeout(resolve, 500));
                continue;
            }
            for (const message of messages) {
                const work = handle(message).catch((err: Error) => options.onError?.(err));
                inProgress.add(work);
                void work.finally(() => inProgress.delete(work));
            }
        }
    };
    const polling = poll();

    return {
        mode: options.mode,
        counts,
        parcel: (orderId) => parcels.get(orderId),
        async stop() {
            stopping = true;
            abort.abort();
            for (const { done } of [...packing.values()]) done("stopped");
            await polling;
            await Promise.all([...inProgress]);
        },
    };
}
