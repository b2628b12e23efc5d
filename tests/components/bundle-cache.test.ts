import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BundleCache } from "../../components/bundle-cache";

describe("BundleCache (handler bundles shared between processes)", () => {
    let root: string;
    let dir: string;
    const key = { entry: "handlers/a.ts", bundleAwsSdk: false, minify: true };
    const INPUTS = ["handlers/a.ts", "handlers/b.ts"];

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-cache-root-"));
        dir = path.join(root, "node_modules", ".cache", "bundles");
        fs.mkdirSync(path.join(root, "handlers"), { recursive: true });
        fs.writeFileSync(path.join(root, "package.json"), '{"name":"x"}');
        fs.writeFileSync(path.join(root, "handlers/a.ts"), 'import "./b";');
        fs.writeFileSync(path.join(root, "handlers/b.ts"), "export const b = 1;");
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("should give back the code kept for the same key, and nothing for another key or an empty cache", () => {
        const cache = new BundleCache(dir, root);
        expect(cache.get(key)).to.equal(undefined);
        cache.set(key, INPUTS, "code-1");
        expect(new BundleCache(dir, root).get(key)).to.equal("code-1");
        expect(cache.get({ ...key, minify: false })).to.equal(undefined);
    });

    it("should miss once an input's content changes, a file appears beside an input, or the installed packages change", () => {
        const cache = new BundleCache(dir, root);
        cache.set(key, INPUTS, "code-1");
        fs.writeFileSync(path.join(root, "handlers/b.ts"), "export const b = 2;");
        expect(cache.get(key), "changed input").to.equal(undefined);

        cache.set(key, INPUTS, "code-2");
        expect(cache.get(key)).to.equal("code-2");
        // handlers/b/index.ts would not shadow b.ts, but a new name next to an input may change what an import resolves to.
        fs.writeFileSync(path.join(root, "handlers/b.js"), "");
        expect(cache.get(key), "new file in an input's folder").to.equal(undefined);

        cache.set(key, INPUTS, "code-3");
        fs.writeFileSync(path.join(root, "package-lock.json"), "{}");
        expect(cache.get(key), "new lock file").to.equal(undefined);

        cache.set(key, INPUTS, "code-4");
        fs.rmSync(path.join(root, "handlers/a.ts"));
        expect(cache.get(key), "removed input").to.equal(undefined);
    });

    it("should treat a damaged cache file as a miss", () => {
        const cache = new BundleCache(dir, root);
        cache.set(key, INPUTS, "code-1");
        const [file] = fs.readdirSync(dir);
        fs.writeFileSync(path.join(dir, file), '{"format":1,"inputs":{"handlers/a.ts"');
        expect(cache.get(key)).to.equal(undefined);
        fs.writeFileSync(path.join(dir, file), JSON.stringify({ format: 1, inputs: {}, folders: {}, code: "x" }));
        expect(cache.get(key), "no inputs recorded").to.equal(undefined);
    });

    it("should leave one whole cache file when processes write the same key at once", () => {
        // Four processes, each writing the key 50 times, with code of its own, as fast as they can.
        const writer = `const { BundleCache } = require(${JSON.stringify(path.resolve(__dirname, "../../components/bundle-cache"))});
const cache = new BundleCache(process.argv[2], process.argv[3]);
for (let i = 0; i < 50; i++) cache.set(${JSON.stringify(key)}, ${JSON.stringify(INPUTS)}, "code-from-" + process.argv[4] + "-" + "x".repeat(100000));`;
        const script = path.join(root, "writer.cjs");
        fs.writeFileSync(script, writer);
        const run = (n: number) =>
            new Promise<void>((resolve, reject) => {
                const child = spawn(process.execPath, ["--import", "tsx", script, dir, root, String(n)], { stdio: "ignore" });
                child.on("exit", (code: number) => (code === 0 ? resolve() : reject(new Error(`writer ${n} exited ${code}`))));
            });
        return Promise.all(Array.from({ length: 4 }, (_, n) => run(n))).then(() => {
            expect(fs.readdirSync(dir)).to.have.length(1);
            expect(new BundleCache(dir, root).get(key)).to.match(/^code-from-\d-x{100000}$/);
        });
    });
});
