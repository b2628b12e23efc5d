/**
 * The body of the SQS worker's thread (see `startThreadedSqsWorker`): builds the function's
 * sandbox (from the main thread's code cache of its bundle) and an SQS client here, runs
 * `startSqsWorker`, and sends back its counts, the function's log lines, batch reports and errors,
 * gathered once per turn of this thread's loop.
 */
import type { SQSClient } from "@aws-sdk/client-sqs";
import { parentPort, workerData } from "node:worker_threads";
import { LocalFunction } from "../lambda/lambda-sandbox";
import { createLocalSqsClient } from "../pipeline/local-sqs-client";
import { startSqsWorker, type BatchReport, type SqsWorker, type SqsWorkerCounts } from "./sqs-worker";
import type { ThreadedWorkerOptions, WorkerThreadReply, WorkerThreadRequest } from "./threaded-worker";

function main(): void {
    const port = parentPort;
    if (!port) throw new Error("worker-thread runs only as a worker thread");
    const options = workerData as Omit<ThreadedWorkerOptions, "onLog" | "onBatch" | "onError">;
    const reply = (message: WorkerThreadReply) => port.postMessage(message);

    let lines: Array<[string, string]> = [];
    let reports: BatchReport[] = [];
    let errors: string[] = [];
    let flushing = false;
    let worker: SqsWorker | undefined;
    const noCounts: SqsWorkerCounts = { batches: 0, received: 0, deleted: 0, failed: 0, inFlight: 0, peakConcurrency: 0, errors: 0 };
    // One message per turn of the loop, whatever happened in it: the main thread's listeners run in the same order.
    const flush = () => {
        flushing = false;
        reply({ type: "state", counts: { ...(worker?.counts ?? noCounts) }, fnCounts: { ...fn.counts }, volume: { ...fn.log.volume }, lines, reports, errors });
        lines = [];
        reports = [];
        errors = [];
    };
    const changed = () => {
        if (flushing) return;
        flushing = true;
        setImmediate(flush);
    };

    let fn: LocalFunction;
    let sqs: SQSClient;
    try {
        fn = new LocalFunction({
            ...options.fn,
            onLog: (name, line) => {
                lines.push([name, line]);
                changed();
            },
        });
        fn.init();
        sqs = createLocalSqsClient(options.endpoints.sqs);
    } catch (err) {
        reply({ type: "failed", message: (err as Error).stack ?? String(err) });
        return;
    }
    const running = startSqsWorker({
        sqs,
        queueUrl: options.queueUrl,
        queue: options.queue,
        processing: options.processing,
        ...(options.pollWaitSeconds !== undefined ? { pollWaitSeconds: options.pollWaitSeconds } : {}),
        invoke: (event) => {
            // In flight from the start of the invocation: the main thread's status shows it.
            changed();
            return fn.invoke(event);
        },
        onBatch: (report) => {
            reports.push(report);
            changed();
        },
        onError: (error) => {
            errors.push(error.message);
            changed();
        },
    });
    worker = running;
    port.on("message", (request: WorkerThreadRequest) => {
        if (request.type === "abandon") running.abandon();
        else if (request.type === "stop") {
            void running.stop(request.graceMs).finally(() => {
                sqs.destroy();
                flush();
                reply({ type: "stopped" });
                port.close();
            });
        }
    });
    reply({ type: "ready" });
}

main();
