import { expect } from "chai";
import * as path from "node:path";
import { startSourceThread } from "../../local/source-thread";

const FIXTURE = path.join(__dirname, "fixtures", "first-reply-thread.ts");
const NAMES = { thread: "the test thread", service: "the test service" };
type Reply = { type: "ready"; port: number } | { type: "failed"; message: string } | { type: "other" };

describe("a source thread's start", () => {
    it("should hand back the ready message and a running thread", async () => {
        const { worker, ready, exited } = await startSourceThread<Reply>(FIXTURE, { reply: { type: "ready", port: 7 } }, NAMES);
        expect(ready).to.deep.equal({ type: "ready", port: 7 });
        await worker.terminate();
        await exited;
    });

    it("should throw the thread's own reason when it could not start", async () => {
        const failed = await startSourceThread<Reply>(FIXTURE, { reply: { type: "failed", message: "port taken" } }, NAMES).catch((err: Error) => err.message);
        expect(failed).to.equal("the test service failed to start: port taken");
    });

    it("should name any other first message, and an exit before ready", async () => {
        const other = await startSourceThread<Reply>(FIXTURE, { reply: { type: "other" } }, NAMES).catch((err: Error) => err.message);
        expect(other).to.equal("the test service failed to start: other");
        const exited = await startSourceThread<Reply>(FIXTURE, { exitCode: 3 }, NAMES).catch((err: Error) => err.message);
        expect(exited).to.equal("the test thread exited before it was ready");
    });
});
