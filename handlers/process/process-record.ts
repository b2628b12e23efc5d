import { randomUUID } from "node:crypto";
import type { SQSRecord } from "aws-lambda";
import { renderConfirmationEmail } from "../order/confirmation-email";
import { CORRELATION_ID_ATTRIBUTE, type OrderMessage, type ParsedOrderMessage } from "../order/message";
import type { Order } from "../order/schema";
import { hasReached, INITIAL_STATUS, type OrderStatus } from "../order/status";
import { computeTotals, type OrderTotals } from "../order/totals";
import { elapsedMs, errorFields, type Logger, type LogFields } from "../runtime/log";
import type { OrderItem } from "../store/order-item";
import type { OrderStore } from "../store/order-store";
import { UnsendableEmailError, type EmailSender } from "./email-sender";
import type { ConfirmedOrder, OrderFollowUps } from "./follow-ups";

/** The status an order has once its confirmation went out (or was not needed). */
const CONFIRMED: OrderStatus = "CONFIRMED";

/** What came of an email sent under a claim: SES's message id, or why it can never be sent. */
type SendResult = { readonly sent: string } | { readonly failed: string };

/** A message that can never be processed (not JSON, wrong schema, hash mismatch): it goes to the DLQ. */
export class PoisonMessageError extends Error {
    override readonly name = "PoisonMessageError";
}

/**
 * Another invocation holds the email claim right now; the record is retried later. `leaseUntil`
 * (epoch ms), when known, is when that claim runs out: by then it is decided either way.
 */
export class EmailInProgressError extends Error {
    override readonly name = "EmailInProgressError";
    constructor(
        message: string,
        readonly leaseUntil?: number,
    ) {
        super(message);
    }
}

/** What happened to one record that did not fail. */
export interface RecordOutcome {
    /** stored: a new order; duplicate: the same order again; conflict: the same id with another payload. */
    readonly kind: "stored" | "duplicate" | "conflict";
    /** True when this record's processing sent the confirmation email. */
    readonly emailSent: boolean;
    /** True when the order is FAILED: its confirmation can never be sent, so it is not retried. */
    readonly failed?: boolean;
}

/**
 * What happened while processing records, counted as it happens: an order stored by a record that
 * then fails on its email is still a stored order.
 */
export interface RecordTally {
    processed: number;
    duplicates: number;
    conflicts: number;
    emailsSent: number;
    /** Orders this invocation marked FAILED. */
    ordersFailed: number;
}

/** What the record processor needs. */
export interface RecordProcessorDependencies {
    readonly store: OrderStore;
    /** Absent when email is disabled. */
    readonly sendEmail: EmailSender | undefined;
    /** What follows a confirmed order or a conflict (events, the shipping workflow); absent when nothing does. */
    readonly followUps?: OrderFollowUps;
    readonly now: () => Date;
    readonly log: Logger;
}

/** One record with its parsed body. */
export interface ParsedRecord {
    readonly record: SQSRecord;
    readonly parsed: ParsedOrderMessage;
}

/** What the follow-ups of a confirmed order see of it; the same on every delivery. */
function confirmedOrder(item: OrderItem): ConfirmedOrder {
    return { orderId: item.orderId, totals: item.totals, customerId: item.customerId, createdAt: item.createdAt };
}

/** Time kept back from the lease for the last attempt to mark an email sent. */
const MARK_SENT_MARGIN_MS = 3000;

/** The correlation id a record carries (message attribute), else its message id. */
export function recordCorrelationId(record: SQSRecord): string {
    return record.messageAttributes?.[CORRELATION_ID_ATTRIBUTE]?.stringValue ?? record.messageId;
}

/**
 * Creates the per-record step of ProcessOrder. For one record: store the order once (conditional
 * put, created holding the email claim), tell a duplicate from a conflict by payload hash, then
 * send the confirmation at most once under the claim and mark it sent and the order CONFIRMED in
 * one write. Without email the order is created CONFIRMED: one write in all. It resolves when
 * the record is done (and may be deleted) and rejects when it must be retried.
 */
