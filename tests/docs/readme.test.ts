import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Lexer, type Tokens } from "marked";
import { documentationFiles, lineCount, linkedFiles, ROOT } from "./markdown";

/** The README is the front page: what it is, how to start, and links; the rest lives in docs/. */
const MAX_README_LINES = 200;

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

/** The lowest version a range of the form `>=X.Y[.Z]` or `^X.Y.Z` admits, as written (`22.12`). */
function lowestOf(range: string): string {
    const match = /^(?:>=\s*|\^)(\d+(?:\.\d+){0,2})$/.exec(range.trim());
    if (!match) throw new Error(`expected a range of the form ">=X.Y" or "^X.Y.Z", got ${JSON.stringify(range)}`);
    return match[1];
}

/** `22.12.0` -> `22.12`, `24.9.0` -> `24.9`: versions as the docs write them. */
function short(version: string): string {
    return version.replace(/(\.0)+$/, "");
}

describe("README.md", () => {
    it(`should be at most ${MAX_README_LINES} lines`, () => {
        expect(lineCount(readme)).to.be.at.most(MAX_README_LINES);
    });

    it("should link every docs page and the policy pack's README", () => {
        const linked = new Set(linkedFiles("README.md"));
        const pages = documentationFiles().filter((f) => f !== "README.md");
        expect(pages.length).to.be.greaterThan(5);
        expect(pages.filter((page) => !linked.has(page))).to.deep.equal([]);
    });

    it("should show the two first commands inside one code block", () => {
        const blocks = Lexer.lex(readme).filter((t): t is Tokens.Code => t.type === "code");
        const quickStart = blocks.find((b) => b.text.includes("npm ci && npm start"));
        expect(quickStart, "a code block with `npm ci && npm start`").to.not.equal(undefined);
        expect(quickStart!.text).to.include("npm ci && npm test");
    });

    describe("Node.js versions", () => {
        const pkg = readJson("package.json");
        const pulumiEngines = readJson("node_modules/@pulumi/pulumi/package.json").engines.node as string;
        const consumerMin = short(lowestOf(pkg.engines.node));
        const developerMin = short(lowestOf(pkg.devEngines.runtime.version));
        const scriptsMajor = lowestOf(pkg.devDependencies.node).split(".")[0];

        it("should state package.json's devEngines: the Node.js that may run npm ci here", () => {
            expect(pkg.devEngines.runtime.name).to.equal("node");
            expect(readme).to.include(`any Node.js from ${developerMin} on runs \`npm ci\``);
        });

        it("should state the Node.js major that npm ci installs for the scripts (the node devDependency)", () => {
            expect(readme).to.include(`installs Node.js ${scriptsMajor}`);
            expect(process.versions.node.split(".")[0], "npm test runs on the installed Node.js").to.equal(scriptsMajor);
        });

        it("should state package.json's engines as what a consumer needs, no less than @pulumi/pulumi needs", () => {
            const pulumiMin = short(lowestOf(pulumiEngines));
            expect(readme).to.include(`\`@pulumi/pulumi\` itself needs ${pulumiMin}`);
            const [major, minor = 0] = consumerMin.split(".").map(Number);
            const [pMajor, pMinor = 0] = pulumiMin.split(".").map(Number);
            expect(major > pMajor || (major === pMajor && minor >= pMinor), `${consumerMin} >= ${pulumiMin}`).to.equal(true);
            // Every page that names a Node.js floor names the same one.
            for (const file of documentationFiles()) {
                const text = fs.readFileSync(path.join(ROOT, file), "utf8");
                for (const [, version] of text.matchAll(/Node\.js (\d+(?:\.\d+)*) or later/g)) {
                    expect(version, `${file}: "Node.js ${version} or later"`).to.equal(consumerMin);
                }
            }
            expect(readme).to.include(`Node.js ${consumerMin} or later`);
        });
    });
});
