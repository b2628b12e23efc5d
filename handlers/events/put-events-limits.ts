/**
 * EventBridge's PutEvents limits and its rule for an entry's size, shared by the publisher (which
 * batches within them) and the local emulator (which refuses what EventBridge refuses).
 */
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";

/** Entries per PutEvents call (PutEvents API reference: Entries, 1 to 10 items). */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/**
 * Bytes per PutEvents call, the sum of its entries' sizes. 256 KiB is the limit every region and
 * SDK documents; EventBridge has since accepted more in some places, but an event also has to fit
 * its targets (an SQS message, a Lambda async payload), so the pipeline stays within 256 KiB.
 */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

/** What a `Time` parameter adds to an entry's size (EventBridge: "Calculating PutEvents event entry size"). */
const TIME_BYTES = 14;

/**
 * An entry's size as EventBridge counts it: 14 bytes for `Time` if set, plus the UTF-8 bytes of
 * `Source`, `DetailType`, `Detail` and each of `Resources`.
 */
export function putEventsEntrySize(entry: PutEventsRequestEntry): number {
    let size = entry.Time === undefined ? 0 : TIME_BYTES;
    for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
        if (typeof text === "string") size += Buffer.byteLength(text, "utf8");
    }
    return size;
}
