import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../components/bundling";
import { resolveLocalSettings } from "../../local/pipeline/local-settings";
import { formatStatus, type PipelineStats } from "../../local/pipeline/pipeline-stats";
import { sampleCurls } from "../../local/pipeline/sample-order";
import { runArgs } from "../../local/start/run-args";
import { parseStartOptions, START_USAGE, UsageError } from "../../local/start/start-options";

describe("npm start -- --workflows --events --auth: the options in local mode", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
    const projectWith = (stack: string, lines: string[]): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
        dirs.push(dir);
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), ["config:", ...lines.map((line) => `  ${line}`)].join("\n"));
        return dir;
    };

    it("should turn each option on by its flag, with the component's defaults, and none without", () => {
        const none = runArgs(parseStartOptions([], {}), packageRoot()).args;
        expect(none).not.to.have.any.keys("workflows", "events", "auth");
        const all = runArgs(parseStartOptions(["--workflows", "--events", "--auth"], {}), packageRoot());
        expect(all.args).to.deep.include({ workflows: {}, events: {}, auth: { cognito: {} } });
        const settings = resolveLocalSettings(all.name, all.args);
        expect(settings.workflows?.shipmentTimeoutSeconds).to.equal(604_800);
        expect(settings.events?.subscribers).to.deep.equal([]);
        expect(settings.auth?.kind).to.equal("create");
    });

    it("should read --warehouse, default ship, and refuse an unknown mode by name", () => {
        expect(parseStartOptions([], {}).warehouse).to.equal("ship");
        expect(parseStartOptions(["--warehouse", "ignore"], {}).warehouse).to.equal("ignore");
        expect(() => parseStartOptions(["--warehouse", "lose"], {})).to.throw(UsageError, '--warehouse must be one of ship, fail, ignore, got "lose"');
        expect(START_USAGE).to.contain("--warehouse <mode>").and.to.contain("ship (after 2 s, the default)");
    });

    it("should run the options a stack turns on, its subscribers' patterns and shipment timeout, and name what stands in", () => {
        const subscribers = [{ name: "billing", pattern: { "detail-type": ["OrderPlaced"] }, target: { queueArn: "arn:aws:sqs:eu-west-1:123456789012:billing" } }];
        const dir = projectWith("shop", [
            'order-pipeline:workflows: "true"',
            'order-pipeline:shipmentTimeoutSeconds: "3600"',
            "order-pipeline:workflowLogLevel: ALL",
            'order-pipeline:events: "true"',
            `order-pipeline:eventSubscribers: '${JSON.stringify(subscribers)}'`,
            "order-pipeline:authUserPoolId: eu-west-1_AbC123xyz",
            `order-pipeline:authUserPoolClientIds: '["4k1example0client0id0abcde"]'`,
        ]);
        const run = runArgs(parseStartOptions(["--stack", "shop"], {}), dir);
        const settings = resolveLocalSettings(run.name, run.args, {}, run.stack);
        expect(settings.workflows?.shipmentTimeoutSeconds).to.equal(3600);
        expect(settings.events?.subscribers.map((s) => [s.name, s.eventPattern])).to.deep.equal([["billing", '{"detail-type":["OrderPlaced"]}']]);
        expect(settings.auth?.kind).to.equal("existing");
        expect(run.notHonoured).to.deep.equal([
            "workflowLogLevel (not emulated locally)",
            "authUserPoolId (the local user pool stands in for it)",
            "authUserPoolClientIds (the local user pool's app client stands in for them)",
        ]);
        // A flag adds an option the stack leaves off, and never replaces the stack's own settings of one.
        const flagged = runArgs(parseStartOptions(["--stack", "shop", "--workflows", "--auth"], {}), dir);
        expect(resolveLocalSettings(flagged.name, flagged.args, {}, flagged.stack).workflows?.shipmentTimeoutSeconds).to.equal(3600);
    });

    it("should print the token, Authorization header and refund in the sample commands when the options are on", () => {
        const curls = sampleCurls("http://127.0.0.1:3000", { signIn: true, refund: true });
        expect(curls.token).to.equal("TOKEN=$(npm run -s token -- --email ada@example.com)");
        expect(curls.post).to.contain('-H "Authorization: Bearer $TOKEN"');
        expect(curls.refund).to.equal('curl -i -X POST http://127.0.0.1:3000/orders/<orderId>/refund -H "Authorization: Bearer $TOKEN"');
        expect(sampleCurls("http://127.0.0.1:3000")).to.not.have.any.keys("token", "refund");
    });

    it("should count executions and events on the status line when the options are on", () => {
        const base = { api: { accepted: 2, ok: 0, rejected: 0, failed: 0 }, stored: 2, emails: 2, queued: 0, processing: 0, dlq: 0 } as unknown as PipelineStats;
        expect(formatStatus(base)).to.equal("accepted 2 · stored 2 · emails 2 · in flight 0 · DLQ 0");
        const withOptions = { ...base, executions: { started: 3, running: 1, succeeded: 1, failed: 1 }, events: { published: 4, delivered: 3, failed: 1 } } as PipelineStats;
        expect(formatStatus(withOptions)).to.equal("accepted 2 · stored 2 · emails 2 · in flight 0 · DLQ 0 · executions 3 (1 running, 1 failed) · events 4 (3 delivered, 1 failed)");
    });
});
