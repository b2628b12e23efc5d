import { Worker } from "node:worker_threads";

/**
 * The Node.js options for a worker thread that loads this package's TypeScript sources: this
 * process's own, with tsx's loader added when the process was not started with it.
 */
export function threadExecArgv(): string[] {
    const argv = process.execArgv;
    return argv.some((arg) => arg.includes("tsx")) ? argv : [...argv, "--import", "tsx"];
}

/** What a thread's first message says: ready (with what it offers), or why it could not start. */
type FirstReply = { readonly type: string; readonly message?: string };

/** A thread that said it is ready, its ready message, and when it ends. */
export interface ReadyThread<Ready> {
    readonly worker: Worker;
    readonly ready: Ready;
    readonly exited: Promise<void>;
}

/**
 * Starts `file` on a worker thread of its own and waits for its first message. Anything but
 * `ready` (a `failed` with its message), an error or an exit before it ends the thread and throws.
 */
export async function startSourceThread<Reply extends FirstReply>(
    file: string,
    workerData: unknown,
    names: { readonly thread: string; readonly service: string },
): Promise<ReadyThread<Extract<Reply, { type: "ready" }>>> {
    const worker = new Worker(file, { workerData, execArgv: threadExecArgv() });
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    const first = await new Promise<Reply>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        void exited.then(() => reject(new Error(`${names.thread} exited before it was ready`)));
    });
    if (first.type !== "ready") {
        await worker.terminate();
        throw new Error(`${names.service} failed to start: ${first.type === "failed" ? first.message : first.type}`);
    }
    return { worker, ready: first as Extract<Reply, { type: "ready" }>, exited };
}
