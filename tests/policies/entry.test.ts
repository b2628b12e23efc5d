/**
 * The pack's entry, checked in child processes: importing it here would start the policy server
 * in the test process and keep it alive. What the entry really does (read in
 * node_modules/@pulumi/policy): `new PolicyPack(...)` reads the version from `package.json` in
 * the working directory, binds a gRPC server to 127.0.0.1:0, prints the port on stdout, and never
 * exits on its own; the CLI stops it when the update is done. It needs no engine to start.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EnforcementLevel } from "@pulumi/pulumi/proto/analyzer_pb";
import { allPolicies, PACK_NAME } from "../../policies/all-policies";
import { bundlePolicyPack } from "../../policies/bundle";
import { AwsType } from "../../policies/support/resource-types";
import { UNKNOWN, urnOf } from "./harness";
import { startPack, type RunningPack } from "./policy-server";

const POLICIES_DIR = path.resolve(__dirname, "../../policies");
const packVersion = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8")).version as string;

/** A role policy whose one statement grants everything. */
const wildcardPolicy = {
    type: AwsType.iamRolePolicy,
    name: "orders-process-policy",
    urn: urnOf(AwsType.iamRolePolicy, "orders-process-policy"),
    properties: { role: "orders-process-role", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) },
};

describe("policy pack entry, run as the Pulumi CLI runs it", function () {
    // Starting runs the CLI's ts-node, which type-checks the pack first.
    this.timeout(120_000);
    let pack: RunningPack;

    before(async () => {
        pack = await startPack(POLICIES_DIR);
    });
    after(async () => {
        await pack?.stop();
    });

    it("should print its port and nothing else, with nothing on stderr", () => {
        expect(pack.output.stdout).to.equal(`${pack.port}\n`);
        expect(pack.output.stderr).to.equal("");
    });

    it("should describe the pack and every rule, with its enforcement level and config schema", async () => {
        const info = await pack.info();
        expect(info.getName()).to.equal(PACK_NAME);
        expect(info.getVersion()).to.equal(packVersion);
        const served = info.getPoliciesList().map((p) => ({
            name: p.getName(),
            level: p.getEnforcementlevel() === EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
            config: Object.keys(p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}),
        }));
        expect(served).to.deep.equal(
            allPolicies.map((p) => ({ name: p.name, level: p.enforcementLevel, config: Object.keys(p.configSchema?.properties ?? {}) })),
        );
    });

    it("should report a wildcard statement through Analyze, at the rule's level", async () => {
        const diagnostics = await pack.analyze(wildcardPolicy);
        // "*" on "*" also grants ses:SendEmail (on no identity, with no sender condition) and iam:PassRole.
        expect(diagnostics.map((d) => [d.policy, d.enforcementLevel])).to.deep.equal([
            ["iam-no-wildcard-actions", "mandatory"],
            ["iam-no-wildcard-resources", "mandatory"],
            ["iam-ses-send-scoped", "mandatory"],
            ["iam-ses-send-scoped", "mandatory"],
            ["iam-no-pass-role-on-wildcard", "mandatory"],
        ]);
        expect(diagnostics[0].message).to.contain('Replace the wildcard action "*" in statement 1 of role policy "orders-process-policy"');
    });

    it("should turn a policy document not known during preview into advisory notes, not violations", async () => {
        const diagnostics = await pack.analyze({ ...wildcardPolicy, properties: { role: "orders-process-role", policy: UNKNOWN.string } });
        expect(diagnostics.length).to.be.greaterThan(0);
        for (const d of diagnostics) {
            expect(d.enforcementLevel).to.equal("advisory");
            expect(d.message).to.contain(`can't run policy '${d.policy}' from policy pack '${PACK_NAME}@v${packVersion}' during preview`);
        }
    });

    it("should relate resources in AnalyzeStack by their property dependencies when ARNs are not known yet", async () => {
        const fn = (name: string) => ({
            type: AwsType.lambdaFunction,
            name,
            urn: urnOf(AwsType.lambdaFunction, name),
            properties: { name, role: UNKNOWN.string, runtime: "nodejs24.x" },
            propertyDependencies: { role: [urnOf(AwsType.iamRole, "shared-role")] },
        });
        const role = { type: AwsType.iamRole, name: "shared-role", urn: urnOf(AwsType.iamRole, "shared-role"), properties: { arn: UNKNOWN.string } };
        const diagnostics = await pack.analyzeStack([role, fn("orders-submit"), fn("orders-get")]);
        const shared = diagnostics.filter((d) => d.policy === "lambda-no-shared-roles");
        expect(shared).to.have.length(1);
        expect(shared[0].urn).to.equal(role.urn);
        expect(shared[0].message).to.contain('"orders-submit", "orders-get" share IAM role "shared-role"');
    });

    it("should apply config sent by the CLI: an allow-list and an enforcement level", async () => {
        const xrayEverywhere = {
            ...wildcardPolicy,
            properties: { role: "r", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "xray:PutTraceSegments", Resource: "*" }] }) },
        };
        expect(await pack.analyze(xrayEverywhere)).to.deep.equal([]);
        await pack.configure({
            "iam-no-wildcard-resources": { enforcementLevel: EnforcementLevel.ADVISORY, properties: { allowedWildcardResourceActions: ["cloudwatch:PutMetricData"] } },
        });
        const diagnostics = await pack.analyze(xrayEverywhere);
        expect(diagnostics.map((d) => [d.policy, d.enforcementLevel])).to.deep.equal([["iam-no-wildcard-resources", "advisory"]]);
    });

    it("should keep serving until stopped, then exit on the CLI's SIGTERM with nothing on stderr", async () => {
        expect(pack.process.exitCode).to.equal(null);
        const exit = await pack.stop();
        expect(exit).to.deep.equal({ code: null, signal: "SIGTERM" });
        expect(pack.output.stderr).to.equal("");
    });
});

