/** How the event source mapping reads a function's answer to a batch. */
export type BatchVerdict =
    /** These message ids failed; every other record of the batch succeeded. */
    | { readonly failed: ReadonlySet<string> }
    /** The answer is unusable: the whole batch failed. */
    | { readonly invalid: string };

/**
 * Reads a function's response to an SQS batch with `ReportBatchItemFailures` on, following
 * Lambda's rules: no response, an empty response, or a null or empty `batchItemFailures` list is
 * complete success; a listed `itemIdentifier` fails that record only; an identifier that is
 * missing, empty, not a string, or not a message id of the batch fails the whole batch. A
 * response that is not an object at all is also treated as a failed batch, so that nothing is
 * deleted that the function did not clearly process.
 */
export function readBatchResponse(response: unknown, messageIds: readonly string[]): BatchVerdict {
    if (response === undefined || response === null) return { failed: new Set() };
    if (typeof response !== "object" || Array.isArray(response)) {
        return { invalid: `the response is ${Array.isArray(response) ? "an array" : typeof response}, not an object` };
    }
    const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined || failures === null) return { failed: new Set() };
    if (!Array.isArray(failures)) return { invalid: "batchItemFailures is not a list" };

    const inBatch = new Set(messageIds);
    const failed = new Set<string>();
    for (const failure of failures) {
        const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
        if (typeof id !== "string" || id === "") return { invalid: `batchItemFailures has an entry without an itemIdentifier: ${JSON.stringify(failure)}` };
        if (!inBatch.has(id)) return { invalid: `batchItemFailures names ${JSON.stringify(id)}, which is not in the batch` };
        failed.add(id);
    }
    return { failed };
}
