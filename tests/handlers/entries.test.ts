import { expect } from "chai";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "node:crypto";
import { ENV } from "../../contract/environment";
import { HANDLER_ENTRIES } from "../../contract/functions";
import type { Emulators } from "../../local/emulators/emulators";
import { useEmulatorsInEnv } from "../../local/emulators/emulators";
import { startEventBridgeEmulator } from "../../local/emulators/eventbridge-emulator";
import { startStepFunctionsEmulator } from "../../local/emulators/stepfunctions-emulator";
import type { LocalResources } from "../../local/pipeline/resources";
import { clientsFor, closedPortUrl, freshResources, sharedEmulators, type TestClients } from "./support/emulators";
import { deliveryRecord, EXAMPLE_MESSAGE_ID, snsEnvelope } from "./email-events/ses-event-examples";
import { httpEvent, lambdaContext, postOrderEvent, recordWithBody, sampleOrder, sqsEvent, sqsRecord } from "./support/fixtures";
import { receiveAll } from "./support/queue";

const savedEnv = { ...process.env };

/** Restores the environment as it was before this file's tests: other test files share the process. */
function restoreEnv(): void {
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
}

/**
 * Loads an entry module afresh (a cold start) with the given environment, which stays in place
 * for the test (the SDK reads region, credentials and endpoints from it when it first sends).
 */
