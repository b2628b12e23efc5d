/**
 * Records a delivery event on its order item, in one conditional UpdateItem: the item must exist,
 * the event must be about the email the order sent (its `emailMessageId`, once stored), and it must
 * outrank what is recorded (see delivery-outcome.ts). A duplicate or an older event fails the
 * condition and writes nothing. Only the `emailDelivery*` and `emailBounce*` attributes are
 * written: the order's status and `updatedAt` stay as they are.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { TABLE_KEY } from "../../contract/defaults";
import { isConditionalCheckFailed, readOrderFields } from "../store/order-store";
import { deliveryRank, type EmailDeliveryEvent } from "./delivery-outcome";

/** What came of recording one event. */
export type RecordResult =
    /** Written: it is now the order's email outcome. */
    | "recorded"
    /** The same event is recorded already (a redelivery). */
    | "duplicate"
    /** A higher-ranked or later event is recorded; this one changes nothing. */
    | "superseded"
    /** No order has this id. */
    | "unknown-order"
    /** The order's confirmation has another SES message id: the event is not about it. */
    | "other-email";

/** The attributes a refused write is explained by; nothing else of the order is read. */
const EXPLAINING_FIELDS = [TABLE_KEY, "emailMessageId", "emailDeliveryRank", "emailDeliveryAt"] as const;

/** The order's email delivery record in the orders table. */
export class EmailDeliveryStore {
    private readonly doc: DynamoDBDocumentClient;

    constructor(dynamodb: DynamoDBClient, private readonly tableName: string) {
        this.doc = DynamoDBDocumentClient.from(dynamodb);
    }

    /** Records `event` on order `orderId` for the email SES knows as `sesMessageId`. */
    async record(orderId: string, sesMessageId: string, event: EmailDeliveryEvent): Promise<RecordResult> {
        const rank = deliveryRank(event);
        const bounce = event.outcome === "BOUNCED";
        const set = ["emailDelivery = :outcome", "emailDeliveryAt = :at", "emailDeliveryRank = :rank"];
        const remove: string[] = [];
        if (bounce && event.bounceType !== undefined) set.push("emailBounceType = :bounceType");
        else remove.push("emailBounceType");
        if (bounce && event.bounceSubType !== undefined) set.push("emailBounceSubType = :bounceSubType");
        else remove.push("emailBounceSubType");
        try {
            await this.doc.send(
                new UpdateCommand({
                    TableName: this.tableName,
                    Key: { [TABLE_KEY]: orderId },
                    UpdateExpression: `SET ${set.join(", ")}${remove.length > 0 ? ` REMOVE ${remove.join(", ")}` : ""}`,
                    ConditionExpression:
                        "attribute_exists(#key)" +
                        " AND (attribute_not_exists(emailMessageId) OR emailMessageId = :messageId)" +
                        " AND (attribute_not_exists(emailDeliveryRank) OR emailDeliveryRank < :rank OR (emailDeliveryRank = :rank AND emailDeliveryAt < :at))",
                    ExpressionAttributeNames: { "#key": TABLE_KEY },
                    ExpressionAttributeValues: {
                        ":outcome": event.outcome,
                        ":at": event.at,
                        ":rank": rank,
                        ":messageId": sesMessageId,
                        ...(bounce && event.bounceType !== undefined ? { ":bounceType": event.bounceType } : {}),
                        ...(bounce && event.bounceSubType !== undefined ? { ":bounceSubType": event.bounceSubType } : {}),
                    },
                }),
            );
            return "recorded";
        } catch (err) {
            if (!isConditionalCheckFailed(err)) throw err;
        }
        return this.explainRefusal(orderId, sesMessageId, rank, event.at);
    }

    /** Why the condition failed, from a strongly consistent read of the attributes it tests. */
    private async explainRefusal(orderId: string, sesMessageId: string, rank: number, at: string): Promise<RecordResult> {
        const Item = await readOrderFields(this.doc, this.tableName, orderId, EXPLAINING_FIELDS);
        if (Item === undefined) return "unknown-order";
        if (typeof Item.emailMessageId === "string" && Item.emailMessageId !== sesMessageId) return "other-email";
        return Item.emailDeliveryRank === rank && Item.emailDeliveryAt === at ? "duplicate" : "superseded";
    }
}
