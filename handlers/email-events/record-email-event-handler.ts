/**
 * The email-events function: each record of the SQS batch is an SNS notification envelope (not
 * raw delivery) whose Message is one SES event-publishing record (Delivery, Bounce, Complaint or
 * Reject) of a confirmation email. It records the outcome on the order named by the email's
 * `orderId` tag. A record that can never be recorded (malformed, untagged, an unknown order, another
 * email's event) is logged with the reason and acknowledged; only a failure to reach DynamoDB is
 * reported for retry, so the queue's DLQ collects what keeps failing.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { toBatchResponse } from "../process/batch-response";
import { createLogger, errorFields, stdoutLineWriter, type LineWriter, type LogFields, type Logger } from "../runtime/log";
import { EmailDeliveryStore } from "./delivery-store";
import { parseSesEvent } from "./ses-event";
import { parseSnsEnvelope } from "./sns-envelope";

/** What the function needs; the entry module builds it from the environment. */
export interface RecordEmailEventDependencies {
    /** Created once per container. */
    readonly dynamodb: DynamoDBClient;
    readonly tableName: string;
    /** Where log lines go; defaults to stdout. */
    readonly writeLine?: LineWriter;
}

/** The function's Lambda handler: an SQS batch in, the records to retry out. */
export type RecordEmailEventHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/** Records one queue message; resolves when it is done (acknowledged), rejects when it must be retried. */
async function recordOne(store: EmailDeliveryStore, log: Logger, record: SQSRecord): Promise<void> {
    const base: LogFields = { messageId: record.messageId };
    const envelope = parseSnsEnvelope(String(record.body ?? ""));
    if (!envelope.ok) {
        log.warn(`email event not recorded: ${envelope.reason}`, { ...base, result: "malformed" });
        return;
    }
    const fields = { ...base, snsMessageId: envelope.notification.snsMessageId };
    const parsed = parseSesEvent(envelope.notification.message);
    if (!parsed.ok) {
        log.warn(`email event not recorded: ${parsed.reason}`, {
            ...fields,
            orderId: parsed.orderId,
            eventType: parsed.eventType,
            sesMessageId: parsed.sesMessageId,
            result: "malformed",
        });
        return;
    }
    const { orderId, sesMessageId, eventType, delivery } = parsed.event;
    const eventFields: LogFields = {
        ...fields,
        orderId,
        eventType,
        sesMessageId,
        outcome: delivery.outcome,
        at: delivery.at,
        bounceType: delivery.bounceType,
        bounceSubType: delivery.bounceSubType,
    };
    const result = await store.record(orderId, sesMessageId, delivery);
    if (result === "unknown-order") log.warn("email event not recorded: no order has this id", { ...eventFields, result });
    else if (result === "other-email") log.warn("email event not recorded: the order's confirmation has another SES message id", { ...eventFields, result });
    else log.info(result === "recorded" ? "email event recorded" : "email event changes nothing", { ...eventFields, result });
}

/** Creates the handler; every record is handled on its own, and concurrently (each write is conditional). */
export function createRecordEmailEventHandler(deps: RecordEmailEventDependencies): RecordEmailEventHandler {
    const log = createLogger(deps.writeLine ?? stdoutLineWriter);
    const store = new EmailDeliveryStore(deps.dynamodb, deps.tableName);
    return async (event) => {
        const records: SQSRecord[] = Array.isArray(event?.Records) ? event.Records : [];
        try {
            const results = await Promise.allSettled(records.map((record) => recordOne(store, log, record)));
            results.forEach((result, i) => {
                if (result.status === "fulfilled") return;
                log.error("email event failed; SQS will redeliver it (or move it to the DLQ after the last receive)", {
                    messageId: records[i].messageId,
                    receiveCount: Number(records[i].attributes?.ApproximateReceiveCount ?? 0),
                    ...errorFields(result.reason),
                });
            });
            return toBatchResponse(records, results);
        } catch (err) {
            // Only a fault in this function itself gets here; report every record so none is lost.
            try {
                log.error("batch failed; every record will be redelivered", errorFields(err));
            } catch {
                // Nothing left to report to.
            }
            return { batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })) };
        }
    };
}