describe("policy pack as published (the bundle `npm pack` uploads)", function () {
    this.timeout(120_000);
    let folder: string;
    let pack: RunningPack | undefined;

    before(() => {
        // What `pulumi policy publish` uploads and the Pulumi Cloud installs: the files named in
        // package.json, next to installed dependencies (here, the repository's).
        folder = fs.mkdtempSync(path.join(os.tmpdir(), "order-pipeline-policies-"));
        bundlePolicyPack(path.join(folder, "index.js"));
        for (const file of ["package.json", "PulumiPolicy.yaml"]) fs.copyFileSync(path.join(POLICIES_DIR, file), path.join(folder, file));
        fs.symlinkSync(path.resolve(POLICIES_DIR, "../node_modules"), path.join(folder, "node_modules"), "dir");
    });
    after(async () => {
        await pack?.stop();
        // Unlink the dependency link itself first, so that nothing can reach through it.
        fs.unlinkSync(path.join(folder, "node_modules"));
        fs.rmSync(folder, { recursive: true, force: true });
    });

    it("should ship exactly the files package.json names, with no import from outside the folder", () => {
        const files = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8")).files as string[];
        expect(files.sort()).to.deep.equal(["PulumiPolicy.yaml", "index.js"]);
        const code = fs.readFileSync(path.join(folder, "index.js"), "utf8");
        expect(code).not.to.match(/require\("\.\.?\//);
        expect(code).to.contain("minVisibilityTimeoutSeconds");
    });

    it("should serve every rule from the bundle alone", async () => {
        pack = await startPack(folder);
        expect(pack.output.stderr).to.equal("");
        const names = (await pack.info()).getPoliciesList().map((p) => p.getName());
        expect(names).to.deep.equal(allPolicies.map((p) => p.name));
        expect((await pack.analyze(wildcardPolicy)).map((d) => d.policy)).to.include("iam-no-wildcard-actions");
    });
});
