import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { TABLE_KEY } from "../../contract/defaults";
import { hasReached, isOrderStatus, type OrderStatus } from "../order/status";
import type { OrderItem } from "./order-item";
import { InvalidTransitionError, transitionCondition } from "./transition-condition";


/** True when DynamoDB refused a write because its condition did not hold. */
export function isConditionalCheckFailed(err: unknown): boolean {
    return err instanceof Error && err.name === "ConditionalCheckFailedException";
}

/**
 * The item a failed conditional write saw, when DynamoDB returned it
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`). Undefined when it did not (the item does not
 * exist, or an emulator ignores the option): the caller then reads the item.
 */
export function itemOfFailedCondition(err: unknown): OrderItem | undefined {
    const item = (err as { Item?: Parameters<typeof unmarshall>[0] }).Item;
    return item ? (unmarshall(item) as OrderItem) : undefined;
}


/** The condition of every write made under an email claim: `claimId` (`:claim`) holds it. */
const CLAIM_HELD = "emailStatus = :claimed AND emailClaimId = :claim";

/** The outcome of claiming an order's confirmation email. */
export type EmailClaim =
    /** This caller holds the claim and must send the email, then mark it sent or release it. */
    | { readonly kind: "claimed"; readonly claimId: string }
    /** The email went out already. */
    | { readonly kind: "sent" }
    /** Another invocation holds an unexpired claim: it is sending right now. */
    | { readonly kind: "held"; readonly leaseUntil: number }
    /** The order needs no email (DISABLED). */
    | { readonly kind: "not-required" }
    /** The email can never be sent; the order is FAILED. */
    | { readonly kind: "failed" };

/** The fields of an order that GetOrder reads: no customer data but the owner's id. */
export const SUMMARY_FIELDS = [
    "orderId",
    "status",
    "totals",
    "createdAt",
    "updatedAt",
    "customerId",
    "shippingStartedAt",
    "carrier",
    "trackingNumber",
    "shippedAt",
    "refundRequestedAt",
    "refundedAt",
    "failureReason",
    "failedAt",
    "emailDelivery",
    "emailDeliveryAt",
    "emailBounceType",
    "emailBounceSubType",
] as const satisfies readonly (keyof OrderItem)[];

/** What GetOrder reads of an order. */
export type OrderSummaryItem = Pick<OrderItem, (typeof SUMMARY_FIELDS)[number]>;

/** Reads these attributes of one order and no other, strongly consistent; undefined when there is no such order. */
export async function readOrderFields(doc: DynamoDBDocumentClient, tableName: string, orderId: string, fields: readonly string[]): Promise<Record<string, unknown> | undefined> {
    // Every field through a placeholder: `status` is a reserved word, and so may a future field be.
    const names = Object.fromEntries(fields.map((field, i) => [`#f${i}`, field]));
    const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: { [TABLE_KEY]: orderId }, ConsistentRead: true, ProjectionExpression: Object.keys(names).join(", "), ExpressionAttributeNames: names }),
    );
    return Item;
}

/** The outcome of asking for a refund. */
export type RefundRequestOutcome =
    /** The order moved to REFUND_REQUESTED now. */
    | { readonly kind: "requested" }
    /** It was REFUND_REQUESTED already (a retried request): the refund workflow may still need starting. */
    | { readonly kind: "already-requested" }
    | { readonly kind: "not-found" }
    /** The order belongs to another customer. */
    | { readonly kind: "not-owner" }
    /** Its status does not allow a refund (not yet confirmed, or refunded already). */
    | { readonly kind: "not-refundable"; readonly status: string };

/**
 * The orders table. Every write is conditional: the put creates an order only once, status
 * changes follow the transition table, and the email fields move only under a claim.
 */
export class OrderStore {
    private readonly doc: DynamoDBDocumentClient;

    constructor(dynamodb: DynamoDBClient, private readonly tableName: string) {
        this.doc = DynamoDBDocumentClient.from(dynamodb);
    }

    /**
     * Creates the order unless its id exists (`attribute_not_exists`, so a redelivery never
     * overwrites). When it exists, returns the stored item: the one the failed condition saw, or a
     * strongly consistent read where DynamoDB did not return it.
     */
    async putNew(item: OrderItem): Promise<{ readonly created: true } | { readonly created: false; readonly existing: OrderItem }> {
        const put = await this.conditionalWrite(
            new PutCommand({
                TableName: this.tableName,
                Item: item,
                ConditionExpression: "attribute_not_exists(#key)",
                ExpressionAttributeNames: { "#key": TABLE_KEY },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            }),
            item.orderId,
        );
        if (put.written) return { created: true };
        // Orders are never deleted by the pipeline; a vanished item is someone else's doing.
        if (!put.current) throw new Error(`order ${item.orderId} exists per the put condition but cannot be read`);
        return { created: false, existing: put.current };
    }

