/**
 * The pull-request workflow and the pack's project file: valid YAML, real action inputs, no
 * committed secret.
 */
import { expect } from "chai";
import * as yaml from "js-yaml";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The inputs of pulumi/actions v6 (its action.yml): a key outside this list would be ignored by
 * the action, silently.
 */
const PULUMI_ACTION_INPUTS = [
    "command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr", "comment-on-pr-number",
    "comment-on-summary", "github-token", "cloud-url", "secrets-provider", "parallel", "message", "config-map",
    "expect-no-changes", "diff", "replace", "target", "target-dependents", "policyPacks", "policyPackConfigs", "refresh",
    "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan", "suppress-outputs", "suppress-progress",
    "always-include-summary",
];

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}

const text = fs.readFileSync(path.join(ROOT, ".github/workflows/pull-request.yml"), "utf8");
const workflow = yaml.load(text) as { on: Record<string, unknown>; jobs: Record<string, { steps: Step[]; needs?: string; permissions?: Record<string, string> }> };

describe("pull-request workflow", () => {
    it("should run on pull requests: install, npm test, then the policy preview once the tests pass", () => {
        expect(workflow.on).to.have.property("pull_request");
        const runs = workflow.jobs.test.steps.map((s) => s.run).filter(Boolean);
        expect(runs).to.deep.equal(["npm ci", "npm test"]);
        expect(workflow.jobs["policy-preview"].needs).to.equal("test");
    });

    it("should set up Node 24 in every job", () => {
        for (const [name, job] of Object.entries(workflow.jobs)) {
            const setup = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
            expect(setup?.with?.["node-version"], name).to.equal(24);
        }
    });

    it("should preview the dev stack with the policy pack through pulumi/actions, using only its real inputs", () => {
        const step = workflow.jobs["policy-preview"].steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
        expect(step.uses).to.equal("pulumi/actions@v6");
        for (const input of Object.keys(step.with ?? {})) expect(PULUMI_ACTION_INPUTS, input).to.include(input);
        expect(step.with).to.include({ command: "preview", "comment-on-pr": true });
        expect(step.with?.["stack-name"]).to.contain("'dev'");
        const pack = String(step.with?.policyPacks).replace("${{ github.workspace }}", ROOT);
        expect(fs.existsSync(path.join(pack, "PulumiPolicy.yaml")), pack).to.equal(true);
    });

    it("should take credentials from secrets and OIDC, never from the file", () => {
        const job = workflow.jobs["policy-preview"];
        expect(job.permissions).to.include({ "id-token": "write" });
        const aws = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
        expect(aws.with?.["role-to-assume"]).to.match(/^\$\{\{ (vars|secrets)\.\w+ \}\}$/);
        const pulumi = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
        expect(pulumi.env).to.deep.equal({ PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" });
        expect(text).not.to.match(/AKIA[0-9A-Z]{16}|pul-[0-9a-f]{40}/);
    });
});

describe("PulumiPolicy.yaml", () => {
    it("should declare the Node.js runtime", () => {
        const project = yaml.load(fs.readFileSync(path.join(ROOT, "policies/PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
        expect(project.runtime).to.equal("nodejs");
        expect(project.description).to.be.a("string");
    });
});
