import { SFNClient, StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { SHIPMENT_CANCELLED_TYPE, SHIPMENT_REQUEST_TYPE } from "../../components/workflows/workflow-defaults";
import { startStepFunctionsEmulator, type StepFunctionsEmulator } from "../../local/emulators/stepfunctions-emulator";
import { LOCAL_CARRIER, readShipmentMessage, startWarehouse, type Warehouse, type WarehouseMode } from "../../local/warehouse/warehouse";
import { clientsFor, LOCAL_AWS, sharedEmulators } from "../handlers/support/emulators";
import { waitFor } from "./support/wait-for";

const MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:warehouse-test";
/** The same request with a Retry and a Catch for every error. */
const RETRYING_MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:warehouse-test-retrying";

/**
 * A machine that asks the warehouse, as the shipping workflow does, and ends with its answer. The
 * queue comes with the input: each warehouse here polls a queue of its own, because a stopped
 * warehouse's receive, abandoned mid-poll, may still take the next message off its queue and hide
 * it for the visibility timeout.
 */
const definition = {
    StartAt: "RequestShipment",
    States: {
        RequestShipment: {
            Type: "Task",
            Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            Parameters: { "QueueUrl.$": "$.queueUrl", MessageBody: { version: 2, type: SHIPMENT_REQUEST_TYPE, "orderId.$": "$.orderId", "taskToken.$": "$$.Task.Token" } },
            End: true,
        },
    },
};

describe("local warehouse", () => {
    let emulator: StepFunctionsEmulator;
    let sfn: SFNClient;
    let sqs: SQSClient;
    /** The queue of the warehouse started last. */
    let queueUrl: string;
    const warehouses: Warehouse[] = [];

    before(async () => {
        const { endpoints } = await sharedEmulators();
        sqs = clientsFor(endpoints).sqs;
        const retrying = {
            ...definition,
            States: {
                RequestShipment: {
                    ...definition.States.RequestShipment,
                    Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 3 }],
                    Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
                },
                Caught: { Type: "Pass", End: true },
            },
        };
        emulator = await startStepFunctionsEmulator({
            endpoints: { dynamodb: endpoints.dynamodb, sqs: endpoints.sqs },
            stateMachines: [
                { arn: MACHINE, definition },
                { arn: RETRYING_MACHINE, definition: retrying },
            ],
        });
        sfn = new SFNClient({ ...LOCAL_AWS, endpoint: emulator.endpoint, maxAttempts: 1 });
    });
    afterEach(async () => {
        for (const w of warehouses.splice(0)) await w.stop();
        emulator.reset();
    });
    after(async () => {
        sfn.destroy();
        await emulator.stop();
    });

    const warehouse = async (mode: WarehouseMode, packingMs = 0) => {
        ({ QueueUrl: queueUrl } = (await sqs.send(new CreateQueueCommand({ QueueName: `shipments-${randomUUID().slice(0, 8)}`, Attributes: { VisibilityTimeout: "1" } }))) as { QueueUrl: string });
        const w = startWarehouse({ sqs, sfn, queueUrl, mode, packingMs, pollWaitSeconds: 1 });
        warehouses.push(w);
        return w;
    };
    const ship = async (orderId: string, name = `ship-${orderId}`, stateMachineArn = MACHINE) =>
        (await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ orderId, queueUrl }) }))).executionArn!;

    it("should answer a shipment request with SendTaskSuccess, and a repeated request with the same parcel", async () => {
        const w = await warehouse("ship");
        const orderId = randomUUID();
        const first = await emulator.settled(await ship(orderId));
        expect(first.status).to.equal("SUCCEEDED");
        const parcel = JSON.parse(first.output!);
        expect(parcel).to.deep.equal({ carrier: LOCAL_CARRIER, trackingNumber: w.parcel(orderId)!.trackingNumber });

        // A redrive or a second run asks again: the same parcel, never a second one.
        const again = await emulator.settled(await ship(orderId, `ship-again-${orderId}`));
        expect(JSON.parse(again.output!)).to.deep.equal(parcel);
        expect(w.counts).to.include({ requests: 2, shipped: 1 });
    });

    it("should answer SendTaskFailure ShipmentRefused in fail mode, and nothing in ignore mode", async () => {
        await warehouse("fail");
        const refused = await emulator.settled(await ship(randomUUID()));
        expect(refused).to.include({ status: "FAILED", error: "ShipmentRefused" });
        await warehouses.pop()!.stop();

        const ignoring = await warehouse("ignore");
        const arn = await ship(randomUUID());
        await waitFor(() => ignoring.counts.ignored === 1, "the request to be ignored");
        expect(emulator.executions().find((e) => e.executionArn === arn)?.status).to.equal("RUNNING");
    });

    it("should not ship an order whose cancellation arrives while it is packed", async () => {
        const w = await warehouse("ship", 250);
        const orderId = randomUUID();
        const arn = await ship(orderId);
        await waitFor(() => w.counts.requests === 1, "the request to arrive");
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ version: 2, type: SHIPMENT_CANCELLED_TYPE, orderId }) }));
        await waitFor(() => w.counts.cancelled === 1, "the cancellation to arrive");
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(w.counts.shipped).to.equal(0);
        expect(w.parcel(orderId)).to.equal(undefined);
        expect(emulator.executions().find((e) => e.executionArn === arn)?.status).to.equal("RUNNING");
    });

    it("should count a void token as stale when the execution was stopped meanwhile", async () => {
        const w = await warehouse("ship", 300);
        const arn = await ship(randomUUID());
        await waitFor(() => w.counts.requests === 1, "the request to arrive");
        await sfn.send(new StopExecutionCommand({ executionArn: arn }));
        await waitFor(() => w.counts.stale === 1, "the answer to be found stale");
        expect(w.counts.shipped).to.equal(0);
    });

    it("should go no further once stopped while it waits for the warehouse: no retry, no catch, nothing recorded after the stop", async () => {
        ({ QueueUrl: queueUrl } = (await sqs.send(new CreateQueueCommand({ QueueName: `shipments-${randomUUID().slice(0, 8)}` }))) as { QueueUrl: string });
        const requests: string[] = [];
        const nextRequest = async () => {
            const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }));
            requests.push(...Messages.map((m) => (JSON.parse(m.Body!) as { orderId: string }).orderId));
        };
        const [stopped, later] = [randomUUID(), randomUUID()];
        const arn = await ship(stopped, undefined, RETRYING_MACHINE);
        await nextRequest();
        await sfn.send(new StopExecutionCommand({ executionArn: arn }));
        expect(await emulator.settled(arn)).to.include({ status: "ABORTED" });
        // A retry would ask again at once; a later execution's request comes after it.
        await ship(later, undefined, RETRYING_MACHINE);
        while (!requests.includes(later)) await nextRequest();
        expect(requests).to.deep.equal([stopped, later]);
        expect(emulator.history(arn).map((e) => `${e.type} ${e.state}`)).to.deep.equal(["StateEntered RequestShipment"]);
    });

    it("should read requests of both versions and cancellations, and nothing else", () => {
        expect(readShipmentMessage(JSON.stringify({ version: 1, orderId: "o", taskToken: "t" }))).to.deep.equal({ type: SHIPMENT_REQUEST_TYPE, orderId: "o", taskToken: "t" });
        expect(readShipmentMessage(JSON.stringify({ version: 2, type: SHIPMENT_CANCELLED_TYPE, orderId: "o" }))).to.deep.equal({ type: SHIPMENT_CANCELLED_TYPE, orderId: "o" });
        for (const body of ["not json", "null", "{}", JSON.stringify({ type: SHIPMENT_REQUEST_TYPE, orderId: "o" }), JSON.stringify({ type: "Other", orderId: "o", taskToken: "t" })]) {
            expect(readShipmentMessage(body), body).to.equal(undefined);
        }
    });
});
