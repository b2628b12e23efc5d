import { expect } from "chai";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../components/bundling";
import { EXAMPLE_ORDER } from "../../handlers/order/example-order";
import { stateFileIn, type LocalState } from "../../local/pipeline/state-file";
import { waitFor } from "./support/wait-for";

/** Runs a local/*.ts entry point in a child Node.js process (this one's Node 24), from the package root. */
function runEntry(entry: string, args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
    let output = "";
    const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], { cwd: packageRoot(), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, output: () => output, exited };
}

describe("npm start (smoke test of the entry point, in a child process)", function () {
    this.timeout(120_000);
    let start: ReturnType<typeof runEntry> | undefined;
    let banner = "";
    const localDir = fs.mkdtempSync(path.join(os.tmpdir(), "npm-start-"));

    // One run serves both tests: it runs the dev stack's settings (the component's defaults but for
    // keys local mode does not honour), so its banner shows what --stack prints, and it takes
    // orders and stops as any run does. A run of the bare defaults starts in
    // sigint-during-load.test.ts (through `npm start`), and run-args.test.ts checks what it runs.
    before(async () => {
        start = runEntry("local/start/start.ts", ["--stack", "dev", "--port", "0", "--local-dir", localDir]);
        await waitFor(() => start!.output().includes("Ctrl-C stops.") || start!.child.exitCode !== null, "the start banner", { timeoutMs: 90_000 });
        banner = start.output();
    });

    after(async () => {
        // If an assertion failed midway, do not leave the child running.
        if (start && start.child.exitCode === null) {
            start.child.kill("SIGKILL");
            await start.exited;
        }
        fs.rmSync(localDir, { recursive: true, force: true });
    });

    it("should start, print where everything is, take an order, redrive, and stop cleanly on SIGINT", async () => {
        const started = start!;
        expect(banner, banner).to.contain("Ctrl-C stops.");
        const apiUrl = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
        expect(apiUrl, banner).to.be.a("string");
        expect(banner).to.match(/Email viewer\s+http:\/\/127\.0\.0\.1:\d+\//);
        expect(banner).to.contain(`curl -i -X POST ${apiUrl}/orders -H 'content-type: application/json'`);
        expect(banner).to.contain(`curl -i ${apiUrl}/orders/`);

        // POST the sample order, then GET it until it is stored and confirmed.
        const posted = await fetch(`${apiUrl}/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(EXAMPLE_ORDER) });
        expect(posted.status).to.equal(202);
        const { orderId } = (await posted.json()) as { orderId: string };
        expect(posted.headers.get("location")).to.equal(`/orders/${orderId}`);
        let view: { status?: string } = {};
        await waitFor(async () => {
            const got = await fetch(`${apiUrl}/orders/${orderId}`);
            view = got.status === 200 ? ((await got.json()) as { status: string }) : {};
            return view.status === "CONFIRMED";
        }, "the order to be confirmed");

        // The mailbox simulator: an order for bounce@ shows its email bounced, through SNS, SQS and the email-events function.
        expect(banner).to.match(/Email events\s+SES mailbox simulator http:\/\/127\.0\.0\.1:\d+ -> SNS orders-ses-events -> /);
        const bounced = await fetch(`${apiUrl}/orders`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ ...EXAMPLE_ORDER, customer: { ...EXAMPLE_ORDER.customer, email: "bounce@simulator.amazonses.com" } }),
        });
        expect(bounced.status).to.equal(202);
        const bouncedId = ((await bounced.json()) as { orderId: string }).orderId;
        let bouncedView: { email?: { outcome?: string } } = {};
        await waitFor(async () => {
            const got = await fetch(`${apiUrl}/orders/${bouncedId}`);
            bouncedView = got.status === 200 ? ((await got.json()) as typeof bouncedView) : {};
            return bouncedView.email?.outcome === "BOUNCED";
        }, "the order for bounce@simulator.amazonses.com to show its email BOUNCED");

        // The state file lets `npm run redrive` find this local mode: move one dead letter back.
        const state = JSON.parse(fs.readFileSync(stateFileIn(localDir), "utf8")) as LocalState;
        expect(state.apiUrl).to.equal(apiUrl);
        const sqs = new SQSClient({ region: state.region, endpoint: state.endpoints.sqs, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
        await sqs.send(new SendMessageCommand({ QueueUrl: state.dlqUrl, MessageBody: "a dead letter" }));
        sqs.destroy();
        const redrive = runEntry("local/dlq/redrive-cli.ts", ["--local-dir", localDir, "--rate", "50"]);
        expect(await redrive.exited, redrive.output()).to.equal(0);
        expect(redrive.output()).to.contain(`local mode (pid ${state.pid})`);
        expect(redrive.output()).to.contain("Moved 1; failed (left in the DLQ) 0");

        started.child.kill("SIGINT");
        const code = await Promise.race([started.exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 60_000).unref())]);
        expect(code, started.output()).to.equal(0);
        expect(started.output()).to.contain("SIGINT: stopping.");
        expect(started.output()).to.match(/accepted 2 · stored 2 · emails 2 · in flight \d+ · DLQ \d+ · email events 2 \(0 queued, DLQ 0\)/);
        expect(started.output()).to.contain("Stopped.");
        expect(fs.existsSync(stateFileIn(localDir))).to.equal(false);
        expect(fs.readFileSync(path.join(localDir, "logs", "orders-process.log"), "utf8")).to.contain(orderId);
    });

    it("should run a stack's settings with --stack, print the values in use and the keys it cannot honour", () => {
        expect(banner, banner).to.contain("stack dev (Pulumi.dev.yaml)");
        expect(banner).to.match(/Not run here\s+.*alarmEmail \(not emulated locally\)/);
        expect(banner).to.contain("(sender orders@example.com)");
        expect(banner).to.contain("batches of 10 within 1 s, up to 5 at once");
        expect(banner).to.contain("after 3 receives; visibility timeout 181 s");
    });
});
