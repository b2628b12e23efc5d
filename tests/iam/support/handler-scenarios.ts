/**
 * Runs the real handlers, as the deployment bundles in local mode's vm sandbox, through the
 * scenarios a production pipeline sees (orders accepted, retried, rejected, redelivered, in
 * conflict, read, refunded, their emails' delivery events recorded), each function's SDK clients
 * pointed at its own recording proxy in front of the emulators. What comes back is every AWS call
 * each function made, by the caller name the deployment gives the function.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { EMAIL_EVENTS_ROLE } from "../../../components/email-events";
import { functionEnvironment } from "../../../contract/environment";
import type { FunctionKind } from "../../../contract/functions";
import { startEmulators } from "../../../local/emulators/emulators";
import { startEventBridgeEmulator } from "../../../local/emulators/eventbridge-emulator";
import { startStepFunctionsEmulator } from "../../../local/emulators/stepfunctions-emulator";
import { LOCAL_REGION } from "../../../local/lambda/lambda-environment";
import type { LocalFunction } from "../../../local/lambda/lambda-sandbox";
import { createLocalFunction } from "../../../local/lambda/local-functions";
import { createLocalClients } from "../../../local/pipeline/local-clients";
import { resolveLocalSettings } from "../../../local/pipeline/local-settings";
import { createPipelineResources } from "../../../local/pipeline/resources";
import { toSqsEvent } from "../../../local/worker/sqs-event";
import { httpEvent, sampleOrder } from "../../handlers/support/fixtures";
import type { OrderMessage } from "../../../handlers/order/message";
import { INITIAL_STATUS } from "../../../handlers/order/status";
import { computeTotals } from "../../../handlers/order/totals";
import { OrderStore } from "../../../handlers/store/order-store";
import { SDK_MAX_ATTEMPTS } from "../../../handlers/runtime/aws-clients";
import { deliveryRecord, snsEnvelope } from "../../handlers/email-events/ses-event-examples";
import { decodeWireRequest, type ApiCall } from "./api-calls";
import { startRecordingProxy, type RecordingProxy, type WireRequest } from "./recording-proxy";

/** Which options the handlers run with (KMS and tracing change no handler's calls). */
export interface HandlerOptions {
    readonly email: boolean;
    readonly events: boolean;
    readonly workflows: boolean;
    readonly auth: boolean;
}

/** The local names of the resources the handlers were given, to be renamed to the deployed ones. */
export interface LocalNames {
    readonly tableName: string;
    readonly queueUrl: string;
    readonly eventBusName: string;
    readonly sender: string;
    readonly configurationSetName: string;
    readonly shippingStateMachineArn: string;
    readonly refundStateMachineArn: string;
}

/** What a run recorded. */
export interface HandlerRecording {
    readonly calls: readonly ApiCall[];
    readonly names: LocalNames;
    /** The environment variable names each function was given (compared with the deployed ones). */
    readonly environmentNames: Readonly<Record<string, readonly string[]>>;
}

const LOCAL_MACHINES = {
    shipping: "arn:aws:states:us-east-1:000000000000:stateMachine:local-shipping",
    refund: "arn:aws:states:us-east-1:000000000000:stateMachine:local-refund",
};

/** The caller a function kind is in the deployment: its role in resource names. */
export function callerOfKind(kind: FunctionKind): string {
    return kind === "email-events" ? EMAIL_EVENTS_ROLE : kind;
}

