import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inferenceInputsHash } from "./cached-schema";

describe("the cached schema's key (tests/plugin/cached-schema.ts)", () => {
    let root: string;

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "order-pipeline-schema-key-"));
        const write = (file: string, text: string) => {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            fs.writeFileSync(path.join(root, file), text);
        };
        write("tsconfig.json", JSON.stringify({ include: ["index.ts", "components/**/*.ts"] }));
        write("package.json", "{}");
        write("package-lock.json", "{}");
        write("index.ts", "export * from './components';");
        write("components/index.ts", "export const a = 1;");
    });

    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("should change with any source, a JSON file the sources may import, a new file or the lock file, and with nothing else", () => {
        const first = inferenceInputsHash(root);
        expect(inferenceInputsHash(root)).to.equal(first);
        const changes: Array<[string, string]> = [
            ["components/index.ts", "export const a = 2;"],
            ["components/deep/types.ts", "export type T = string;"],
            ["components/defaults.json", "{}"],
            ["index.ts", "export * from './components'; // entry"],
            ["package-lock.json", '{"lockfileVersion":3}'],
            ["node_modules/.package-lock.json", "{}"],
        ];
        let previous = first;
        for (const [file, text] of changes) {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            fs.writeFileSync(path.join(root, file), text);
            const next = inferenceInputsHash(root);
            expect(next, file).to.not.equal(previous);
            previous = next;
        }
        // Outside what tsconfig.json includes, in a nested node_modules or a temporary dot folder: the same key.
        for (const file of ["README.md", "docs/page.ts", "components/node_modules/x/index.ts", "components/.tmp-project/index.ts", "components/notes.txt"]) {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            fs.writeFileSync(path.join(root, file), "x");
            expect(inferenceInputsHash(root), file).to.equal(previous);
        }
    });
});
