/**
 * A minimal EventBridge on 127.0.0.1 for tests and local mode: the PutEvents action of the AWS
 * JSON 1.1 protocol (`X-Amz-Target: AWSEvents.PutEvents`), answered the way EventBridge answers
 * it, so the real `@aws-sdk/client-eventbridge` can talk to it. It validates requests and entries
 * as EventBridge does, gives every accepted event an id, records it, and can be told to fail
 * chosen entries so that partial failures can be tested. No rules, targets or archive.
 *
 * Point a client at it with `endpoint: emulator.endpoint` (or `AWS_ENDPOINT_URL_EVENTBRIDGE`).
 */
import { randomUUID } from "node:crypto";
import { AwsApiError, isPlainObject, startAwsJsonServer } from "./aws-json-server";
import { PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_ENTRIES, putEventsEntrySize } from "../../handlers/events/put-events-limits";

/** One event the emulator accepted. */
export interface RecordedEvent {
    /** The id the emulator gave it (a UUID, as EventBridge gives). */
    readonly id: string;
    readonly source: string;
    readonly detailType: string;
    /** The detail, parsed. */
    readonly detail: Record<string, unknown>;
    /** `EventBusName` as sent, or "default" when the entry named none. */
    readonly eventBusName: string;
    /** `Time` as sent (ISO 8601), or when the emulator received it. */
    readonly time: string;
    readonly resources: readonly string[];
}

/** A running emulator. */
export interface EventBridgeEmulator {
    /** `http://127.0.0.1:<port>`. */
    readonly endpoint: string;
    /** Every accepted event, in arrival order (a copy). */
    events(): RecordedEvent[];
    /** Every PutEvents request that reached validation, with its number of entries, in order. */
    requests(): { readonly entryCount: number }[];
    /**
     * Makes the next `count` otherwise valid entries fail with `errorCode` (default
     * `InternalFailure`, a transient EventBridge error) instead of being accepted.
     */
    failNextEntries(count: number, errorCode?: string, errorMessage?: string): void;
    /** Forgets recorded events and requests, and pending failures. */
    reset(): void;
    /** Stops listening and closes open connections. */
    stop(): Promise<void>;
}

/** Request bodies larger than this are refused before parsing (well above 10 entries of 256 KiB in JSON). */
const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

/** A `Time` member as the SDK sends it (epoch seconds) or as a string; undefined when absent. */
function timeOf(value: unknown): string | undefined {
    if (typeof value === "number") return new Date(value * 1000).toISOString();
    if (typeof value === "string") return new Date(value).toISOString();
    return undefined;
}

/** The per-entry error EventBridge answers for an invalid entry, or undefined when it is valid. */
function entryError(entry: Record<string, unknown>): { ErrorCode: string; ErrorMessage: string } | undefined {
    for (const member of ["Source", "DetailType", "Detail"]) {
        const value = entry[member];
        if (typeof value !== "string" || value === "") {
            return { ErrorCode: "InvalidArgument", ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.` };
        }
    }
    let detail: unknown;
    try {
        detail = JSON.parse(entry.Detail as string);
    } catch {
        return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    }
    if (!isPlainObject(detail)) return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    return undefined;
}

/** Starts an emulator on 127.0.0.1 on a port the OS chooses. */
export async function startEventBridgeEmulator(): Promise<EventBridgeEmulator> {
    let recorded: RecordedEvent[] = [];
    let requests: { entryCount: number }[] = [];
    let failures: { errorCode: string; errorMessage: string }[] = [];

    function putEvents(input: Record<string, unknown>): unknown {
        const entries = input.Entries;
        if (!Array.isArray(entries) || entries.length < 1 || entries.length > PUT_EVENTS_MAX_ENTRIES) {
            const count = Array.isArray(entries) ? entries.length : 0;
            const constraint = count < 1 ? "greater than or equal to 1" : `less than or equal to ${PUT_EVENTS_MAX_ENTRIES}`;
            throw new AwsApiError(400, "ValidationException", `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${constraint}`);
        }
        if (!entries.every(isPlainObject)) throw new AwsApiError(400, "SerializationException", "Each entry must be a JSON object");
        const total = entries.reduce(
            (sum, entry) =>
                sum +
                putEventsEntrySize({
                    Source: entry.Source as string | undefined,
                    DetailType: entry.DetailType as string | undefined,
                    Detail: entry.Detail as string | undefined,
                    Resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : undefined,
                    Time: entry.Time === undefined ? undefined : new Date(0),
                }),
            0,
        );
        if (total > PUT_EVENTS_MAX_BYTES) throw new AwsApiError(400, "ValidationException", "Total size of the entries in the request is over the limit.");
        requests.push({ entryCount: entries.length });

        const results = entries.map((entry) => {
            const invalid = entryError(entry);
            if (invalid) return invalid;
            const failure = failures.shift();
            if (failure) return { ErrorCode: failure.errorCode, ErrorMessage: failure.errorMessage };
            const id = randomUUID();
            recorded.push({
                id,
                source: entry.Source as string,
                detailType: entry.DetailType as string,
                detail: JSON.parse(entry.Detail as string),
                eventBusName: typeof entry.EventBusName === "string" && entry.EventBusName !== "" ? entry.EventBusName : "default",
                time: timeOf(entry.Time) ?? new Date().toISOString(),
                resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
            });
            return { EventId: id };
        });
        return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
    }

    const server = await startAwsJsonServer({
        targetPrefix: "AWSEvents",
        contentType: "application/x-amz-json-1.1",
        maxBodyBytes: MAX_REQUEST_BODY_BYTES,
        operations: { PutEvents: putEvents },
    });

    return {
        endpoint: server.endpoint,
        events: () => [...recorded],
        requests: () => [...requests],
        failNextEntries(count, errorCode = "InternalFailure", errorMessage = "Internal service error (injected by the emulator).") {
            if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
            for (let i = 0; i < count; i++) failures.push({ errorCode, errorMessage });
        },
        reset() {
            recorded = [];
            requests = [];
            failures = [];
        },
        stop: server.stop,
    };
}
