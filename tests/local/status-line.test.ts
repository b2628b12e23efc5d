import { expect } from "chai";
import { StatusLine } from "../../local/start/status-line";

describe("local mode status line", () => {
    const setup = (isTTY: boolean) => {
        const written: string[] = [];
        let status = "accepted 0";
        let clock = 0;
        const line = new StatusLine({
            stream: { isTTY, write: (text: string) => written.push(text) },
            read: async () => status,
            quietIntervalMs: 15_000,
            now: () => clock,
        });
        return {
            line,
            written,
            set: (text: string) => (status = text),
            advance: (ms: number) => (clock += ms),
        };
    };

    it("should redraw in place on a terminal, only when the status changed", async () => {
        const t = setup(true);
        await t.line.tick();
        await t.line.tick();
        t.set("accepted 1");
        await t.line.tick();
        t.line.print("a message");
        await t.line.stop();
        expect(t.written).to.deep.equal(["\r\x1b[2Kaccepted 0", "\r\x1b[2Kaccepted 1", "\r\x1b[2Ka message\naccepted 1", "\n"]);
    });

    it("should not spam a log: a changed status at most once per quiet interval, never an unchanged one, and a last line at stop", async () => {
        const t = setup(false);
        await t.line.tick();
        for (let i = 1; i <= 10; i++) {
            t.set(`accepted ${i}`);
            t.advance(1_000);
            await t.line.tick();
        }
        t.advance(10_000);
        await t.line.tick();
        t.advance(60_000);
        await t.line.tick();
        await t.line.tick();
        t.set("accepted 11");
        await t.line.stop();
        expect(t.written).to.deep.equal(["accepted 0\n", "accepted 10\n", "accepted 11\n"]);
    });

    it("should skip a status that cannot be read instead of failing", async () => {
        const written: string[] = [];
        const line = new StatusLine({ stream: { isTTY: true, write: (t: string) => written.push(t) }, read: async () => Promise.reject(new Error("busy")) });
        await line.tick();
        await line.stop();
        expect(written).to.deep.equal([]);
    });
});
