import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { DEFERRED_ARGUMENT_PATHS } from "../../contract/plain-args";
import { EXPECTED_INPUTS, EXPECTED_OUTPUTS } from "../plugin/schema-expectations";
import { pythonName } from "../plugin/schema-view";
import { ROOT } from "./markdown";

/** What docs/multi-language.md states comes from PulumiPlugin.yaml, package.json and the contract. */
const page = fs.readFileSync(path.join(ROOT, "docs/multi-language.md"), "utf8").replace(/\s+/g, " ");
const plugin = yaml.load(fs.readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8")) as { runtime: string; requiredPulumiVersion: string };
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** The backticked words of the page between two phrases. */
function codeSpansBetween(start: string, end: string): string[] {
    const from = page.indexOf(start);
    const to = page.indexOf(end, from);
    if (from < 0 || to < 0) throw new Error(`docs/multi-language.md has no "${start}" ... "${end}"`);
    return [...page.slice(from, to).matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

describe("docs/multi-language.md", () => {
    it("should state the Pulumi CLI version that PulumiPlugin.yaml requires, and the Node.js runtime", () => {
        expect(plugin.runtime).to.equal("nodejs");
        const lowest = /^>=(\d+\.\d+\.\d+)$/.exec(plugin.requiredPulumiVersion)![1];
        expect(page).to.include(`**Pulumi CLI ${lowest} or later.**`);
        expect(page).to.include(`\`requiredPulumiVersion: "${plugin.requiredPulumiVersion}"\``);
        const node = /^>=(\d+\.\d+)$/.exec(manifest.engines.node)![1];
        expect(page).to.include(`**Node.js ${node} or later**`);
    });

    it("should list exactly the arguments that may be values of other resources", () => {
        const listed = codeSpansBetween("These arguments may be outputs of other resources:", "Every other argument");
        const asPaths = listed.map((p) => p.replace(/\[\]/g, "[0]"));
        for (const p of asPaths) expect(DEFERRED_ARGUMENT_PATHS.some((allowed) => allowed.test(p)), p).to.equal(true);
        for (const allowed of DEFERRED_ARGUMENT_PATHS) expect(asPaths.some((p) => allowed.test(p)), String(allowed)).to.equal(true);
        for (const p of listed) expect(EXPECTED_INPUTS, p).to.have.property(p.replace(/\[\]$/, ""));
    });

    it("should name outputs that exist, and TypeScript-only groupings that are not outputs", () => {
        const flat = codeSpansBetween("other languages read the outputs", "The constants");
        expect(flat).to.have.length(6);
        for (const name of flat) expect(EXPECTED_OUTPUTS, name).to.have.property(name);
        for (const name of codeSpansBetween("The groupings", "are not in the schema")) expect(EXPECTED_OUTPUTS, name).not.to.have.property(name);
    });

    it("should show argument names as each language writes them", () => {
        expect(EXPECTED_INPUTS).to.have.property("processing.maxBatchingWindowSeconds");
        expect(page).to.include(`\`${pythonName("maxBatchingWindowSeconds")}\` in Python`);
    });
});
