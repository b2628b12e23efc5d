import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { findResource, recordProgram, MOCK_PROJECT, type RecordedResource } from "../support/pulumi-mocks";
import { T } from "./pipeline-fixture";
import { SHIPMENT_TIMEOUT_SECONDS } from "../../contract/options/workflows";
import { STACK_CONFIG_KEYS } from "../../contract/stack-config";

const ROOT = path.resolve(__dirname, "../..");
const PROGRAM = path.join(ROOT, "index.ts");

/** The `key: value` pairs of a stack file's `config:` block; commented-out keys when `commented`. */
function stackConfig(file: string, commented = false): Record<string, string> {
    const line = commented ? /^\s*#\s*([\w-]+:\w+):\s*(.*)$/ : /^\s+([\w-]+:\w+):\s*(.*)$/;
    const config: Record<string, string> = {};
    for (const text of fs.readFileSync(path.join(ROOT, file), "utf8").split("\n")) {
        const match = line.exec(text);
        if (match) config[match[1]] = match[2].replace(/^(["'])(.*)\1$/, "$2");
    }
    return config;
}

/** Runs the stack program afresh with exactly this configuration; returns its exports and resources. */
async function runStack(config: Record<string, string>): Promise<{ exports: Record<string, unknown>; resources: RecordedResource[] }> {
    pulumi.runtime.setAllConfig(config);
    delete require.cache[require.resolve(PROGRAM)];
    let exports: Record<string, unknown> = {};
    const resources = await recordProgram(() => (exports = require(PROGRAM)));
    return { exports, resources };
}

/** An exported Output's value. */
function valueOf(output: unknown): Promise<unknown> {
    return new Promise((resolve) => (output as pulumi.Output<unknown>).apply(resolve));
}

describe("the stack program (index.ts)", () => {
    after(() => pulumi.runtime.setAllConfig({}));

    it("builds the pipeline from Pulumi.dev.yaml and exports its outputs", async () => {
        const config = stackConfig("Pulumi.dev.yaml");
        expect(config).to.include({ "order-pipeline:emailSender": "orders@example.com", "order-pipeline:alarmEmail": "oncall@example.com" });
        const { exports, resources } = await runStack(config);
        const get = (type: string, name: string) => findResource(resources, type, name);

        expect(get(T.emailIdentity, "orders-sender").inputs.emailIdentity).to.equal("orders@example.com");
        expect(get(T.subscription, "orders-alarms-email").inputs.endpoint).to.equal("oncall@example.com");
        expect(get(T.api, "orders-api").inputs.corsConfiguration.allowOrigins).to.deep.equal(["http://localhost:3000"]);
        expect(get(T.stage, "orders-stage").inputs.defaultRouteSettings).to.deep.equal({ throttlingBurstLimit: 100, throttlingRateLimit: 50 });
        expect(get(T.logGroup, "orders-submit-logs").inputs.retentionInDays).to.equal(14);
        expect(get(T.table, "orders-table").inputs.deletionProtectionEnabled).to.equal(false);
        expect(get(T.function, "orders-process").inputs.tracingConfig).to.deep.equal({ mode: "PassThrough" });
        expect(get(T.queue, "orders-queue").inputs.tags).to.deep.equal({ application: "order-pipeline", stack: "dev" });

        const component = get(T.pipeline, "orders");
        for (const key of Object.keys(component.state)) {
            expect(await valueOf(exports[key]), key).to.deep.equal(component.state[key]);
        }
        // An option that is off exports undefined (a stack output Pulumi leaves out).
        const defined = Object.keys(exports).filter((key) => exports[key] !== undefined);
        expect(defined.sort()).to.deep.equal(Object.keys(component.state).sort());
    });

    it("builds a working pipeline with no configuration at all", async () => {
        const { resources } = await runStack({});
        const types = resources.map((r) => r.type);
        expect(types).not.to.include(T.emailIdentity);
        expect(types).not.to.include(T.subscription);
        expect(findResource(resources, T.api, "orders-api").inputs).not.to.have.property("corsConfiguration");
        expect(findResource(resources, T.function, "orders-process").inputs.environment.variables.EMAIL_ENABLED).to.equal("false");
    });

    it("reads every option the example stack file documents", async () => {
        const documented = { ...stackConfig("Pulumi.dev.yaml"), ...stackConfig("Pulumi.dev.yaml", true) };
        const keys = Object.keys(documented).filter((key) => key.startsWith(`${MOCK_PROJECT}:`));
        expect(keys.length).to.be.greaterThan(10);
        for (const key of keys) expect(STACK_CONFIG_KEYS, key).to.have.property(key.split(":")[1]);

        // Everything documented at once, commented-out examples included (emailEnabled: "false"), but
        // for emailIdentityArn: it excludes emailDomain, the documented production way to send.
        const { "order-pipeline:emailIdentityArn": _identityArn, ...compatible } = documented;
        const { resources } = await runStack({
            ...compatible,
            "order-pipeline:name": "shop",
            "order-pipeline:tracing": "true",
            "order-pipeline:batchSize": "20",
            "order-pipeline:maximumConcurrency": "8",
        }).catch((error) => {
            throw new Error(`the documented configuration was rejected: ${error}`);
        });
        const get = (type: string, name: string) => findResource(resources, type, name);
        expect(get(T.queue, "shop-queue").inputs.kmsMasterKeyId).to.equal(documented["order-pipeline:kmsKeyArn"]);
        expect(get(T.function, "shop-get").inputs.tracingConfig).to.deep.equal({ mode: "Active" });
        expect(get(T.eventSourceMapping, "shop-process-events").inputs).to.deep.include({ batchSize: 20, scalingConfig: { maximumConcurrency: 8 } });
        expect(resources.filter((r) => r.type === T.emailIdentity).map((r) => [r.name, r.inputs.emailIdentity])).to.deep.equal([["shop-domain", documented["order-pipeline:emailDomain"]]]);
        // The roadmap options: workflows, events with the documented subscriber, sign-in on the existing pool.
        expect(get("aws:sfn/stateMachine:StateMachine", "shop-ship-sm").inputs.definition).to.include(`"TimeoutSeconds":${SHIPMENT_TIMEOUT_SECONDS}`);
        expect(get("aws:cloudwatch/eventArchive:EventArchive", "shop-archive").inputs.retentionDays).to.equal(30);
        expect(get("aws:cloudwatch/eventRule:EventRule", "shop-billing-rule").inputs.eventPattern).to.equal('{"detail-type":["OrderPlaced"]}');
        expect(get("aws:apigatewayv2/authorizer:Authorizer", "shop-authorizer").inputs.jwtConfiguration).to.deep.equal({
            issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz",
            audiences: ["4k1example0client0id0abcde"],
        });
        expect(resources.map((r) => r.type)).not.to.include("aws:cognito/userPool:UserPool");
    });

    it("is declared as the program in Pulumi.yaml, loaded through tsx", () => {
        const project = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
        expect(project).to.match(/^name: order-pipeline$/m);
        expect(project).to.match(/^main: index\.ts$/m);
        expect(project).to.match(/^\s+typescript: false$/m);
        expect(project).to.match(/^\s+nodeargs: "--import tsx"$/m);
        // The program must not pull in the handlers' ESM-only dependencies.
        expect(fs.readFileSync(PROGRAM, "utf8")).not.to.match(/typebox/);
    });
});
