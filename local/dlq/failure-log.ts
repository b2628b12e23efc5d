/**
 * Why a dead-letter message failed: ProcessOrder (and the email-events function) logs one line per
 * failed record with its messageId, receive count and error. Local mode writes those lines to ProcessOrder's log file; on
 * AWS they are in its CloudWatch Logs group (`/aws/lambda/<function>`), read with FilterLogEvents.
 */
import * as fs from "node:fs";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";

/** The start of the message ProcessOrder logs for a failed record. */
export const RECORD_FAILED_MESSAGE = "record failed";

/** What the failure lines of one message say. */
export interface MessageFailures {
    readonly messageId: string;
    readonly orderId: string | undefined;
    /** The receive count of the last failed receive (SQS's ApproximateReceiveCount on the order queue). */
    readonly receiveCount: number;
    /** When the first and the last failure were logged (ISO 8601). */
    readonly firstFailedAt: string;
    readonly lastFailedAt: string;
    /** The last failure's error, as `<name>: <message>`. */
    readonly lastReason: string;
    /** Every failure line, oldest first. */
    readonly lines: readonly Record<string, unknown>[];
}

/**
 * Groups a function's failure lines (JSON, one per line, whose message starts with `failureMessage`:
 * ProcessOrder's by default; other lines are skipped) by message id.
 */
export function failuresByMessage(lines: Iterable<string>, failureMessage = RECORD_FAILED_MESSAGE): Map<string, MessageFailures> {
    const grouped = new Map<string, Record<string, unknown>[]>();
    for (const text of lines) {
        if (!text.includes(failureMessage)) continue;
        let line: Record<string, unknown>;
        try {
            line = JSON.parse(text) as Record<string, unknown>;
        } catch {
            continue;
        }
        if (typeof line.message !== "string" || !line.message.startsWith(failureMessage) || typeof line.messageId !== "string") continue;
        grouped.set(line.messageId, [...(grouped.get(line.messageId) ?? []), line]);
    }
    const result = new Map<string, MessageFailures>();
    for (const [messageId, group] of grouped) {
        group.sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)));
        const last = group[group.length - 1];
        result.set(messageId, {
            messageId,
            orderId: typeof last.orderId === "string" ? last.orderId : undefined,
            receiveCount: Number(last.receiveCount ?? group.length),
            firstFailedAt: String(group[0].timestamp),
            lastFailedAt: String(last.timestamp),
            lastReason: [last.errorName, last.errorMessage].filter((part) => part !== undefined && part !== "").join(": ") || "unknown",
            lines: group,
        });
    }
    return result;
}

/** Reads the failures from a local mode function's log file; none when the file does not exist. */
export function readFailuresFromFile(file: string, failureMessage = RECORD_FAILED_MESSAGE): Map<string, MessageFailures> {
    if (!fs.existsSync(file)) return new Map();
    return failuresByMessage(fs.readFileSync(file, "utf8").split("\n"), failureMessage);
}

/**
 * Reads the failures from ProcessOrder's CloudWatch Logs group since `sinceMs` (the oldest DLQ
 * message's first send), with a JSON filter pattern on the message, paginated.
 */
export async function readFailuresFromCloudWatch(logs: CloudWatchLogsClient, logGroupName: string, sinceMs: number, failureMessage = RECORD_FAILED_MESSAGE): Promise<Map<string, MessageFailures>> {
    const lines: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await logs.send(
            new FilterLogEventsCommand({ logGroupName, startTime: sinceMs, filterPattern: `{ $.message = "${failureMessage}*" }`, nextToken }),
        );
        for (const event of page.events ?? []) if (event.message) lines.push(event.message);
        nextToken = page.nextToken;
    } while (nextToken);
    return failuresByMessage(lines, failureMessage);
}
