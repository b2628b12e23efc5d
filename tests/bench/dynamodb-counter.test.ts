import { expect } from "chai";
import { ConditionalCheckFailedException, CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { startDynamoDbCounter, type DynamoDbCounter } from "../../bench/dynamodb-counter";
import { startEmulators, type Emulators } from "../../local/emulators/emulators";

describe("DynamoDB counting proxy", () => {
    let emulators: Emulators;
    let counter: DynamoDbCounter;
    let client: DynamoDBClient;

    before(async () => {
        emulators = await startEmulators();
        counter = await startDynamoDbCounter(emulators.endpoints.dynamodb);
        client = new DynamoDBClient({ endpoint: counter.endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
        await client.send(
            new CreateTableCommand({
                TableName: "items",
                AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
                KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
    });

    after(async () => {
        client.destroy();
        await counter.stop();
        await emulators.stop();
    });

    beforeEach(() => counter.reset());

    it("should count a new 1.5 KB item as one PutItem of 2 write units", async () => {
        await client.send(new PutItemCommand({ TableName: "items", Item: { pk: { S: "a" }, data: { S: "x".repeat(1500) } } }));
        expect(counter.usage().items).to.deep.include({ requests: { PutItem: 1 }, writeUnits: 2, conditionalCheckFailures: 0 });
    });

    it("should bill an update by the larger of the item before and after", async () => {
        await client.send(new PutItemCommand({ TableName: "items", Item: { pk: { S: "b" }, data: { S: "x".repeat(3000) } } }));
        counter.reset();
        // A tiny change to a 3 KB item still costs 3 WCU.
        await client.send(new UpdateItemCommand({ TableName: "items", Key: { pk: { S: "b" } }, UpdateExpression: "SET s = :s", ExpressionAttributeValues: { ":s": { S: "y" } } }));
        expect(counter.usage().items.writeUnits).to.equal(3);
    });

    it("should bill a failed condition and hand back the stored item when asked for ALL_OLD", async () => {
        await client.send(new PutItemCommand({ TableName: "items", Item: { pk: { S: "c" }, v: { N: "1" } } }));
        counter.reset();
        const error = await client
            .send(
                new PutItemCommand({
                    TableName: "items",
                    Item: { pk: { S: "c" }, v: { N: "2" } },
                    ConditionExpression: "attribute_not_exists(pk)",
                    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
                }),
            )
            .then(
                () => undefined,
                (err: unknown) => err,
            );
        expect(error).to.be.instanceOf(ConditionalCheckFailedException);
        expect((error as ConditionalCheckFailedException).Item).to.deep.equal({ pk: { S: "c" }, v: { N: "1" } });
        expect(counter.usage().items).to.deep.include({ requests: { PutItem: 1 }, writeUnits: 1, conditionalCheckFailures: 1 });
    });

    it("should count reads by consistency, a missing item included, and leave its own reads out", async () => {
        await client.send(new GetItemCommand({ TableName: "items", Key: { pk: { S: "missing" } }, ConsistentRead: true }));
        await client.send(new GetItemCommand({ TableName: "items", Key: { pk: { S: "missing" } } }));
        expect(counter.usage().items).to.deep.include({ requests: { GetItem: 2 }, readUnits: 1.5, writeUnits: 0 });
        expect(counter.total().requests).to.deep.equal({ GetItem: 2 });
    });
});
