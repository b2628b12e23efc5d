/**
 * The body of the mailbox simulator's worker thread (see `startSesMailboxSimulatorThread`): starts
 * the simulator here with its own SNS client, says where it listens, reports its counts after each
 * change, answers when it is idle, and stops when told. On its own thread, the front's work never
 * waits behind the handlers, the API and the worker on the main thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { SNSClient } from "@aws-sdk/client-sns";
import { LOCAL_CREDENTIALS } from "../lambda/lambda-environment";
import { snsPublisher } from "./event-publish-queue";
import { startSesMailboxSimulator } from "./ses-mailbox-simulator";
import type { SimulatorThreadData, SimulatorThreadReply, SimulatorThreadRequest } from "./ses-mailbox-simulator-thread-messages";

async function main(): Promise<void> {
    const port = parentPort;
    if (!port) throw new Error("ses-mailbox-simulator-thread runs only as a worker thread");
    const reply = (message: SimulatorThreadReply) => port.postMessage(message);
    const data = workerData as SimulatorThreadData;
    const sns = new SNSClient({
        region: data.sns.region,
        credentials: LOCAL_CREDENTIALS,
        endpoint: data.sns.endpoint,
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
    });
    let simulator;
    try {
        const publish = snsPublisher(sns, data.sns.topicArn);
        simulator = await startSesMailboxSimulator({
            sesEndpoint: data.sesEndpoint,
            events: data.events,
            // Counts go to the main thread once the records of a batch are settled.
            publish: async (records) => {
                try {
                    return await publish(records);
                } finally {
                    setImmediate(() => reply({ type: "counts", counts: { ...running.counts } }));
                }
            },
            onError: (error) => reply({ type: "error", message: error.message }),
            onAccepted: () => reply({ type: "counts", counts: { ...running.counts } }),
        });
    } catch (err) {
        sns.destroy();
        reply({ type: "failed", message: (err as Error).stack ?? String(err) });
        return;
    }
    const running = simulator;
    port.on("message", (request: SimulatorThreadRequest) => {
        if (request.type === "idle") {
            void running.idle().then(() => {
                reply({ type: "counts", counts: { ...running.counts } });
                reply({ type: "idle", id: request.id });
            });
        } else if (request.type === "stop") {
            void running.stop().finally(() => {
                sns.destroy();
                reply({ type: "counts", counts: { ...running.counts } });
                reply({ type: "stopped" });
                port.close();
            });
        }
    });
    reply({ type: "ready", endpoint: running.endpoint });
}

void main();