export function createRecordProcessor(deps: RecordProcessorDependencies) {
    const { store, log } = deps;

    /**
     * Confirms an order that a redelivery found stored and not yet CONFIRMED: "sent" when this call
     * sent the email, "confirmed" when it was not needed or had gone out, "failed" when the order is
     * FAILED (now or before).
     */
    async function confirmStored(
        message: OrderMessage,
        totals: OrderTotals,
        leaseUntil: number,
        fields: LogFields,
        tally: RecordTally,
    ): Promise<"sent" | "confirmed" | "failed"> {
        const { orderId, order } = message;
        const send = deps.sendEmail;
        if (send === undefined) {
            await store.transition(orderId, CONFIRMED, deps.now());
            return "confirmed";
        }
        const claim = await store.claimEmail(orderId, randomUUID(), leaseUntil, deps.now());
        switch (claim.kind) {
            case "sent":
            case "not-required":
                await store.transition(orderId, CONFIRMED, deps.now());
                return "confirmed";
            case "failed":
                return "failed";
            case "held":
                throw new EmailInProgressError(
                    `the confirmation of order ${orderId} is being sent by another invocation (claim until ${new Date(claim.leaseUntil).toISOString()})`,
                    claim.leaseUntil,
                );
            case "claimed": {
                const result = await sendUnderClaim(send, orderId, order, totals, claim.claimId, leaseUntil, fields, tally);
                if ("failed" in result) return "failed";
                log.info("confirmation email sent", { ...fields, sesMessageId: result.sent });
                return "sent";
            }
        }
    }

    /**
     * Sends the confirmation under a held claim and marks it sent; resolves to SES's message id. An
     * email that can never be sent marks the order FAILED with the reason instead, under the same
     * claim, and resolves to that reason: retrying would only fail again, for ever.
     */
    async function sendUnderClaim(
        send: EmailSender,
        orderId: string,
        order: Order,
        totals: OrderTotals,
        claimId: string,
        leaseUntil: number,
        fields: LogFields,
        tally: RecordTally,
    ): Promise<SendResult> {
        let messageId: string;
        try {
            messageId = await send(renderConfirmationEmail(orderId, order, totals), orderId);
        } catch (err) {
            if (err instanceof UnsendableEmailError) return failUnderClaim(orderId, claimId, err, fields, tally);
            // Give the claim back so the redelivery sends at once; if even that fails, the lease
            // runs out at this invocation's deadline and the claim can be taken again then.
            const released = await store.releaseEmailClaim(orderId, claimId, deps.now()).catch(() => false);
            log.error("confirmation email failed", { ...fields, claimReleased: released, ...errorFields(err) });
            throw err;
        }
        tally.emailsSent++;
        // Marks SENT and CONFIRMED in one write.
        const marked = await markSentWhileLeased(orderId, claimId, messageId, leaseUntil);
        if (!marked) {
            // Only possible when this invocation outlived its own lease; another one may send again
            // and confirms the order then, so the follow-ups are left to it.
            log.warn("email claim expired before the email was marked sent", { ...fields, sesMessageId: messageId });
            throw new EmailInProgressError(`the email claim on order ${orderId} expired before the email was marked sent`);
        }
        return { sent: messageId };
    }

    /** Marks the order FAILED under the claim; a lost claim is retried like any other. */
    async function failUnderClaim(orderId: string, claimId: string, err: UnsendableEmailError, fields: LogFields, tally: RecordTally): Promise<SendResult> {
        const marked = await store.markEmailFailed(orderId, claimId, err.message, deps.now());
        if (!marked) throw new EmailInProgressError(`the email claim on order ${orderId} expired before the order was marked failed`);
        tally.ordersFailed++;
        log.error("order failed: its confirmation can never be sent; not retried", { ...fields, reason: err.reason });
        return { failed: err.message };
    }

    /**
     * Marks the email sent, retrying until shortly before the lease runs out: once SES has the
     * email, failing the record here would make the redelivery send it a second time.
     */
    async function markSentWhileLeased(orderId: string, claimId: string, messageId: string, leaseUntil: number): Promise<boolean> {
        for (let attempt = 1; ; attempt++) {
            try {
                return await store.markEmailSent(orderId, claimId, messageId, deps.now());
            } catch (err) {
                const pause = Math.min(100 * 2 ** attempt, 2000);
                if (deps.now().getTime() + pause + MARK_SENT_MARGIN_MS >= leaseUntil) throw err;
                await new Promise((resolve) => setTimeout(resolve, pause));
            }
        }
    }

    /**
     * Processes one record. `leaseUntil` (epoch ms) is how long an email claim taken now may hold:
     * the invocation's deadline, after which this invocation cannot be sending any more. What
     * happens is also counted in `tally`, as it happens.
     */
    return async function processRecord({ record, parsed }: ParsedRecord, leaseUntil: number, tally: RecordTally): Promise<RecordOutcome> {
        const startedAt = performance.now();
        const correlationId = recordCorrelationId(record);
        const fields: LogFields = {
            correlationId,
            messageId: record.messageId,
            receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 0),
        };
        if (!parsed.ok) {
            const where = parsed.violations?.map((v) => `${v.pointer || "/"} ${v.detail}`).join("; ");
            throw new PoisonMessageError(where ? `${parsed.reason}: ${where}` : parsed.reason);
        }
        const message = parsed.message;
        const orderFields = { ...fields, orderId: message.orderId };
        const totals = computeTotals(message.order);
        const now = deps.now().toISOString();
        const send = deps.sendEmail;
        // A new order is written already holding the email claim (or already CONFIRMED when
        // there is no email): one write fewer than storing, then claiming.
        const claimId = randomUUID();
        const item: OrderItem = {
            orderId: message.orderId,
            schemaVersion: message.schemaVersion,
            status: send ? INITIAL_STATUS : CONFIRMED,
            payloadHash: message.payloadHash,
            order: message.order,
            totals,
            receivedAt: message.receivedAt,
            createdAt: now,
            updatedAt: now,
            correlationId,
            ...(message.customerId === undefined ? {} : { customerId: message.customerId }),
            ...(send ? { emailStatus: "CLAIMED", emailClaimId: claimId, emailLeaseUntil: leaseUntil } : { emailStatus: "DISABLED" }),
        };

        const put = await store.putNew(item);
        // Our own put whose answer was lost (the SDK's retry then failed the condition).
        const ownPut = !put.created && send !== undefined && put.existing.emailClaimId === claimId;
        let kind: RecordOutcome["kind"] = "stored";
        if (put.created || ownPut) {
            tally.processed++;
        } else if (put.existing.payloadHash !== message.payloadHash) {
            // Same id, different order (an Idempotency-Key reused with another body): the stored
            // order stands; retrying cannot change that, so the record is done.
            tally.conflicts++;
            log.warn("order conflict: id already stored with a different payload; not overwritten", {
                ...orderFields,
                storedPayloadHash: put.existing.payloadHash,
                receivedPayloadHash: message.payloadHash,
            });
            await deps.followUps?.conflict({
                orderId: message.orderId,
                storedPayloadHash: put.existing.payloadHash,
                receivedPayloadHash: message.payloadHash,
                receivedAt: message.receivedAt,
            });
            return { kind: "conflict", emailSent: false };
        } else {
            kind = "duplicate";
            tally.duplicates++;
            log.info("duplicate delivery of a stored order", { ...orderFields, status: put.existing.status, emailStatus: put.existing.emailStatus });
            const existing = put.existing;
            const outcome = hasReached(existing.status, CONFIRMED) ? "confirmed" : await confirmStored(message, totals, leaseUntil, orderFields, tally);
            if (outcome === "failed") return { kind, emailSent: false, failed: true };
            await deps.followUps?.confirmed(confirmedOrder(existing));
            return { kind, emailSent: outcome === "sent" };
        }
        // One line per new order, written once it is confirmed: log volume is billed per byte.
        const sent = send === undefined ? undefined : await sendUnderClaim(send, message.orderId, message.order, totals, claimId, leaseUntil, orderFields, tally);
        if (sent !== undefined && "failed" in sent) return { kind, emailSent: false, failed: true };
        // The line of every order, so only what finds and explains it: no messageId, which the
        // failure lines carry (the DLQ tool reads them) and which adds nothing once the order is
        // stored, and the receive count only when this was not the first receive.
        const receiveCount = fields.receiveCount;
        log.info("order stored", {
            correlationId,
            orderId: message.orderId,
            durationMs: elapsedMs(startedAt),
            ...(receiveCount === 1 ? {} : { receiveCount }),
            ...(sent === undefined ? {} : { sesMessageId: sent.sent }),
        });
        await deps.followUps?.confirmed(confirmedOrder(item));
        return { kind, emailSent: sent !== undefined };
    };
}
