import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../components/bundling";
import { resolveLocalSettings } from "../../local/pipeline/local-settings";
import { runArgs } from "../../local/start/run-args";
import { parseStartOptions, UsageError } from "../../local/start/start-options";

describe("npm start: what it runs", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    /** A project folder holding one stack file with these lines under `config:`. */
    const projectWith = (stack: string, lines: string[]): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
        dirs.push(dir);
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), ["config:", ...lines.map((line) => `  ${line}`)].join("\n"));
        return dir;
    };

    it("should run the component's defaults bare, with local mode's sender", () => {
        const run = runArgs(parseStartOptions([], {}), packageRoot());
        expect(run).to.deep.equal({ name: "orders", args: { email: { sender: "orders@example.com" } }, stack: undefined, notHonoured: [] });
        const settings = resolveLocalSettings(run.name, run.args);
        expect(settings.processing).to.deep.equal({ batchSize: 10, maxBatchingWindowSeconds: 1, maximumConcurrency: 5 });
        expect(settings.queue.maxReceiveCount).to.equal(3);
    });

    it("should run the dev stack's settings through the stack program's mapping, naming the keys it cannot honour", () => {
        const run = runArgs(parseStartOptions(["--stack", "dev"], {}), packageRoot());
        expect(run.stack).to.equal("dev");
        expect(run.args.email).to.deep.include({ sender: "orders@example.com" });
        expect(run.notHonoured).to.include.members([
            "alarmEmail (not emulated locally)",
            "corsAllowOrigins (not emulated locally)",
            "logRetentionDays (not emulated locally)",
        ]);
    });

    it("should carry a stack's batch size, concurrency, receives and sender into the settings local mode runs", () => {
        const dir = projectWith("shop", [
            "aws:region: eu-west-1",
            "order-pipeline:name: shop",
            'order-pipeline:batchSize: "4"',
            "order-pipeline:maximumConcurrency: 2",
            'order-pipeline:maxReceiveCount: "5"',
            "order-pipeline:emailSender: sales@shop.example",
            "order-pipeline:kmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "order-pipeline:alarmEmail:",
            "  secure: AAABAJ0b1c2",
            "order-pipeline:batchSzie: 3",
        ]);
        const run = runArgs(parseStartOptions(["--stack", "shop"], {}), dir);
        const settings = resolveLocalSettings(run.name, run.args, {}, run.stack);
        expect(settings.name).to.equal("shop");
        expect(settings.processing).to.deep.include({ batchSize: 4, maximumConcurrency: 2 });
        expect(settings.queue.maxReceiveCount).to.equal(5);
        expect(settings.email).to.deep.include({ enabled: true, sender: "sales@shop.example" });
        expect(run.notHonoured).to.deep.equal([
            "kmsKeyArn (not emulated locally)",
            "alarmEmail (a secret: only the Pulumi CLI can decrypt it)",
            "batchSzie (not a key of this stack program)",
        ]);
    });

    it("should let the email flags win over the stack", () => {
        const dir = projectWith("shop", ["order-pipeline:emailSender: sales@shop.example"]);
        expect(runArgs(parseStartOptions(["--stack", "shop", "--no-email"], {}), dir).args.email).to.deep.equal({ enabled: false });
        expect(runArgs(parseStartOptions(["--stack", "shop", "--email-sender", "a@b.example"], {}), dir).args.email).to.deep.equal({ sender: "a@b.example" });
    });

    it("should refuse a missing stack file, and a value that is not of its key's type, naming both", () => {
        const dir = projectWith("shop", ['order-pipeline:batchSize: "lots"']);
        expect(() => runArgs(parseStartOptions(["--stack", "nope"], {}), dir)).to.throw(UsageError, "there is no Pulumi.nope.yaml");
        expect(() => runArgs(parseStartOptions(["--stack", "shop"], {}), dir)).to.throw(UsageError, 'order-pipeline:batchSize must be a number, got "lots"');
    });

    it("should check a stack's settings as the component does", () => {
        const dir = projectWith("shop", ['order-pipeline:maxReceiveCount: "0"']);
        const run = runArgs(parseStartOptions(["--stack", "shop"], {}), dir);
        expect(() => resolveLocalSettings(run.name, run.args, {}, run.stack)).to.throw("queue.maxReceiveCount must be an integer from 1 to 1000, got 0");
    });
});
