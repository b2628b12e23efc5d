/**
 * The workflows end to end for tests: the shipping and refund definitions exactly as the
 * component builds them (short timeouts), run by the local Step Functions emulator, every Task
 * performed by the real SDK against dynalite, fauxqs, aws-ses-v2-local and the local bus, each
 * behind a fault proxy; ProcessOrder and RefundOrder start the executions; a test plays the
 * warehouse on the shipment-requests queue.
 */
import { SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { randomBytes, randomUUID } from "node:crypto";
import { workflowDefinitions } from "../../../components/workflows/definitions";
import { buildOrderMessage } from "../../../handlers/order/message";
import { createProcessOrderHandler } from "../../../handlers/process/process-order-handler";
import { createRefundOrderHandler } from "../../../handlers/refund/refund-order-handler";
import { sdkClientSettings } from "../../../handlers/runtime/aws-clients";
import { createWorkflowStarter } from "../../../handlers/workflows/start-workflow";
import { startEventBridgeEmulator, type EventBridgeEmulator } from "../../../local/emulators/eventbridge-emulator";
import { startStepFunctionsEmulator, type StepFunctionsEmulator } from "../../../local/emulators/stepfunctions-emulator";
import { clientsFor, freshResources, LOCAL_AWS, sharedEmulators, type TestClients } from "../../handlers/support/emulators";
import { httpEvent, lambdaContext, lineCollector, recordWithBody, sampleOrder, sqsEvent } from "../../handlers/support/fixtures";
import { startFaultProxy, type FaultProxy } from "./fault-proxy";

const ACCOUNT = "123456789012";
export const SENDER = "orders@example.com";
export const BUS = "orders-bus";

/** A message the warehouse received. */
export interface WarehouseMessage {
    readonly version: number;
    readonly type: string;
    readonly orderId: string;
    readonly taskToken?: string;
    readonly [key: string]: unknown;
}

/** Everything one test file needs. */
export interface WorkflowHarness {
    readonly clients: TestClients;
    readonly doc: DynamoDBDocumentClient;
    readonly sfn: SFNClient;
    readonly stepFunctions: StepFunctionsEmulator;
    readonly bus: EventBridgeEmulator;
    readonly faults: { readonly dynamodb: FaultProxy; readonly sqs: FaultProxy; readonly ses: FaultProxy };
    readonly tableName: string;
    readonly sesEndpoint: string;
    readonly arns: { readonly shipping: string; readonly refund: string; readonly quickShipping: string };
    /** Stores a CONFIRMED order through ProcessOrder, which starts its shipping (unless `ship` is false). */
    placeOrder(options?: { ship?: boolean; shippingArn?: string }): Promise<string>;
    /** Delivers the same order message to ProcessOrder again. */
    redeliver(orderId: string): Promise<void>;
    /** POST /orders/{orderId}/refund through RefundOrder. */
    refund(orderId: string): Promise<{ statusCode: number; body: string }>;
    /** The next warehouse message about `orderId` (waits up to 5 s). */
    nextMessage(orderId: string, type?: string): Promise<WarehouseMessage>;
    /** Every warehouse message about `orderId` received so far. */
    messagesFor(orderId: string): Promise<WarehouseMessage[]>;
    ship(token: string, answer?: Record<string, unknown>): Promise<void>;
    refuse(token: string, error?: string): Promise<void>;
    stored(orderId: string): Promise<Record<string, any> | undefined>;
    setStatus(orderId: string, status: string): Promise<void>;
    putOrder(orderId: string, fields: Record<string, unknown>): Promise<void>;
    executionArn(machineArn: string, name: string): string;
    stop(): Promise<void>;
}

/** Starts the harness (once per test file). */
export async function startWorkflowHarness(): Promise<WorkflowHarness> {
    const emulators = await sharedEmulators();
    const clients = clientsFor(emulators.endpoints);
    const doc = DynamoDBDocumentClient.from(clients.dynamodb);
    const resources = await freshResources(clients);
    const { QueueUrl: shipmentQueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `ship-${randomBytes(4).toString("hex")}` }));
    const bus = await startEventBridgeEmulator();
    const faults = {
        dynamodb: await startFaultProxy(emulators.endpoints.dynamodb),
        sqs: await startFaultProxy(emulators.endpoints.sqs),
        ses: await startFaultProxy(emulators.endpoints.ses),
    };
    const arn = (name: string) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
    const arns = { shipping: arn("orders-ship-sm"), refund: arn("orders-refund-sm"), quickShipping: arn("orders-quick-ship-sm") };
    const refs = { tableName: resources.tableName, shipmentQueueUrl: shipmentQueueUrl!, eventBusName: BUS, email: { sender: SENDER } };
    const normal = workflowDefinitions({ ...refs, shippingStateMachineArn: arns.shipping, shipmentTimeoutSeconds: 30 });
    // The same definition, waiting 1 s for the warehouse: the timeout scenario.
    const quick = workflowDefinitions({ ...refs, shippingStateMachineArn: arns.quickShipping, shipmentTimeoutSeconds: 1 });
    const stepFunctions = await startStepFunctionsEmulator({
        endpoints: { dynamodb: faults.dynamodb.endpoint, sqs: faults.sqs.endpoint, ses: faults.ses.endpoint, events: bus.endpoint },
        stateMachines: [
            { arn: arns.shipping, definition: normal.shipping },
            { arn: arns.refund, definition: normal.refund },
            { arn: arns.quickShipping, definition: quick.shipping },
        ],
        retryPauseMs: 1,
    });
    const sfn = new SFNClient({ ...LOCAL_AWS, ...sdkClientSettings({ maxAttempts: 1 }), endpoint: stepFunctions.endpoint });
    const messages = new Map<string, string>();
    const inbox: WarehouseMessage[] = [];
    const seen = new Set<WarehouseMessage>();

    const processOrder = (shippingArn: string | undefined) =>
        createProcessOrderHandler({
            dynamodb: clients.dynamodb,
            tableName: resources.tableName,
            ...(shippingArn ? { startShipping: createWorkflowStarter(sfn, shippingArn) } : {}),
            writeLine: lineCollector().write,
        });
    const refundOrder = createRefundOrderHandler({
        dynamodb: clients.dynamodb,
        tableName: resources.tableName,
        startRefund: createWorkflowStarter(sfn, arns.refund),
        authEnabled: false,
        writeLine: lineCollector().write,
    });

    async function drain(): Promise<void> {
        const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: shipmentQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        for (const m of Messages) {
            inbox.push(JSON.parse(m.Body!) as WarehouseMessage);
            await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: shipmentQueueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
    }

    return {
        clients,
        doc,
        sfn,
        stepFunctions,
        bus,
        faults,
        tableName: resources.tableName,
        sesEndpoint: emulators.endpoints.ses,
        arns,
        async placeOrder(options = {}) {
            const orderId = randomUUID();
            const body = JSON.stringify(buildOrderMessage(orderId, new Date(), sampleOrder()));
            messages.set(orderId, body);
            const shippingArn = options.ship === false ? undefined : (options.shippingArn ?? arns.shipping);
            const { batchItemFailures } = await processOrder(shippingArn)(sqsEvent([recordWithBody(body, randomUUID())]), lambdaContext());
            if (batchItemFailures.length > 0) throw new Error("ProcessOrder failed the record");
            return orderId;
        },
        async redeliver(orderId) {
            const { batchItemFailures } = await processOrder(arns.shipping)(sqsEvent([recordWithBody(messages.get(orderId)!, randomUUID())]), lambdaContext());
            if (batchItemFailures.length > 0) throw new Error("ProcessOrder failed the redelivery");
        },
        async refund(orderId) {
            const answer = await refundOrder(httpEvent({ method: "POST", path: `/orders/${orderId}/refund`, pathParameters: { orderId } }), lambdaContext());
            return { statusCode: answer.statusCode, body: answer.body };
        },
        async nextMessage(orderId, type = "ShipmentRequested") {
            const deadline = Date.now() + 5000;
            for (;;) {
                const found = inbox.find((m) => m.orderId === orderId && m.type === type && !seen.has(m));
                if (found) {
                    seen.add(found);
                    return found;
                }
                if (Date.now() > deadline) throw new Error(`no ${type} for order ${orderId}`);
                await drain();
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
        },
        async messagesFor(orderId) {
            await drain();
            return inbox.filter((m) => m.orderId === orderId);
        },
        async ship(token, answer = { carrier: "Parcelforce", trackingNumber: "PF123" }) {
            await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(answer) }));
        },
        async refuse(token, error = "ShipmentRefused") {
            await sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause: "out of stock" }));
        },
        async stored(orderId) {
            return (await doc.send(new GetCommand({ TableName: resources.tableName, Key: { orderId } }))).Item;
        },
        async setStatus(orderId, status) {
            await doc.send(
                new UpdateCommand({
                    TableName: resources.tableName,
                    Key: { orderId },
                    UpdateExpression: "SET #s = :s",
                    ExpressionAttributeNames: { "#s": "status" },
                    ExpressionAttributeValues: { ":s": status },
                }),
            );
        },
        async putOrder(orderId, fields) {
            await doc.send(new PutCommand({ TableName: resources.tableName, Item: { orderId, ...fields } }));
        },
        executionArn(machineArn, name) {
            return `${machineArn.replace(":stateMachine:", ":execution:")}:${name}`;
        },
        async stop() {
            sfn.destroy();
            await stepFunctions.stop();
            await bus.stop();
            for (const proxy of Object.values(faults)) await proxy.stop();
        },
    };
}
