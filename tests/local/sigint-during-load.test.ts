import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../components/bundling";
import { EXAMPLE_ORDER } from "../../handlers/order/example-order";
import { startLocalPipeline, type LocalPipeline } from "../../local/pipeline/pipeline";
import { stateFileIn } from "../../local/pipeline/state-file";
import { runArgs } from "../../local/start/run-args";
import { parseStartOptions } from "../../local/start/start-options";
import { waitFor } from "./support/wait-for";

/** Orders sent in all (bounded, to keep the test short); SIGINT goes out once a third were accepted. */
const ORDERS = 90;
/** Clients posting at once. */
const CLIENTS = 8;

interface Started {
    readonly child: ChildProcess;
    readonly output: () => string;
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a command in a process group of its own, as a terminal runs a foreground job. */
function startGroup(command: string, args: string[]): Started {
    let output = "";
    const child = spawn(command, args, { cwd: packageRoot(), stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    return { child, output: () => output, exited };
}

async function apiUrlOf(started: Started): Promise<string> {
    await waitFor(() => started.output().includes("Ctrl-C stops.") || started.child.exitCode !== null, "the start banner", { timeoutMs: 90_000 });
    const url = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(started.output())?.[1];
    if (!url) throw new Error(`no API address in:\n${started.output()}`);
    return url;
}

/** Ends a group left running by a failed assertion. */
async function killGroup(started: Started | undefined): Promise<void> {
    if (!started || started.child.exitCode !== null || started.child.signalCode !== null) return;
    try {
        process.kill(-started.child.pid!, "SIGKILL");
    } catch {
        // Already gone.
    }
    await started.exited;
}

describe("npm start: Ctrl-C during load (SIGINT to the whole process group)", function () {
    this.timeout(180_000);
    const localDir = fs.mkdtempSync(path.join(os.tmpdir(), "sigint-load-"));
    let first: Started | undefined;
    let restarted: LocalPipeline | undefined;
    const START_ARGS = ["--port", "0", "--local-dir", localDir, "--keep-data", "--quiet"];

    after(async () => {
        await killGroup(first);
        await restarted?.stop();
        fs.rmSync(localDir, { recursive: true, force: true });
    });

    it("should stop cleanly, and every order answered 202 is stored after a restart with --keep-data", async () => {
        // Prepare: npm start, as a user runs it, in its own process group.
        first = startGroup("npm", ["start", "--silent", "--", ...START_ARGS]);
        const apiUrl = await apiUrlOf(first);

        // Act: clients post orders; a third of the way in, the terminal's Ctrl-C reaches the group.
        const accepted: string[] = [];
        let sent = 0;
        let interrupted = false;
        const client = async () => {
            while (sent < ORDERS) {
                sent++;
                try {
                    const response = await fetch(`${apiUrl}/orders`, {
                        method: "POST",
                        headers: { "content-type": "application/json" },
                        body: JSON.stringify(EXAMPLE_ORDER),
                    });
                    const body = (await response.json()) as { orderId?: string };
                    if (response.status === 202 && body.orderId) accepted.push(body.orderId);
                } catch {
                    // Refused or closed once the API stopped taking orders: not accepted, so not owed.
                }
                if (!interrupted && accepted.length >= ORDERS / 3) {
                    interrupted = true;
                    process.kill(-first!.child.pid!, "SIGINT");
                }
            }
        };
        await Promise.all(Array.from({ length: CLIENTS }, client));
        const exit = await first.exited;

        // Assess the stop: announced, finished, state file removed, emails saved.
        const output = first.output();
        expect(interrupted, output).to.equal(true);
        expect(output).to.contain("SIGINT: stopping.");
        expect(output).to.contain("Stopped.");
        expect(output, "the forwarded copies of the one Ctrl-C must not force the exit").not.to.contain("again: stopping at once");
        // npm ends itself by the signal it got once its script has exited, as a shell expects of a
        // foreground job interrupted by Ctrl-C; the script itself exited 0 after "Stopped.".
        expect([{ code: 0, signal: null }, { code: null, signal: "SIGINT" }], output).to.deep.include(exit);
        expect(fs.existsSync(stateFileIn(localDir)), "local-state.json left behind").to.equal(false);
        expect(fs.existsSync(path.join(localDir, "data", "ses", "emails.json")), "emails.json").to.equal(true);

        // Restart on the kept data, in this process with the settings npm start used: every accepted
        // order is there, and confirmed.
        const options = parseStartOptions(START_ARGS);
        const run = runArgs(options, packageRoot());
        restarted = await startLocalPipeline({ port: 0, dataDir: path.join(localDir, "data"), name: run.name, args: run.args, onLog: () => {} });
        const pending = new Set(accepted);
        await waitFor(async () => {
            for (const orderId of [...pending]) {
                const got = await fetch(`${restarted!.apiUrl}/orders/${orderId}`);
                if (got.status === 200 && ((await got.json()) as { status: string }).status === "CONFIRMED") pending.delete(orderId);
            }
            return pending.size === 0;
        }, "every accepted order to be confirmed after the restart", { timeoutMs: 60_000, intervalMs: 100 });
        expect(accepted.length).to.be.at.least(ORDERS / 3);
    });
});
