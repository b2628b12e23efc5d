import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createProcessOrderHandler } from "../../../handlers/process/process-order-handler";
import { PoisonMessageError } from "../../../handlers/process/process-record";
import { backoffDelaySeconds, CLAIM_RECHECK_FIRST_SECONDS, claimRecheckDelaySeconds, transientReason } from "../../../handlers/process/retry-backoff";
import { createSubmitOrderHandler } from "../../../handlers/submit/submit-order-handler";
import { sdkClientSettings } from "../../../handlers/runtime/aws-clients";
import { createPipelineResources, type LocalResources } from "../../../local/pipeline/resources";
import { resolveLocalSettings } from "../../../local/pipeline/local-settings";
import { clientsFor, closedPortUrl, freshResources, LOCAL_AWS, sharedEmulators, type TestClients } from "../support/emulators";
import { lambdaContext, lineCollector, postOrderEvent, sampleOrder, sqsEvent, sqsRecord } from "../support/fixtures";

/** An error as the SDK throws it for an answer with this HTTP status. */
function sdkError(name: string, status: number): Error {
    return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

describe("retry backoff of ProcessOrder", () => {
    describe("telling transient failures from the rest", () => {
        it("should count throttling, 5xx answers, timeouts and lost connections as transient", () => {
            expect(transientReason(sdkError("ThrottlingException", 400))).to.equal("throttling");
            expect(transientReason(sdkError("ProvisionedThroughputExceededException", 400))).to.equal("throttling");
            expect(transientReason(sdkError("TooManyRequestsException", 429))).to.equal("throttling");
            expect(transientReason(sdkError("InternalServerError", 500))).to.equal("server-error");
            expect(transientReason(sdkError("ServiceUnavailable", 503))).to.equal("server-error");
            expect(transientReason(Object.assign(new Error("timed out"), { name: "TimeoutError" }))).to.equal("timeout");
            expect(transientReason(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).to.equal("timeout");
            expect(transientReason(new Error("wrapped", { cause: sdkError("InternalFailure", 500) }))).to.equal("server-error");
        });

        it("should count an invalid message, a refused condition and a client error as not transient", () => {
            expect(transientReason(new PoisonMessageError("not JSON"))).to.equal(undefined);
            expect(transientReason(sdkError("ConditionalCheckFailedException", 400))).to.equal(undefined);
            expect(transientReason(sdkError("MessageRejected", 400))).to.equal(undefined);
            expect(transientReason(new Error("anything else"))).to.equal(undefined);
            expect(transientReason(undefined)).to.equal(undefined);
        });
    });

    describe("the delay", () => {
        const policy = { baseDelaySeconds: 30, maxDelaySeconds: 180 };

        it("should double per receive, with half of it fixed and half random", () => {
            expect([1, 2, 3].map((n) => backoffDelaySeconds(policy, n, () => 0))).to.deep.equal([15, 30, 60]);
            expect([1, 2, 3].map((n) => backoffDelaySeconds(policy, n, () => 0.999999))).to.deep.equal([30, 60, 120]);
        });

        it("should stay below the visibility timeout and never be 0", () => {
            for (let receive = 1; receive <= 20; receive++) {
                for (const r of [0, 0.5, 0.999999]) {
                    const delay = backoffDelaySeconds(policy, receive, () => r);
                    expect(delay).to.be.within(1, 180);
                    expect(Number.isInteger(delay)).to.equal(true);
                }
            }
            expect(backoffDelaySeconds({ baseDelaySeconds: 30, maxDelaySeconds: 6 }, 1, () => 0.999999)).to.equal(6);
            expect(backoffDelaySeconds({ baseDelaySeconds: 0, maxDelaySeconds: 6 }, 1, () => 0)).to.equal(1);
        });

        it("should recheck a copy whose email another invocation is sending soon, then when that claim runs out", () => {
            const now = 1_000_000;
            expect(claimRecheckDelaySeconds(policy, 1, now + 25_000, now)).to.equal(CLAIM_RECHECK_FIRST_SECONDS);
            expect(claimRecheckDelaySeconds(policy, 2, now + 25_000, now)).to.equal(25);
            expect(claimRecheckDelaySeconds(policy, 2, now + 24_001, now)).to.equal(25);
            // A claim about to run out, or already out: come back after a second.
            expect(claimRecheckDelaySeconds(policy, 1, now + 300, now)).to.equal(1);
            expect(claimRecheckDelaySeconds(policy, 3, now - 5_000, now)).to.equal(1);
            // Never past the visibility timeout.
            expect(claimRecheckDelaySeconds({ baseDelaySeconds: 30, maxDelaySeconds: 10 }, 2, now + 60_000, now)).to.equal(10);
        });
    });

    describe("on the SQS and DynamoDB emulators", () => {
        let clients: TestClients;

        before(async () => {
            clients = clientsFor((await sharedEmulators()).endpoints);
        });

        /** Records the SQS operations a client sends. */
        function recordOperations(sqs: SQSClient): string[] {
            const seen: string[] = [];
            sqs.middlewareStack.add(
                (next, context) => async (args) => {
                    seen.push(String(context.commandName));
                    return next(args);
                },
                { step: "initialize", name: `record-${randomBytes(4).toString("hex")}` },
            );
            return seen;
        }

        /** A queue that hides a received message for 60 s, one order submitted to it, and an SES client with nothing behind it. */
        async function orderOnSlowQueue(): Promise<{ resources: LocalResources; orderId: string; brokenSes: SESv2Client }> {
            const resources = await createPipelineResources(clients, resolveLocalSettings(`t-${randomBytes(6).toString("hex")}`, {}, { visibilityTimeoutSeconds: 60 }));
            const submit = createSubmitOrderHandler({ sqs: clients.sqs, queueUrl: resources.queueUrl, writeLine: lineCollector().write });
            const { orderId } = JSON.parse((await submit(postOrderEvent(sampleOrder()))).body) as { orderId: string };
            const brokenSes = new SESv2Client({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: await closedPortUrl() });
            return { resources, orderId, brokenSes };
        }

        async function receiveOne(queueUrl: string, waitSeconds: number): Promise<Message | undefined> {
            const { Messages = [] } = await clients.sqs.send(
                new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: waitSeconds, MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] }),
            );
            return Messages[0];
        }

        it("should bring a record that failed on an unreachable SES back after its delay instead of the visibility timeout", async () => {
            // Prepare: a queue that hides a received message for 60 s; SES unreachable at first.
            const { resources, orderId, brokenSes } = await orderOnSlowQueue();
            const log = lineCollector();
            const retry = { sqs: clients.sqs, queueUrl: resources.queueUrl, policy: { baseDelaySeconds: 1, maxDelaySeconds: 59 }, random: () => 0.999999 };
            const failing = createProcessOrderHandler({
                dynamodb: clients.dynamodb,
                tableName: resources.tableName,
                email: { ses: brokenSes, source: "shop@example.com" },
                retry,
                writeLine: log.write,
            });
            const first = await receiveOne(resources.queueUrl, 1);

            // Act
            const response = await failing(sqsEvent([sqsRecord(first!, resources.queueArn)]), lambdaContext());
            // Without the backoff the message stays hidden for 60 s; this long poll ends after 10.
            const again = await receiveOne(resources.queueUrl, 10);
            brokenSes.destroy();

            // Assess
            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: first!.MessageId }]);
            const failure = log.json().find((line) => line.message?.toString().startsWith("record failed"));
            expect(failure).to.include({ messageId: first!.MessageId, orderId, transient: "timeout", retryInSeconds: 1 });
            expect(again?.MessageId).to.equal(first!.MessageId);
            expect(again?.Attributes?.ApproximateReceiveCount).to.equal("2");

            // And with SES back, the redelivery confirms the order.
            const working = createProcessOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, email: { ses: clients.ses, source: "shop@example.com" }, retry, writeLine: lineCollector().write });
            expect(await working(sqsEvent([sqsRecord(again!, resources.queueArn)]), lambdaContext())).to.deep.equal({ batchItemFailures: [] });
            await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: resources.queueUrl, ReceiptHandle: again!.ReceiptHandle! }));
            const { Item } = await DynamoDBDocumentClient.from(clients.dynamodb).send(new GetCommand({ TableName: resources.tableName, Key: { orderId } }));
            expect(Item).to.include({ status: "CONFIRMED", emailStatus: "SENT" });
        });

        it("should bring back a copy whose email another invocation is sending after seconds, not the visibility timeout", async () => {
            // Prepare: an order stored with its email still to send, then claimed by "another invocation" for 20 s.
            const { resources, orderId, brokenSes } = await orderOnSlowQueue();
            const retry = { sqs: clients.sqs, queueUrl: resources.queueUrl, policy: { baseDelaySeconds: 30, maxDelaySeconds: 59 } };
            const storeOnly = createProcessOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, email: { ses: brokenSes, source: "shop@example.com" }, writeLine: lineCollector().write });
            const first = await receiveOne(resources.queueUrl, 1);
            await storeOnly(sqsEvent([sqsRecord(first!, resources.queueArn)]), lambdaContext());
            brokenSes.destroy();
            await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: resources.queueUrl, ReceiptHandle: first!.ReceiptHandle! }));
            const documents = DynamoDBDocumentClient.from(clients.dynamodb);
            await documents.send(
                new UpdateCommand({
                    TableName: resources.tableName,
                    Key: { orderId },
                    UpdateExpression: "SET emailStatus = :claimed, emailClaimId = :other, emailLeaseUntil = :until",
                    ExpressionAttributeValues: { ":claimed": "CLAIMED", ":other": "another-invocation", ":until": Date.now() + 20_000 },
                }),
            );
            await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: first!.Body!, MessageAttributes: first!.MessageAttributes }));
            const log = lineCollector();
            const handler = createProcessOrderHandler({ dynamodb: clients.dynamodb, tableName: resources.tableName, email: { ses: clients.ses, source: "shop@example.com" }, retry, writeLine: log.write });

            // Act: the copy meets the claim twice.
            const copy = await receiveOne(resources.queueUrl, 1);
            const response = await handler(sqsEvent([sqsRecord(copy!, resources.queueArn)]), lambdaContext());
            // Without the recheck the copy stays hidden for 60 s; this long poll ends after 10.
            const again = await receiveOne(resources.queueUrl, 10);
            await handler(sqsEvent([sqsRecord(again!, resources.queueArn)]), lambdaContext());

            // Assess
            expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: copy!.MessageId }]);
            const failures = log.json().filter((line) => line.message?.toString().startsWith("record failed"));
            expect(failures.map((line) => line.transient)).to.deep.equal(["claim-held", "claim-held"]);
            expect(failures[0]).to.include({ orderId, retryInSeconds: CLAIM_RECHECK_FIRST_SECONDS });
            // The second waits until the claim runs out (20 s after it was taken, less the time gone by).
            expect(failures[1].retryInSeconds).to.be.within(10, 20);
            expect(again?.MessageId).to.equal(copy!.MessageId);
            expect(again?.Attributes?.ApproximateReceiveCount).to.equal("2");
            const { Item } = await documents.send(new GetCommand({ TableName: resources.tableName, Key: { orderId } }));
            expect(Item).to.include({ emailStatus: "CLAIMED", emailClaimId: "another-invocation" });
        });

        it("should leave an invalid message to the visibility timeout, so it reaches the DLQ after exactly 3 receives", async () => {
            // Prepare: visibility timeout 0, so each failed receive comes straight back.
            const resources = await freshResources(clients);
            const operations = recordOperations(clients.sqs);
            const handler = createProcessOrderHandler({
                dynamodb: clients.dynamodb,
                tableName: resources.tableName,
                retry: { sqs: clients.sqs, queueUrl: resources.queueUrl, policy: { baseDelaySeconds: 1, maxDelaySeconds: 59 } },
                writeLine: lineCollector().write,
            });
            const { MessageId } = await clients.sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: "not json" }));

            // Act
            let receives = 0;
            // fauxqs takes fractional waits: the receive that finds the message gone ends after 0.1 s.
            for (let message = await receiveOne(resources.queueUrl, 0.1); message; message = await receiveOne(resources.queueUrl, 0.1)) {
                receives++;
                const response = await handler(sqsEvent([sqsRecord(message, resources.queueArn)]), lambdaContext());
                expect(response.batchItemFailures).to.have.length(1);
                if (receives > 5) break;
            }
            const inDlq = await receiveOne(resources.dlqUrl, 1);

            // Assess
            expect(receives).to.equal(3);
            expect(inDlq?.MessageId).to.equal(MessageId);
            expect(operations.filter((op) => op.startsWith("ChangeMessageVisibility"))).to.deep.equal([]);
        });
    });
});
