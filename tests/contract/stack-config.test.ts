/**
 * The stack configuration: the one mapping from `pulumi config` keys to arguments (used by
 * index.ts and by `npm start -- --stack`), the example stack file, and the docs table.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { resolvePipelineSettings } from "../../contract/settings";
import { CONFIG_NAMESPACE, STACK_CONFIG_KEYS, stackArgs, StackConfigError, type StackConfigKeyName } from "../../contract/stack-config";
import { stackConfigTable, TABLE_BEGIN, TABLE_END } from "../../contract/stack-config-table";

const ROOT = path.resolve(__dirname, "../..");

/** `key -> value` of Pulumi.dev.yaml's lines in this namespace, set or commented out. */
function devStackLines(): Array<{ key: string; value: string; commented: boolean }> {
    const lines = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").split("\n");
    return lines.flatMap((line) => {
        const match = new RegExp(`^\\s*(#\\s*)?${CONFIG_NAMESPACE}:(\\w+):\\s*(.*)$`).exec(line);
        return match ? [{ key: match[2], value: match[3].replace(/^(["'])(.*)\1$/, "$2"), commented: match[1] !== undefined }] : [];
    });
}

const source = (values: Partial<Record<StackConfigKeyName, string>>) => (key: StackConfigKeyName) => values[key];

describe("stack configuration", () => {
    it("should leave every argument unset when no key is set, so that the resolver's defaults apply", () => {
        const { name, args } = stackArgs(source({}), "dev");
        expect(name).to.equal("orders");
        const settings = resolvePipelineSettings(name, args, { stack: "dev" });
        expect(settings).to.deep.equal(resolvePipelineSettings("orders", { tags: args.tags }, { stack: "dev" }));
        expect(args.tags).to.deep.equal({ application: "order-pipeline", stack: "dev" });
    });

    it("should map each key to its argument, as the docs table says", () => {
        const { args } = stackArgs(
            source({ batchSize: "20", maxReceiveCount: "5", maximumConcurrency: "8", emailSender: "shop@example.com", corsAllowOrigins: '["https://a.example"]', tracing: "true" }),
            "dev",
        );
        expect(args.processing).to.deep.include({ batchSize: 20, maximumConcurrency: 8 });
        expect(args.queue?.maxReceiveCount).to.equal(5);
        expect(args.email).to.deep.include({ sender: "shop@example.com" });
        expect(args.api?.cors?.allowOrigins).to.deep.equal(["https://a.example"]);
        expect(args.tracing).to.equal(true);
        expect(STACK_CONFIG_KEYS.batchSize.arg).to.equal("processing.batchSize");
        expect(STACK_CONFIG_KEYS.maxReceiveCount.arg).to.equal("queue.maxReceiveCount");
    });

    it("should turn an option on when one of its keys is set, and leave it off otherwise", () => {
        expect(stackArgs(source({}), "dev").args).to.include({ events: undefined, workflows: undefined, auth: undefined });
        expect(stackArgs(source({ shipmentTimeoutSeconds: "600" }), "dev").args.workflows).to.deep.equal({ shipmentTimeoutSeconds: 600, logLevel: undefined });
        expect(stackArgs(source({ eventArchiveRetentionDays: "7" }), "dev").args.events).to.deep.include({ archiveRetentionDays: 7 });
        expect(stackArgs(source({ authUserPoolId: "eu-west-1_Abc", authUserPoolClientIds: '["c1"]' }), "dev").args.auth).to.deep.equal({
            cognito: { userPoolId: "eu-west-1_Abc", userPoolClientIds: ["c1"] },
        });
        expect(stackArgs(source({ events: "false", eventArchiveRetentionDays: "7" }), "dev").args.events).to.equal(undefined);
    });

    it("should list every value that is not of its key's type at once, naming each key", () => {
        const attempt = () => stackArgs(source({ batchSize: "ten", tracing: "yes", corsAllowOrigins: "[oops" }), "dev");
        expect(attempt).to.throw(StackConfigError);
        try {
            attempt();
        } catch (err) {
            expect((err as StackConfigError).problems).to.deep.equal([
                'order-pipeline:corsAllowOrigins must be JSON, got "[oops"',
                'order-pipeline:batchSize must be a number, got "ten"',
                'order-pipeline:tracing must be "true" or "false", got "yes"',
            ]);
        }
    });

    it("should read every key it declares", () => {
        const read = new Set<string>();
        const all = Object.fromEntries(Object.keys(STACK_CONFIG_KEYS).map((key) => [key, undefined]));
        // With an existing pool and without, so that both branches of sign-in are read.
        for (const values of [{ auth: "true" }, { authUserPoolId: "eu-west-1_Abc" }]) {
            stackArgs((key) => {
                read.add(key);
                return (values as Record<string, string | undefined>)[key] ?? (all[key] as undefined);
            }, "dev");
        }
        expect([...read].sort()).to.deep.equal(Object.keys(STACK_CONFIG_KEYS).sort());
    });

    describe("Pulumi.dev.yaml", () => {
        it("should show every key of the stack program, and only those", () => {
            const keys = devStackLines().map((line) => line.key);
            expect([...new Set(keys)].sort()).to.deep.equal(Object.keys(STACK_CONFIG_KEYS).sort());
        });

        it("should show a key's default on its commented-out line, where the default is a plain value", () => {
            let checked = 0;
            for (const { key, value, commented } of devStackLines()) {
                const spec = STACK_CONFIG_KEYS[key as StackConfigKeyName];
                if (!commented || /\s/.test(spec.default)) continue;
                expect(value, key).to.equal(spec.default);
                checked++;
            }
            expect(checked).to.be.greaterThan(8);
        });

        it("should be a configuration the resolver accepts", () => {
            const values = Object.fromEntries(devStackLines().filter((line) => !line.commented).map((line) => [line.key, line.value]));
            const { name, args } = stackArgs(source(values), "dev");
            expect(() => resolvePipelineSettings(name, args, { stack: "dev" })).not.to.throw();
        });
    });

    it("should show in docs/configuration.md the table made from the keys (npm run docs:config)", () => {
        const page = path.join(ROOT, "docs", "configuration.md");
        const text = fs.readFileSync(page, "utf8");
        const table = text.slice(text.indexOf(TABLE_BEGIN) + TABLE_BEGIN.length, text.indexOf(TABLE_END)).trim();
        expect(table).to.equal(stackConfigTable());
    });
});
