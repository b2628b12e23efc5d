import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { anchorsOf, brokenLinks, documentationFiles, linksOf } from "./markdown";

describe("documentation links", () => {
    it("should resolve every relative link and #anchor of README.md, docs/*.md and policies/README.md", () => {
        const files = documentationFiles();
        expect(files).to.include.members(["README.md", "policies/README.md", "docs/configuration.md"]);
        expect(brokenLinks(files)).to.deep.equal([]);
    });

    it("should give headings GitHub's anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered", () => {
        const headings = [
            "# order-pipeline",
            "## The component's arguments",
            "## `POST /orders/{orderId}/refund` (with workflows)",
            "## Sign-in (Amazon Cognito)",
            "### Node.js versions",
            "## Redrive: DLQ back to the order queue",
            "## Options",
            "## Options",
            "## [Linked](x.md) *heading*",
        ].join("\n\n");
        expect(anchorsOf(headings)).to.deep.equal([
            "order-pipeline",
            "the-components-arguments",
            "post-ordersorderidrefund-with-workflows",
            "sign-in-amazon-cognito",
            "nodejs-versions",
            "redrive-dlq-back-to-the-order-queue",
            "options",
            "options-1",
            "linked-heading",
        ]);
    });

    it("should take no link from code spans or code blocks, and keep table cells and list items", () => {
        const markdown = ["`[a](in-span.md)`", "```\n[b](in-block.md)\n```", "| x |\n|---|\n| [c](cell.md) |", "- [d](item.md)"].join("\n\n");
        expect(linksOf(markdown).map((l) => l.href)).to.deep.equal(["cell.md", "item.md"]);
    });

    describe("when a link is broken", () => {
        let root: string;
        before(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "docs-links-"));
            fs.mkdirSync(path.join(root, "docs"));
            fs.writeFileSync(path.join(root, "data.json"), "{}");
            fs.writeFileSync(path.join(root, "docs", "a.md"), "# A\n\n## Twice\n\n## Twice\n");
            fs.writeFileSync(
                path.join(root, "README.md"),
                [
                    "# Readme",
                    "[ok](docs/a.md) [ok](docs/a.md#twice-1) [ok](data.json) [ok](#readme) [ok](https://example.com/missing.md)",
                    "[gone](docs/missing.md) [no anchor](docs/a.md#thrice) [own anchor](#nowhere) [json anchor](data.json#x) [outside](../elsewhere.md)",
                    "`[in code](docs/missing.md)`",
                ].join("\n\n"),
            );
        });
        after(() => fs.rmSync(root, { recursive: true, force: true }));

        it("should report each broken one with its file and reason, and nothing else", () => {
            const broken = brokenLinks(documentationFiles(root), root);
            expect(broken.map((b) => `${b.file} ${b.href}`)).to.deep.equal([
                "README.md docs/missing.md",
                "README.md docs/a.md#thrice",
                "README.md #nowhere",
                "README.md data.json#x",
                "README.md ../elsewhere.md",
            ]);
            expect(broken[0].reason).to.equal("no such file: docs/missing.md");
            expect(broken[1].reason).to.equal("no heading with anchor #thrice in docs/a.md");
        });
    });
});
