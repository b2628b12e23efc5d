import { expect } from "chai";
import { EventPublishQueue } from "../../local/emulators/event-publish-queue";
import type { SesEventRecord } from "../../local/emulators/ses-event-records";

describe("the mailbox simulator's publish queue", () => {
    const record = (email: number, eventType: SesEventRecord["eventType"]): SesEventRecord => ({ eventType, mail: { messageId: `m-${email}` } });
    /** A publisher that holds each call until released, and records what each call carried. */
    const heldPublisher = () => {
        const calls: SesEventRecord[][] = [];
        const releases: Array<() => void> = [];
        const publish = (records: readonly SesEventRecord[]) => {
            calls.push([...records]);
            return new Promise<readonly { index: number; reason: string }[]>((resolve) => releases.push(() => resolve([])));
        };
        const releaseAll = async () => {
            while (releases.length > 0) {
                releases.shift()!();
                await new Promise((resolve) => setImmediate(resolve));
            }
        };
        return { calls, publish, releaseAll };
    };

    it("should send what arrives while requests are out in batches of at most 10, never splitting an email's records", async () => {
        const { calls, publish, releaseAll } = heldPublisher();
        const queue = new EventPublishQueue(publish);
        // 2 emails go out at once (two requests in flight); 12 more wait, two records each.
        for (let email = 0; email < 14; email++) queue.add([record(email, "Delivery"), record(email, "Complaint")]);
        expect(calls.map((c) => c.length)).to.deep.equal([2, 2]);
        expect(queue.counts.publishing).to.equal(28);
        let idle = false;
        const waiting = queue.idle().then(() => (idle = true));
        await releaseAll();
        await waiting;
        expect(idle).to.equal(true);
        expect(calls.map((c) => c.length)).to.deep.equal([2, 2, 10, 10, 4]);
        // Every email's Delivery then Complaint, side by side, in the order the emails came.
        const sent = calls.flat().map((r) => `${(r.mail as { messageId: string }).messageId}:${r.eventType}`);
        expect(sent).to.deep.equal(Array.from({ length: 14 }, (_, e) => [`m-${e}:Delivery`, `m-${e}:Complaint`]).flat());
        expect(queue.counts).to.deep.equal({ published: 28, failed: 0, publishing: 0 });
    });

    it("should count and report the records SNS refused or could not take, and carry on", async () => {
        const errors: Error[] = [];
        let call = 0;
        const queue = new EventPublishQueue(async (records) => {
            call++;
            if (call === 1) throw new Error("connect ECONNREFUSED");
            return records.length > 1 ? [{ index: 1, reason: "InvalidParameter: too long" }] : [];
        }, (error) => errors.push(error));
        queue.add([record(1, "Bounce")]);
        await queue.idle();
        queue.add([record(2, "Delivery"), record(2, "Complaint")]);
        await queue.idle();
        expect(queue.counts).to.deep.equal({ published: 1, failed: 2, publishing: 0 });
        expect(errors.map((e) => e.message)).to.deep.equal([
            "could not publish the SES Bounce event of message m-1: connect ECONNREFUSED",
            "could not publish the SES Complaint event of message m-2: InvalidParameter: too long",
        ]);
    });

    it("should be idle at once when nothing was added", async () => {
        const queue = new EventPublishQueue(async () => []);
        queue.add([]);
        await queue.idle();
        expect(queue.counts.publishing).to.equal(0);
    });
});
