import type { SQSBatchResponse } from "aws-lambda";

/**
 * Turns the settled results of a batch's records into Lambda's partial batch response
 * (`ReportBatchItemFailures`): every rejected record is listed by its messageId, so SQS retries
 * exactly those and deletes the rest. Results are matched to records by position.
 */
export function toBatchResponse(
    records: readonly { readonly messageId: string }[],
    results: readonly PromiseSettledResult<unknown>[],
): SQSBatchResponse {
    if (results.length !== records.length) {
        // A mismatch would mean a bug here; failing every record keeps every message.
        return { batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })) };
    }
    return {
        batchItemFailures: records
            .filter((_, i) => results[i].status === "rejected")
            .map((record) => ({ itemIdentifier: record.messageId })),
    };
}
