import {
    CreateArchiveCommand,
    DeleteRuleCommand,
    DescribeRuleCommand,
    ListRulesCommand,
    ListTargetsByRuleCommand,
    RemoveTargetsCommand,
    EventBridgeClient,
    PutEventsCommand,
    PutRuleCommand,
    PutTargetsCommand,
    TestEventPatternCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { sdkClientSettings } from "../../handlers/runtime/aws-clients";
import { startEventBridgeEmulator, type EventBridgeEmulator } from "../../local/emulators/eventbridge-emulator";
import { LocalFunction } from "../../local/lambda/lambda-sandbox";
import { clientsFor, LOCAL_AWS, sharedEmulators } from "../handlers/support/emulators";

const BUS = "orders-bus";

describe("local EventBridge rules and targets", () => {
    let emulator: EventBridgeEmulator;
    let events: EventBridgeClient;
    let sqs: SQSClient;
    /** A function in the local Lambda sandbox: it takes OrderPlaced and fails on anything else. */
    const audit = new LocalFunction({
        functionName: "orders-audit",
        timeoutSeconds: 3,
        memoryMb: 128,
        region: "us-east-1",
        env: {},
        code: `exports.handler = async (event) => { console.log(JSON.stringify({ got: event["detail-type"] })); if (event["detail-type"] !== "OrderPlaced") throw new Error("audit is down"); return {}; };`,
    });

    before(async () => {
        const { endpoints } = await sharedEmulators();
        sqs = clientsFor(endpoints).sqs;
        emulator = await startEventBridgeEmulator({
            sqsEndpoint: endpoints.sqs,
            retryDelayMs: 5,
            invokeFunction: (arn, event) => (arn.endsWith(":function:orders-audit") ? audit.invoke(event) : undefined),
        });
        events = new EventBridgeClient({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: emulator.endpoint });
    });
    after(async () => {
        events.destroy();
        await emulator.stop();
    });
    beforeEach(() => emulator.reset());

    async function queue(name: string): Promise<{ url: string; arn: string }> {
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${randomUUID().slice(0, 8)}` }));
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
        return { url: QueueUrl!, arn: Attributes!.QueueArn! };
    }

    async function rule(name: string, pattern: unknown, targets: Array<{ Id: string; Arn: string; DeadLetterConfig?: { Arn: string }; RetryPolicy?: { MaximumRetryAttempts: number } }>) {
        const { RuleArn } = await events.send(new PutRuleCommand({ Name: name, EventBusName: BUS, EventPattern: JSON.stringify(pattern) }));
        const put = await events.send(new PutTargetsCommand({ Rule: name, EventBusName: BUS, Targets: targets }));
        expect(put.FailedEntryCount).to.equal(0);
        return RuleArn!;
    }

    const placed = (orderId: string, detailType = "OrderPlaced") => ({
        Source: "order-pipeline",
        DetailType: detailType,
        Detail: JSON.stringify({ orderId, totals: { total: 2500 } }),
        EventBusName: BUS,
        Resources: [`arn:aws:states:us-east-1:000000000000:execution:ship:${orderId}`],
    });

    async function receive(url: string, max = 10) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: max, WaitTimeSeconds: 0, MessageAttributeNames: ["All"] }));
        return Messages;
    }

    it("should send matching events to a queue target as EventBridge's envelope, through the real SQS API, and nothing else", async () => {
        const target = await queue("subscriber");
        const ruleArn = await rule("placed", { source: ["order-pipeline"], "detail-type": ["OrderPlaced"] }, [{ Id: "subscriber", Arn: target.arn }]);
        expect(ruleArn).to.equal(`arn:aws:events:us-east-1:000000000000:rule/${BUS}/placed`);

        const orderId = randomUUID();
        const put = await events.send(new PutEventsCommand({ Entries: [placed(orderId), placed(orderId, "OrderShipped")] }));
        await emulator.idle();

        const messages = await receive(target.url);
        expect(messages).to.have.length(1);
        const envelope = JSON.parse(messages[0].Body!);
        expect(envelope).to.deep.include({
            version: "0",
            id: put.Entries![0].EventId,
            "detail-type": "OrderPlaced",
            source: "order-pipeline",
            account: "000000000000",
            region: "us-east-1",
            resources: [`arn:aws:states:us-east-1:000000000000:execution:ship:${orderId}`],
            detail: { orderId, totals: { total: 2500 } },
        });
        expect(envelope.time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(emulator.deliveries()).to.deep.equal([{ eventId: envelope.id, ruleArn, targetId: "subscriber", targetArn: target.arn, attempts: 1, outcome: "delivered" }]);
    });

    it("should invoke a function target in the Lambda sandbox, retry a failing one, then put the event in the target's DLQ with EventBridge's attributes", async () => {
        const dlq = await queue("audit-dlq");
        const functionArn = "arn:aws:lambda:us-east-1:000000000000:function:orders-audit";
        const ruleArn = await rule("audit", { "detail-type": [{ prefix: "Order" }] }, [{ Id: "audit", Arn: functionArn, DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 1 } }]);

        await events.send(new PutEventsCommand({ Entries: [placed(randomUUID())] }));
        await emulator.idle();
        expect(audit.counts).to.include({ invocations: 1, errors: 0 });

        await events.send(new PutEventsCommand({ Entries: [placed(randomUUID(), "OrderShipped")] }));
        await emulator.idle();
        // One attempt and the one retry the policy allows.
        expect(audit.counts).to.include({ invocations: 3, errors: 2 });
        const [letter] = await receive(dlq.url);
        expect(JSON.parse(letter.Body!)["detail-type"]).to.equal("OrderShipped");
        expect(letter.MessageAttributes?.RULE_ARN?.StringValue).to.equal(ruleArn);
        expect(letter.MessageAttributes?.TARGET_ARN?.StringValue).to.equal(functionArn);
        expect(letter.MessageAttributes?.ERROR_MESSAGE?.StringValue).to.equal("orders-audit failed: Error: audit is down");
        expect(emulator.deliveries().at(-1)).to.include({ outcome: "dead-lettered", attempts: 2 });
    });

    it("should keep every event of the bus in an archive, and only matching ones in an archive with a pattern", async () => {
        const busArn = emulator.busArn(BUS);
        expect(busArn).to.equal(`arn:aws:events:us-east-1:000000000000:event-bus/${BUS}`);
        const all = `all-${randomUUID().slice(0, 8)}`;
        const shipped = `shipped-${randomUUID().slice(0, 8)}`;
        await events.send(new CreateArchiveCommand({ ArchiveName: all, EventSourceArn: busArn, RetentionDays: 30 }));
        await events.send(new CreateArchiveCommand({ ArchiveName: shipped, EventSourceArn: busArn, EventPattern: JSON.stringify({ "detail-type": ["OrderShipped"] }) }));
        await events.send(new PutEventsCommand({ Entries: [placed(randomUUID()), placed(randomUUID(), "OrderShipped"), { ...placed(randomUUID()), EventBusName: "other-bus" }] }));
        expect(emulator.archivedEvents(all).map((e) => e["detail-type"])).to.deep.equal(["OrderPlaced", "OrderShipped"]);
        expect(emulator.archivedEvents(shipped).map((e) => e["detail-type"])).to.deep.equal(["OrderShipped"]);
    });

    it("should refuse a rule whose pattern it cannot match, naming the field, and keep the rule out", async () => {
        const error = await events
            .send(new PutRuleCommand({ Name: "bad", EventBusName: BUS, EventPattern: JSON.stringify({ detail: { total: [{ numeric: [">", 1e10] }] } }) }))
            .then(() => undefined, (e: Error) => e);
        expect(error?.name).to.equal("InvalidEventPatternException");
        expect(error?.message).to.match(/detail\.total\[0\]\.numeric: numeric value 10000000000 is outside/);
        const missing = await events.send(new DescribeRuleCommand({ Name: "bad", EventBusName: BUS })).then(() => undefined, (e: Error) => e);
        expect(missing?.name).to.equal("ResourceNotFoundException");
    });

    it("should refuse a target it cannot deliver to as a failed entry", async () => {
        await events.send(new PutRuleCommand({ Name: "topic", EventBusName: BUS, EventPattern: JSON.stringify({ source: ["order-pipeline"] }) }));
        const put = await events.send(
            new PutTargetsCommand({ Rule: "topic", EventBusName: BUS, Targets: [{ Id: "t", Arn: "arn:aws:sns:us-east-1:000000000000:orders-topic" }] }),
        );
        expect(put.FailedEntryCount).to.equal(1);
        expect(put.FailedEntries![0].ErrorMessage).to.match(/SQS queues, Lambda functions and event buses only/);
    });

    it("should answer TestEventPattern with the same matcher", async () => {
        const event = JSON.stringify({ id: "1", account: "000000000000", source: "order-pipeline", time: "2025-01-01T00:00:00Z", region: "us-east-1", resources: [], "detail-type": "OrderPlaced", detail: { total: 30 } });
        const yes = await events.send(new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify({ detail: { total: [{ numeric: [">=", 30] }] } }) }));
        const no = await events.send(new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify({ detail: { total: [{ numeric: [">", 30] }] } }) }));
        expect([yes.Result, no.Result]).to.deep.equal([true, false]);
    });

    it("should list rules and targets, refuse to delete a rule that still has targets, and delete it once they are removed", async () => {
        const target = await queue("listed");
        const ruleArn = await rule("listed", { "detail-type": ["OrderRefunded"] }, [{ Id: "listed", Arn: target.arn, RetryPolicy: { MaximumRetryAttempts: 2 } }]);
        const { Rules = [] } = await events.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: "list" }));
        expect(Rules.map((r) => [r.Name, r.Arn, r.State, r.EventPattern])).to.deep.equal([["listed", ruleArn, "ENABLED", '{"detail-type":["OrderRefunded"]}']]);
        const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: "listed", EventBusName: BUS }));
        expect(Targets).to.deep.equal([{ Id: "listed", Arn: target.arn, RetryPolicy: { MaximumRetryAttempts: 2 } }]);

        const refused = await events.send(new DeleteRuleCommand({ Name: "listed", EventBusName: BUS })).then(() => undefined, (e: Error) => e);
        expect(refused?.message).to.equal("Rule can't be deleted since it has targets.");
        await events.send(new RemoveTargetsCommand({ Rule: "listed", EventBusName: BUS, Ids: ["listed"] }));
        await events.send(new DeleteRuleCommand({ Name: "listed", EventBusName: BUS }));
        expect((await events.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: "list" }))).Rules).to.deep.equal([]);
    });
});