function coldStart<T>(entry: string, env: Record<string, string | undefined>): T {
    for (const [name, value] of Object.entries(env)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
    const file = require.resolve(`../../${entry}`);
    delete require.cache[file];
    return require(file) as T;
}

type Entry = { handler: (event: unknown, context?: unknown) => Promise<any> };

describe("the Lambda entry modules", () => {
    let emulators: Emulators;
    let clients: TestClients;
    let resources: LocalResources;
    let awsEnv: Record<string, string>;

    before(async () => {
        emulators = await sharedEmulators();
        clients = clientsFor(emulators.endpoints);
        resources = await freshResources(clients);
        const env: Record<string, string> = {};
        useEmulatorsInEnv(emulators.endpoints, env);
        awsEnv = env;
    });
    afterEach(restoreEnv);

    it("should accept, process and show an order with configuration from the environment only", async () => {
        // Prepare
        const env = {
            ...awsEnv,
            [ENV.queueUrl]: resources.queueUrl,
            [ENV.tableName]: resources.tableName,
            [ENV.emailEnabled]: "true",
            [ENV.emailSender]: "shop@example.com",
        };
        const submit = coldStart<Entry>(HANDLER_ENTRIES.submit, env);
        const process_ = coldStart<Entry>(HANDLER_ENTRIES.process, env);
        const get = coldStart<Entry>(HANDLER_ENTRIES.get, env);

        // Act: with stdout captured, where the entry modules write their log and metric lines.
        const stdout: string[] = [];
        const write = process.stdout.write;
        process.stdout.write = ((chunk: string) => stdout.push(String(chunk)) > 0) as typeof process.stdout.write;
        let accepted, messages, processed, shown, orderId;
        try {
            accepted = await submit.handler(postOrderEvent(sampleOrder()));
            messages = await receiveAll(clients.sqs, resources.queueUrl);
            processed = await process_.handler(sqsEvent(messages.map((m) => sqsRecord(m))), lambdaContext());
            orderId = JSON.parse(accepted.body).orderId;
            shown = await get.handler(httpEvent({ method: "GET", pathParameters: { orderId } }));
        } finally {
            process.stdout.write = write;
        }

        // Assess
        expect(accepted.statusCode).to.equal(202);
        expect(messages).to.have.length(1);
        expect(processed).to.deep.equal({ batchItemFailures: [] });
        expect(shown.statusCode).to.equal(200);
        expect(JSON.parse(shown.body)).to.include({ orderId, status: "CONFIRMED" });
        const lines = stdout.join("").split("\n").filter(Boolean).map((line) => JSON.parse(line));
        expect(lines.map((l) => l.message ?? "metrics")).to.deep.equal([
            "order accepted",
            "metrics",
            "order stored",
            "metrics",
            "order read",
        ]);
        expect(lines.filter((l) => l.orderId).every((l) => l.orderId === orderId)).to.equal(true);
        expect(lines.find((l) => l.message === "order stored")).to.have.property("sesMessageId").that.is.a("string");
        expect(lines.filter((l) => l._aws).map((l) => l._aws.CloudWatchMetrics[0].Namespace)).to.deep.equal(["OrderPipeline", "OrderPipeline"]);
    });

    it("should not use SES at all when EMAIL_ENABLED is false", async () => {
        // Prepare: SES points at a closed port and no sender is set; neither may matter.
        const closed = await closedPortUrl();
        const env = { ...awsEnv, AWS_ENDPOINT_URL_SES: closed, AWS_ENDPOINT_URL_SESV2: closed, [ENV.tableName]: resources.tableName, [ENV.emailEnabled]: "false", [ENV.emailSender]: undefined };
        const entry = coldStart<Entry>(HANDLER_ENTRIES.process, env);
        const submit = coldStart<Entry>(HANDLER_ENTRIES.submit, { ...awsEnv, [ENV.queueUrl]: resources.queueUrl });
        const { orderId } = JSON.parse((await submit.handler(postOrderEvent(sampleOrder()))).body);
        const messages = await receiveAll(clients.sqs, resources.queueUrl);

        // Act
        const response = await entry.handler(sqsEvent(messages.map((m) => sqsRecord(m))), lambdaContext());

        // Assess
        expect(response).to.deep.equal({ batchItemFailures: [] });
        const { Item } = await DynamoDBDocumentClient.from(clients.dynamodb).send(new GetCommand({ TableName: resources.tableName, Key: { orderId } }));
        expect(Item).to.include({ status: "CONFIRMED", emailStatus: "DISABLED" });
    });

    it("should publish OrderPlaced and start the shipping workflow when the bus and the state machine are configured", async () => {
        // Prepare: the two option emulators, reached through the SDK's per-service endpoint variables.
        const eventBridge = await startEventBridgeEmulator();
        const shippingArn = "arn:aws:states:us-east-1:123456789012:stateMachine:orders-ship-sm";
        const stepFunctions = await startStepFunctionsEmulator({ stateMachineArns: [shippingArn] });
        try {
            const env = {
                ...awsEnv,
                AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
                AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
                [ENV.tableName]: resources.tableName,
                [ENV.emailEnabled]: "false",
                [ENV.eventBusName]: "orders-bus",
                [ENV.shippingStateMachineArn]: shippingArn,
            };
            const entry = coldStart<Entry>(HANDLER_ENTRIES.process, env);
            const submit = coldStart<Entry>(HANDLER_ENTRIES.submit, { ...awsEnv, [ENV.queueUrl]: resources.queueUrl });
            const { orderId } = JSON.parse((await submit.handler(postOrderEvent(sampleOrder()))).body);
            const messages = await receiveAll(clients.sqs, resources.queueUrl);

            // Act
            const response = await entry.handler(sqsEvent(messages.map((m) => sqsRecord(m))), lambdaContext());

            // Assess
            expect(response).to.deep.equal({ batchItemFailures: [] });
            expect(eventBridge.events().map((e) => [e.eventBusName, e.detailType, e.detail.orderId])).to.deep.equal([["orders-bus", "OrderPlaced", orderId]]);
            expect(stepFunctions.executions().map((e) => e.name)).to.deep.equal([`ship-${orderId}`]);
        } finally {
            await eventBridge.stop();
            await stepFunctions.stop();
        }
    });

    it("should record an SES delivery event with the email-events entry and only ORDERS_TABLE_NAME", async () => {
        // Prepare: an order of this table.
        const orderId = randomUUID();
        await DynamoDBDocumentClient.from(clients.dynamodb).send(
            new PutCommand({ TableName: resources.tableName, Item: { orderId, status: "CONFIRMED", emailMessageId: EXAMPLE_MESSAGE_ID } }),
        );
        const entry = coldStart<Entry>(HANDLER_ENTRIES["email-events"], { ...awsEnv, [ENV.tableName]: resources.tableName });

        // Act
        const response = await entry.handler(sqsEvent([recordWithBody(snsEnvelope(deliveryRecord({ orderId })), "e-1")]));

        // Assess
        expect(response).to.deep.equal({ batchItemFailures: [] });
        const { Item } = await DynamoDBDocumentClient.from(clients.dynamodb).send(new GetCommand({ TableName: resources.tableName, Key: { orderId }, ConsistentRead: true }));
        expect(Item).to.include({ emailDelivery: "DELIVERED", status: "CONFIRMED" });
    });

    const missing: Array<[string, string, Record<string, string | undefined>, RegExp]> = [
        ["SubmitOrder", HANDLER_ENTRIES.submit, { [ENV.queueUrl]: undefined }, /ORDER_QUEUE_URL is required/],
        ["SubmitOrder", HANDLER_ENTRIES.submit, { [ENV.queueUrl]: "not a url" }, /ORDER_QUEUE_URL is not a URL/],
        ["ProcessOrder", HANDLER_ENTRIES.process, { [ENV.tableName]: undefined, [ENV.emailEnabled]: "false" }, /ORDERS_TABLE_NAME is required/],
        ["ProcessOrder", HANDLER_ENTRIES.process, { [ENV.tableName]: "orders", [ENV.emailEnabled]: undefined }, /EMAIL_ENABLED is required/],
        ["ProcessOrder", HANDLER_ENTRIES.process, { [ENV.tableName]: "orders", [ENV.emailEnabled]: "yes" }, /EMAIL_ENABLED must be "true" or "false"/],
        ["ProcessOrder", HANDLER_ENTRIES.process, { [ENV.tableName]: "orders", [ENV.emailEnabled]: "true", [ENV.emailSender]: undefined }, /EMAIL_SENDER is required/],
        ["GetOrder", HANDLER_ENTRIES.get, { [ENV.tableName]: undefined }, /ORDERS_TABLE_NAME is required/],
        ["GetOrder", HANDLER_ENTRIES.get, { [ENV.tableName]: "x" }, /ORDERS_TABLE_NAME is not a valid DynamoDB table name/],
        ["RefundOrder", HANDLER_ENTRIES.refund, { [ENV.tableName]: "orders", [ENV.refundStateMachineArn]: undefined }, /REFUND_STATE_MACHINE_ARN is required/],
        ["ProcessOrder", HANDLER_ENTRIES.process, { [ENV.tableName]: "orders", [ENV.emailEnabled]: "false", [ENV.shippingStateMachineArn]: "ship" }, /SHIPPING_STATE_MACHINE_ARN is not a state machine ARN/],
        ["the email-events function", HANDLER_ENTRIES["email-events"], { [ENV.tableName]: undefined }, /ORDERS_TABLE_NAME is required/],
        ["the email-events function", HANDLER_ENTRIES["email-events"], { [ENV.tableName]: "x" }, /ORDERS_TABLE_NAME is not a valid DynamoDB table name/],
    ];
    for (const [name, entry, env, message] of missing) {
        it(`should fail ${name}'s cold start naming the variable when ${Object.entries(env).map(([k, v]) => `${k}=${v ?? "(unset)"}`).join(", ")}`, () => {
            expect(() => coldStart(entry, { ...awsEnv, ...env })).to.throw(message);
        });
    }
});
