/**
 * The body of the emulators' worker thread (see `startEmulators({ thread: true })`): starts the
 * emulators here, says where they listen, answers email counts (the SES emulator's store lives
 * in this thread) and stops them when told.
 */
import { parentPort, workerData } from "node:worker_threads";
import { countEmailsFrom } from "./email-store";
import { startEmulators, type EmulatorOptions } from "./emulators";
import type { EmulatorThreadReply, EmulatorThreadRequest } from "./emulator-thread-messages";


async function main(): Promise<void> {
    const port = parentPort;
    if (!port) throw new Error("emulator-thread runs only as a worker thread");
    const reply = (message: EmulatorThreadReply) => port.postMessage(message);
    let emulators;
    try {
        emulators = await startEmulators({ ...(workerData as EmulatorOptions), thread: false });
    } catch (err) {
        reply({ type: "failed", message: (err as Error).stack ?? String(err) });
        return;
    }
    const running = emulators;
    port.on("message", (request: EmulatorThreadRequest) => {
        if (request.type === "count-emails") {
            reply({ type: "emails", id: request.id, count: countEmailsFrom(request.sender, request.sinceEpochSeconds) });
        } else if (request.type === "stop") {
            void running.stop().finally(() => {
                reply({ type: "stopped" });
                port.close();
            });
        }
    });
    reply({ type: "ready", endpoints: { ...running.endpoints } });
}

void main();
