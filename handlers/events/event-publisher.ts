/**
 * Publishes PutEvents entries on one bus within EventBridge's limits, re-sending only the entries
 * that failed, and failing loudly with every entry it could not publish. A caller that gets an
 * error fails its SQS record, so the record is retried; the entries carry deterministic event ids,
 * so an event published twice is recognised by its consumers.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_ENTRIES, putEventsEntrySize } from "./put-events-limits";

/** Attempts per entry, the first included, when an entry fails with a transient error code. */
export const PUBLISH_ATTEMPTS = 3;

/** Wait before the first re-send; doubled for each further one. */
export const PUBLISH_RETRY_DELAY_MS = 100;

/**
 * Entry error codes that a re-send cannot fix: the entry itself or the caller's permissions are
 * wrong. Every other code (InternalFailure, ThrottlingException, ...) is worth another attempt.
 */
const PERMANENT_ERROR_CODES = new Set([
    "InvalidArgument",
    "MalformedDetail",
    "ValidationException",
    "AccessDeniedException",
    "NotAuthorizedForSourceException",
    "NotAuthorizedForDetailTypeException",
]);

/** One entry that was not published, and why. */
export interface FailedEntry {
    /** Its position in the list given to `publish`. */
    readonly index: number;
    /** How messages name it: `entry 2 (OrderPlaced, eventId OrderPlaced:...)`. */
    readonly label: string;
    readonly errorCode: string;
    readonly errorMessage: string;
}

/** Thrown by `publish` when any entry was not published; names each, with EventBridge's code and message. */
export class EventPublishError extends Error {
    constructor(
        readonly failures: readonly FailedEntry[],
        options?: { cause?: unknown },
    ) {
        super(
            `${failures.length} event(s) not published: ${failures.map((f) => `${f.label}: ${f.errorCode}: ${f.errorMessage}`).join("; ")}`,
            options,
        );
        this.name = "EventPublishError";
    }
}

/** Publishes entries on the publisher's bus. */
export interface EventPublisher {
    /** The bus every entry goes to. */
    readonly busName: string;
    /**
     * Publishes every entry (on this publisher's bus) and answers the ids EventBridge gave them, in
     * the entries' order. Throws {@link EventPublishError} naming every entry not published
     * (including entries too large or incomplete to send, in which case nothing is sent).
     */
    publish(entries: readonly PutEventsRequestEntry[]): Promise<string[]>;
}

/** Tuning of the re-sends; the defaults suit a Lambda handler. */
export interface EventPublisherOptions {
    /** Attempts per entry, the first included. Defaults to {@link PUBLISH_ATTEMPTS}. */
    readonly attempts?: number;
    /** Wait before the first re-send, doubled each time. Defaults to {@link PUBLISH_RETRY_DELAY_MS}. */
    readonly retryDelayMs?: number;
}

/** `entry 2 (OrderPlaced, eventId OrderPlaced:<id>)`: enough to find the event in logs and in the archive. */
function labelOf(entry: PutEventsRequestEntry, index: number): string {
    let eventId: unknown;
    try {
        eventId = (JSON.parse(entry.Detail ?? "") as { eventId?: unknown } | null)?.eventId;
    } catch {
        eventId = undefined;
    }
    const parts = [entry.DetailType ?? "no DetailType", ...(typeof eventId === "string" ? [`eventId ${eventId}`] : [])];
    return `entry ${index} (${parts.join(", ")})`;
}

/** What makes an entry unsendable before any call: missing members, another bus, or over the size limit. */
function entryProblem(entry: PutEventsRequestEntry, busName: string): string | undefined {
    for (const member of ["Source", "DetailType", "Detail"] as const) {
        if (typeof entry[member] !== "string" || entry[member] === "") return `${member} is required`;
    }
    if (entry.EventBusName !== undefined && entry.EventBusName !== busName) {
        return `it names bus ${JSON.stringify(entry.EventBusName)}, not ${JSON.stringify(busName)}`;
    }
    const size = putEventsEntrySize(entry);
    if (size > PUT_EVENTS_MAX_BYTES) return `it is ${size} bytes, over PutEvents' limit of ${PUT_EVENTS_MAX_BYTES}`;
    return undefined;
}

