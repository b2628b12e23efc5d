import * as fs from "node:fs";
import * as path from "node:path";

/** Where `npm run typecheck` writes what it compiles (the whole project, tests included). */
export const TYPECHECK_OUT_DIR = ".typecheck";

/** The folders whose sources end up in the package's `dist/`. */
const PACKAGED_SOURCES = ["components", "contract", "handlers"];

function newestMtime(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (entry.isFile() && entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
    return newest;
}

/** What an emitted file loads: its relative `require`s, and what its declaration file imports. */
function requiredFiles(file: string): string[] {
    const found: string[] = [];
    const text = `${fs.readFileSync(file, "utf8")}\n${fs.readFileSync(file.replace(/\.js$/, ".d.ts"), "utf8")}`;
    for (const match of text.matchAll(/(?:require\(|import\(|from )"(\.{1,2}\/[^"]+)"/g)) {
        const base = path.resolve(path.dirname(file), match[1]);
        const candidate = [`${base}.js`, path.join(base, "index.js"), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
        if (candidate) found.push(candidate);
    }
    return found;
}

/**
 * Fills `dist/` from the output of the type check that `npm test` runs just before the tests, so
 * that packing needs no second compilation of the same sources. It copies what `npm run build`
 * would emit: every file under `components/` and, followed through their `require`s and their
 * declaration files' imports, the files they load, each with its declaration file. False (nothing copied) when that output is missing
 * or older than any source or compiler setting; the caller then packs with the real build.
 */
export function distFromTypecheck(root: string): boolean {
    const out = path.join(root, TYPECHECK_OUT_DIR);
    const entryDir = path.join(out, "components");
    if (!fs.existsSync(entryDir)) return false;
    const builtAt = fs.statSync(path.join(entryDir, "index.js"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const settings = ["package.json", "tsconfig.json", "tsconfig.build.json"].map((f) => fs.statSync(path.join(root, f)).mtimeMs);
    if (Math.max(...settings, ...PACKAGED_SOURCES.map((dir) => newestMtime(path.join(root, dir)))) >= builtAt) return false;

    const pending = fs
        .readdirSync(entryDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith(".js"))
        .map((e) => path.join(e.parentPath, e.name));
    const reached = new Set<string>();
    while (pending.length > 0) {
        const file = pending.pop()!;
        if (reached.has(file)) continue;
        reached.add(file);
        pending.push(...requiredFiles(file));
    }
    const dist = path.join(root, "dist");
    fs.rmSync(dist, { recursive: true, force: true });
    for (const file of reached) {
        const relative = path.relative(out, file);
        if (relative.startsWith("..") || relative.includes(".test.")) return false;
        for (const [from, to] of [
            [file, path.join(dist, relative)],
            [file.replace(/\.js$/, ".d.ts"), path.join(dist, relative.replace(/\.js$/, ".d.ts"))],
        ]) {
            fs.mkdirSync(path.dirname(to), { recursive: true });
            fs.copyFileSync(from, to);
        }
    }
    return true;
}
