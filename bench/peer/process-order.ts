/**
 * The peer's ProcessOrder, written the way the Powertools for AWS Lambda (TypeScript) documentation
 * shows: Batch processing (`BatchProcessor(EventType.SQS)` with its Parser integration and
 * `processPartialResponse`), Idempotency (`makeIdempotent` on each record with a
 * `DynamoDBPersistenceLayer` on its own idempotency table, as in "Working with batch processing"),
 * and Logger. It does the same job as handlers/process-order.ts: store the order with its totals,
 * email the confirmation through SES once, mark the order confirmed, report failed records.
 * Part of the benchmark only.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { parser } from "@aws-lambda-powertools/batch/parser";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendEmailCommand, SESClient } from "@aws-sdk/client-ses";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { QUEUE_RETENTION_SECONDS } from "../../contract/defaults";
import { renderConfirmationEmail } from "../../handlers/order/confirmation-email";
import { computeTotals } from "../../handlers/order/totals";
import { peerEnvironment } from "./environment";
import { PeerOrderMessageSchema, type PeerOrderMessage } from "./schema";

const logger = new Logger({ serviceName: "orders" });
const tableName = peerEnvironment.tableName();
const emailEnabled = peerEnvironment.emailEnabled();
const sender = emailEnabled ? peerEnvironment.emailSender() : "";
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});
const processor = new BatchProcessor(EventType.SQS, {
    parser,
    innerSchema: PeerOrderMessageSchema,
    transformer: "json",
    logger,
});
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: peerEnvironment.idempotencyTableName() });
// One idempotency record per order id (a resent message has a new messageId but the same order);
// a different order under the same id fails validation instead of overwriting. Records must
// outlive the queue's retention, or a late redelivery would run again.
const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: "body.orderId",
    payloadValidationJmesPath: "body.order",
    expiresAfterSeconds: QUEUE_RETENTION_SECONDS,
});

const processRecord = makeIdempotent(
    async (record: SQSRecord & { body: PeerOrderMessage }) => {
        const { orderId, receivedAt, order } = record.body;
        const totals = computeTotals(order);
        await documents.send(
            new PutCommand({
                TableName: tableName,
                Item: { orderId, status: emailEnabled ? "STORED" : "CONFIRMED", receivedAt, storedAt: new Date().toISOString(), order, totals },
            }),
        );
        if (emailEnabled) {
            const email = renderConfirmationEmail(orderId, order, totals);
            await ses.send(
                new SendEmailCommand({
                    Source: sender,
                    Destination: { ToAddresses: [email.to] },
                    Message: {
                        Subject: { Data: email.subject, Charset: "UTF-8" },
                        Body: { Text: { Data: email.text, Charset: "UTF-8" }, Html: { Data: email.html, Charset: "UTF-8" } },
                    },
                }),
            );
            await documents.send(
                new UpdateCommand({
                    TableName: tableName,
                    Key: { orderId },
                    UpdateExpression: "SET #status = :confirmed, emailSentAt = :now",
                    ExpressionAttributeNames: { "#status": "status" },
                    ExpressionAttributeValues: { ":confirmed": "CONFIRMED", ":now": new Date().toISOString() },
                }),
            );
        }
        logger.info("order processed", { orderId });
        return { orderId };
    },
    { persistenceStore, config: idempotencyConfig },
);

/** The peer's ProcessOrder handler: an SQS batch in, the records to retry out. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context);
    idempotencyConfig.registerLambdaContext(context);
    return processPartialResponse(event, processRecord, processor, { context });
};