/** Splits entry indexes into calls of at most 10 entries and 256 KiB, keeping their order. */
function batches(entries: readonly PutEventsRequestEntry[]): number[][] {
    const result: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    entries.forEach((entry, index) => {
        const size = putEventsEntrySize(entry);
        if (current.length === PUT_EVENTS_MAX_ENTRIES || bytes + size > PUT_EVENTS_MAX_BYTES) {
            result.push(current);
            current = [];
            bytes = 0;
        }
        current.push(index);
        bytes += size;
    });
    if (current.length > 0) result.push(current);
    return result;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A publisher on bus `busName` through `client`, used as the caller configured it (endpoint,
 * timeouts, SDK retries of whole calls). On top of the SDK, it re-sends entries that EventBridge
 * reports as failed inside a successful call, which the SDK does not retry.
 */
export function createEventPublisher(client: EventBridgeClient, busName: string, options: EventPublisherOptions = {}): EventPublisher {
    const attempts = options.attempts ?? PUBLISH_ATTEMPTS;
    const retryDelayMs = options.retryDelayMs ?? PUBLISH_RETRY_DELAY_MS;
    if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be an integer >= 1, got ${attempts}`);

    async function publishBatch(entries: readonly PutEventsRequestEntry[], batch: readonly number[], ids: string[], failures: FailedEntry[]): Promise<void> {
        let pending = [...batch];
        for (let attempt = 1; pending.length > 0; attempt++) {
            if (attempt > 1) await sleep(retryDelayMs * 2 ** (attempt - 2));
            let results;
            try {
                const output = await client.send(new PutEventsCommand({ Entries: pending.map((i) => ({ ...entries[i], EventBusName: busName })) }));
                results = output.Entries ?? [];
            } catch (error) {
                // The SDK has already retried what it considers transient; this call is lost.
                const code = (error as { name?: string }).name ?? "Error";
                const message = (error as Error).message ?? String(error);
                for (const i of pending) failures.push({ index: i, label: labelOf(entries[i], i), errorCode: code, errorMessage: message });
                return;
            }
            const retry: number[] = [];
            pending.forEach((index, position) => {
                const result = results[position];
                if (result?.EventId && !result.ErrorCode) {
                    ids[index] = result.EventId;
                    return;
                }
                const errorCode = result?.ErrorCode ?? "MissingResult";
                const errorMessage = result?.ErrorMessage ?? "PutEvents answered no result for this entry";
                if (attempt < attempts && !PERMANENT_ERROR_CODES.has(errorCode)) retry.push(index);
                else failures.push({ index, label: labelOf(entries[index], index), errorCode, errorMessage });
            });
            pending = retry;
        }
    }

    return {
        busName,
        async publish(entries) {
            const invalid = entries
                .map((entry, index) => ({ index, problem: entryProblem(entry, busName) }))
                .filter((e): e is { index: number; problem: string } => e.problem !== undefined);
            if (invalid.length > 0) {
                throw new EventPublishError(
                    invalid.map(({ index, problem }) => ({ index, label: labelOf(entries[index], index), errorCode: "InvalidEntry", errorMessage: problem })),
                );
            }
            const ids: string[] = new Array(entries.length);
            const failures: FailedEntry[] = [];
            // Every batch is tried even after one fails: each event that gets through is one fewer
            // to republish when the record is retried.
            for (const batch of batches(entries)) await publishBatch(entries, batch, ids, failures);
            if (failures.length > 0) throw new EventPublishError(failures.sort((a, b) => a.index - b.index));
            return ids;
        },
    };
}