/** Runs every scenario once with these options and returns the calls each function made. */
export async function recordHandlerCalls(options: HandlerOptions): Promise<HandlerRecording> {
    const stops: Array<() => Promise<void> | void> = [];
    try {
        const emulators = await startEmulators();
        stops.push(() => emulators.stop());
        const eventBridge = await startEventBridgeEmulator();
        stops.push(() => eventBridge.stop());
        const stepFunctions = await startStepFunctionsEmulator({ stateMachineArns: Object.values(LOCAL_MACHINES) });
        stops.push(() => stepFunctions.stop());
        const clients = createLocalClients(emulators.endpoints);
        stops.push(() => clients.destroy());
        const resources = await createPipelineResources(clients, resolveLocalSettings(`iam-${randomUUID().slice(0, 8)}`, {}, { visibilityTimeoutSeconds: 0 }));

        const names: LocalNames = {
            tableName: resources.tableName,
            queueUrl: resources.queueUrl,
            eventBusName: "local-order-events",
            sender: "orders@example.com",
            configurationSetName: "local-orders",
            shippingStateMachineArn: LOCAL_MACHINES.shipping,
            refundStateMachineArn: LOCAL_MACHINES.refund,
        };
        const wire: WireRequest[] = [];
        const upstreams = { ...emulators.endpoints, events: eventBridge.endpoint, states: stepFunctions.endpoint };
        const kinds: FunctionKind[] = [
            "submit",
            "process",
            "get",
            ...(options.workflows ? (["refund"] as const) : []),
            ...(options.email ? (["email-events"] as const) : []),
        ];
        const functions = {} as Record<FunctionKind, LocalFunction>;
        const proxies = {} as Record<FunctionKind, RecordingProxy>;
        const environmentNames: Record<string, string[]> = {};
        for (const kind of kinds) {
            const proxy = await startRecordingProxy({ caller: callerOfKind(kind), upstreams, record: (request) => wire.push(request) });
            stops.push(() => proxy.stop());
            proxies[kind] = proxy;
            const variables = functionEnvironment(kind, {
                tableName: names.tableName,
                queueUrl: names.queueUrl,
                ...(options.email ? { emailSender: names.sender, emailConfigurationSet: names.configurationSetName } : {}),
                // Short delays: the values do not matter here, only that backoff is on, as deployed.
                retry: { baseDelaySeconds: 1, maxDelaySeconds: 2 },
                ...(options.events ? { eventBusName: names.eventBusName } : {}),
                ...(options.workflows ? { shippingStateMachineArn: names.shippingStateMachineArn, refundStateMachineArn: names.refundStateMachineArn } : {}),
                authEnabled: options.auth,
            });
            environmentNames[callerOfKind(kind)] = Object.keys(variables).sort();
            functions[kind] = createLocalFunction(kind, {
                prefix: "orders",
                // Every client of the function goes through its proxy, whichever SDK client it uses.
                variables: { ...variables, AWS_ENDPOINT_URL_EVENTBRIDGE: proxy.endpoint, AWS_ENDPOINT_URL_SFN: proxy.endpoint, AWS_ENDPOINT_URL_SESV2: proxy.endpoint },
                endpoints: { dynamodb: proxy.endpoint, sqs: proxy.endpoint, ses: proxy.endpoint },
                timeoutSeconds: 10,
                memoryMb: 256,
                bundleAwsSdk: true,
            });
        }

        const claims = options.auth ? { sub: "sub-alice", "cognito:username": "alice" } : undefined;
        const post = async (body: unknown, key: string) =>
            (await functions.submit.invoke(
                httpEvent({ body: JSON.stringify(body), headers: { "content-type": "application/json", "idempotency-key": key }, ...(claims ? { claims } : {}) }),
            )) as { statusCode: number; body: string };
        const byPath = (method: string, path: string, orderId: string) =>
            httpEvent({ method, path, pathParameters: { orderId }, ...(claims ? { claims } : {}) });

        // Accepted, retried with the same key, rejected, and a key reused with another body.
        const first = await post(sampleOrder(), "key-1");
        expect(first.statusCode, first.body).to.equal(202);
        expect((await post(sampleOrder(), "key-1")).statusCode).to.equal(202);
        expect((await post({ customer: {} }, "key-2")).statusCode).to.equal(400);
        expect((await post(sampleOrder(), "key-3")).statusCode).to.equal(202);
        expect((await post(sampleOrder({ currency: "USD" }), "key-3")).statusCode).to.equal(202);
        const orderId = JSON.parse(first.body).orderId as string;

        // The event source mapping's part: receive, invoke (the first batch twice: a redelivery), delete.
        const queue = { arn: resources.queueArn, region: LOCAL_REGION };
        let redelivered = false;
        for (let round = 0; round < 10; round++) {
            const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ["All"] }));
            if (Messages.length === 0) break;
            if (round === 0) {
                // An order an earlier invocation stored but stopped before confirming: its
                // redelivery must move it on.
                const message = JSON.parse(Messages[0].Body!) as OrderMessage;
                const store = new OrderStore(clients.dynamodb, resources.tableName);
                const now = new Date().toISOString();
                await store.putNew({
                    orderId: message.orderId,
                    schemaVersion: message.schemaVersion,
                    status: INITIAL_STATUS,
                    payloadHash: message.payloadHash,
                    order: message.order,
                    totals: computeTotals(message.order),
                    receivedAt: message.receivedAt,
                    createdAt: now,
                    updatedAt: now,
                    correlationId: "stranded",
                    ...(message.customerId === undefined ? {} : { customerId: message.customerId }),
                    emailStatus: options.email ? "CLAIMED" : "DISABLED",
                    ...(options.email ? { emailClaimId: "lost-invocation", emailLeaseUntil: 0 } : {}),
                });
            }
            const event = toSqsEvent(Messages, queue);
            let response = (await functions.process.invoke(event)) as { batchItemFailures: { itemIdentifier: string }[] };
            if (!redelivered) {
                redelivered = true;
                response = (await functions.process.invoke(event)) as typeof response;
            }
            expect(response.batchItemFailures, "ProcessOrder failed records").to.deep.equal([]);
            await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: resources.queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
        }
        expect(redelivered, "ProcessOrder received orders").to.equal(true);

        // A transient fault: DynamoDB answers 500 to every attempt, so ProcessOrder fails the
        // record and sets its retry delay (ChangeMessageVisibility); the next delivery stores it.
        expect((await post(sampleOrder({ currency: "GBP" }), "key-4")).statusCode).to.equal(202);
        const { Messages: faulted = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        expect(faulted, "the order to fail transiently").to.have.length(1);
        proxies.process.failNext("dynamodb", SDK_MAX_ATTEMPTS);
        const failed = (await functions.process.invoke(toSqsEvent(faulted, queue))) as { batchItemFailures: unknown[] };
        expect(failed.batchItemFailures, "the transient failure").to.have.length(1);
        const retried = (await functions.process.invoke(toSqsEvent(faulted, queue))) as { batchItemFailures: unknown[] };
        expect(retried.batchItemFailures, "the retry").to.deep.equal([]);
        await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: resources.queueUrl, Entries: [{ Id: "0", ReceiptHandle: faulted[0].ReceiptHandle! }] }));

        // Read: an order, and one that does not exist.
        expect(((await functions.get.invoke(byPath("GET", `/orders/${orderId}`, orderId))) as { statusCode: number }).statusCode).to.equal(200);
        const unknown = randomUUID();
        expect(((await functions.get.invoke(byPath("GET", `/orders/${unknown}`, unknown))) as { statusCode: number }).statusCode).to.equal(404);
        if (options.workflows) {
            // A refund, the same refund again, and one of an order that does not exist.
            const refund = (id: string) => functions.refund.invoke(byPath("POST", `/orders/${id}/refund`, id)) as Promise<{ statusCode: number; body: string }>;
            const accepted = await refund(orderId);
            expect(accepted.statusCode, accepted.body).to.equal(202);
            await refund(orderId);
            expect((await refund(unknown)).statusCode).to.equal(404);
        }
        if (options.email) {
            // SES delivery events, as SNS delivers them to the queue: a delivery of a confirmed
            // order's email, the same notification again, and an event naming an unknown order.
            const stored = await new OrderStore(clients.dynamodb, resources.tableName).get(orderId);
            expect(stored?.emailMessageId, "the confirmed order's SES message id").to.be.a("string");
            const emailEventsQueue = { arn: "arn:aws:sqs:us-east-1:000000000000:orders-ses-events-queue", region: LOCAL_REGION };
            const notification = snsEnvelope(deliveryRecord({ orderId, messageId: stored!.emailMessageId }));
            const deliver = async (bodies: string[]) => {
                const messages = bodies.map((Body, i) => ({ MessageId: randomUUID(), ReceiptHandle: `rh-${i}`, Body, Attributes: { ApproximateReceiveCount: "1" } }));
                const response = (await functions["email-events"].invoke(toSqsEvent(messages, emailEventsQueue))) as { batchItemFailures: unknown[] };
                expect(response.batchItemFailures, "email events failed").to.deep.equal([]);
            };
            await deliver([notification, snsEnvelope(deliveryRecord({ orderId: randomUUID() }))]);
            await deliver([notification]);
            expect((await new OrderStore(clients.dynamodb, resources.tableName).get(orderId))?.emailDelivery).to.equal("DELIVERED");
        }
        if (options.events) expect(eventBridge.events().length, "events published").to.be.greaterThan(0);
        if (options.workflows) expect(stepFunctions.executions().length, "executions started").to.be.greaterThan(0);

        return { calls: wire.map(decodeWireRequest), names, environmentNames };
    } finally {
        for (const stop of stops.reverse()) await stop();
    }
}