    /**
     * Sends a conditional write that asks for the item on refusal (`ALL_OLD`). Refused, it answers
     * the item the condition saw; where DynamoDB did not return it (the item is missing, or an
     * emulator ignores the option), the item read again, strongly consistent.
     */
    private async conditionalWrite(
        command: PutCommand | UpdateCommand,
        orderId: string,
    ): Promise<{ readonly written: true } | { readonly written: false; readonly current: OrderItem | undefined }> {
        try {
            await this.doc.send(command as UpdateCommand);
            return { written: true };
        } catch (err) {
            if (!isConditionalCheckFailed(err)) throw err;
            return { written: false, current: itemOfFailedCondition(err) ?? (await this.get(orderId)) };
        }
    }

    /** Reads one order, strongly consistent. */
    async get(orderId: string): Promise<OrderItem | undefined> {
        const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { [TABLE_KEY]: orderId }, ConsistentRead: true }));
        return Item as OrderItem | undefined;
    }

    /** Reads what GetOrder shows of an order, and nothing else (no customer data leaves the table). */
    async getSummary(orderId: string): Promise<OrderSummaryItem | undefined> {
        return (await readOrderFields(this.doc, this.tableName, orderId, SUMMARY_FIELDS)) as OrderSummaryItem | undefined;
    }

    /**
     * Moves an order to REFUND_REQUESTED along the transition table, in one conditional write that
     * also checks the owner when `customerId` is given. When the write is refused, the item the
     * condition saw tells why.
     */
    async requestRefund(orderId: string, request: { readonly reason?: string; readonly customerId?: string; readonly now: Date }): Promise<RefundRequestOutcome> {
        const condition = transitionCondition("REFUND_REQUESTED");
        const owner = request.customerId === undefined ? {} : { ":customer": request.customerId };
        const update = await this.conditionalWrite(
            new UpdateCommand({
                TableName: this.tableName,
                Key: { [TABLE_KEY]: orderId },
                UpdateExpression: `SET #status = :to, refundRequestedAt = :now, updatedAt = :now${request.reason === undefined ? "" : ", refundReason = :reason"}`,
                ConditionExpression: `${condition.ConditionExpression}${request.customerId === undefined ? "" : " AND customerId = :customer"}`,
                ExpressionAttributeNames: condition.ExpressionAttributeNames,
                ExpressionAttributeValues: {
                    ...condition.ExpressionAttributeValues,
                    ...owner,
                    ":now": request.now.toISOString(),
                    ...(request.reason === undefined ? {} : { ":reason": request.reason }),
                },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            }),
            orderId,
        );
        if (update.written) return { kind: "requested" };
        const item = update.current;
        if (item === undefined) return { kind: "not-found" };
        if (request.customerId !== undefined && item.customerId !== request.customerId) return { kind: "not-owner" };
        if (item.status === "REFUND_REQUESTED") return { kind: "already-requested" };
        return { kind: "not-refundable", status: item.status };
    }

    /**
     * Moves an order to `to`, on condition that its current status is one the transition table
     * allows to precede `to`. Repeating a step that already happened is a no-op ("already");
     * a move the table does not allow throws {@link InvalidTransitionError}.
     */
    async transition(orderId: string, to: OrderStatus, now: Date): Promise<"moved" | "already"> {
        const condition = transitionCondition(to);
        const update = await this.conditionalWrite(
            new UpdateCommand({
                TableName: this.tableName,
                Key: { [TABLE_KEY]: orderId },
                UpdateExpression: "SET #status = :to, updatedAt = :now",
                ...condition,
                ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ":now": now.toISOString() },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            }),
            orderId,
        );
        if (update.written) return "moved";
        const current = update.current?.status;
        if (current === undefined) throw new InvalidTransitionError(`order ${orderId} does not exist`);
        if (isOrderStatus(current) && hasReached(current, to)) return "already";
        throw new InvalidTransitionError(`order ${orderId} cannot move from ${current} to ${to}`);
    }

    /**
     * Claims the right to send an order's confirmation email: PENDING, or CLAIMED with a lease that
     * ran out before `now` (its holder died), becomes CLAIMED by `claimId` until `leaseUntil`.
     * One conditional update, so two concurrent deliveries cannot both win.
     */
    async claimEmail(orderId: string, claimId: string, leaseUntil: number, now: Date): Promise<EmailClaim> {
        const update = await this.conditionalWrite(
            new UpdateCommand({
                TableName: this.tableName,
                Key: { [TABLE_KEY]: orderId },
                UpdateExpression: "SET emailStatus = :claimed, emailClaimId = :claim, emailLeaseUntil = :lease, updatedAt = :nowIso",
                ConditionExpression: "emailStatus = :pending OR (emailStatus = :claimed AND emailLeaseUntil < :nowMs)",
                ExpressionAttributeValues: {
                    ":pending": "PENDING",
                    ":claimed": "CLAIMED",
                    ":claim": claimId,
                    ":lease": leaseUntil,
                    ":nowMs": now.getTime(),
                    ":nowIso": now.toISOString(),
                },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            }),
            orderId,
        );
        if (update.written) return { kind: "claimed", claimId };
        const item = update.current;
        switch (item?.emailStatus) {
            case "SENT":
                return { kind: "sent" };
            case "DISABLED":
                return { kind: "not-required" };
            case "FAILED":
                return { kind: "failed" };
            case "CLAIMED":
                // Our own claim: the update went through but its answer was lost, and the SDK's
                // retry then failed the condition. The claim is ours to send under.
                if (item.emailClaimId === claimId) return { kind: "claimed", claimId };
                return { kind: "held", leaseUntil: item.emailLeaseUntil ?? 0 };
            default:
                // PENDING again (a holder released between our update and read) or no item: let the
                // record be retried rather than guess.
                throw new Error(`email claim on order ${orderId} failed with emailStatus ${item?.emailStatus ?? "(no item)"}`);
        }
    }

    /**
     * Records that the email went out and moves the order to CONFIRMED, in one write, if `claimId`
     * still holds the claim. False when it lost it.
     */
    async markEmailSent(orderId: string, claimId: string, messageId: string, now: Date): Promise<boolean> {
        const confirmed = transitionCondition("CONFIRMED");
        const update = await this.conditionalWrite(
            new UpdateCommand({
                TableName: this.tableName,
                Key: { [TABLE_KEY]: orderId },
                UpdateExpression:
                    "SET emailStatus = :sent, emailSentAt = :now, emailMessageId = :messageId, #status = :to, updatedAt = :now REMOVE emailClaimId, emailLeaseUntil",
                ConditionExpression: `${CLAIM_HELD} AND ${confirmed.ConditionExpression}`,
                ExpressionAttributeNames: confirmed.ExpressionAttributeNames,
                ExpressionAttributeValues: {
                    ...confirmed.ExpressionAttributeValues,
                    ":sent": "SENT",
                    ":now": now.toISOString(),
                    ":messageId": messageId,
                    ":claimed": "CLAIMED",
                    ":claim": claimId,
                },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            }),
            orderId,
        );
        if (update.written) return true;
        // Our own write: the update went through but its answer was lost (a starved process, the
        // SDK's request timeout), and the SDK's retry then failed the condition. SES message ids
        // are unique, so an item SENT with ours was marked by this call.
        const item = update.current;
        return item?.emailStatus === "SENT" && item.emailMessageId === messageId;
    }

    /**
     * Records that the email can never be sent and moves the order to FAILED with the reason, in one
     * write, if `claimId` still holds the claim. False when it lost it.
     */
    async markEmailFailed(orderId: string, claimId: string, reason: string, now: Date): Promise<boolean> {
        const failed = transitionCondition("FAILED");
        return this.updateUnderClaim(orderId, claimId, {
            UpdateExpression:
                "SET emailStatus = :failed, failureReason = :reason, failedAt = :now, #status = :to, updatedAt = :now REMOVE emailClaimId, emailLeaseUntil",
            ConditionExpression: failed.ConditionExpression,
            ExpressionAttributeNames: failed.ExpressionAttributeNames,
            ExpressionAttributeValues: { ...failed.ExpressionAttributeValues, ":failed": "FAILED", ":reason": reason, ":now": now.toISOString() },
        });
    }

    /** Gives a claim back (the send failed), so that a redelivery can claim and send. False when it was not held. */
    async releaseEmailClaim(orderId: string, claimId: string, now: Date): Promise<boolean> {
        return this.updateUnderClaim(orderId, claimId, {
            UpdateExpression: "SET emailStatus = :pending, updatedAt = :now REMOVE emailClaimId, emailLeaseUntil",
            ExpressionAttributeValues: { ":pending": "PENDING", ":now": now.toISOString() },
        });
    }

    private async updateUnderClaim(
        orderId: string,
        claimId: string,
        update: {
            UpdateExpression: string;
            /** A further condition, besides holding the claim. */
            ConditionExpression?: string;
            ExpressionAttributeNames?: Record<string, string>;
            ExpressionAttributeValues: Record<string, unknown>;
        },
    ): Promise<boolean> {
        const claimHeld = CLAIM_HELD;
        try {
            await this.doc.send(
                new UpdateCommand({
                    TableName: this.tableName,
                    Key: { [TABLE_KEY]: orderId },
                    UpdateExpression: update.UpdateExpression,
                    ConditionExpression: update.ConditionExpression ? `${claimHeld} AND ${update.ConditionExpression}` : claimHeld,
                    ExpressionAttributeNames: update.ExpressionAttributeNames,
                    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ":claimed": "CLAIMED", ":claim": claimId },
                }),
            );
            return true;
        } catch (err) {
            if (isConditionalCheckFailed(err)) return false;
            throw err;
        }
    }
}
