import * as fs from "node:fs";
import * as path from "node:path";

/** The folders whose sources `npm run build` compiles into `dist/`, and the files that set how. */
const BUILT_SOURCES = ["components", "contract", "handlers"];
const BUILD_SETTINGS = ["package.json", "tsconfig.json", "tsconfig.build.json"];

function newestSourceMtime(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (entry.isFile() && entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
    return newest;
}

/**
 * True when `dist/` was built after every source and build setting last changed, as it is right
 * after `npm ci` (which builds through `prepare`): packing may then skip building again.
 */
export function distIsFresh(root: string): boolean {
    const builtAt = fs.statSync(path.join(root, "dist", "components", "index.js"), { throwIfNoEntry: false })?.mtimeMs;
    if (builtAt === undefined) return false;
    const changedAt = Math.max(...BUILD_SETTINGS.map((f) => fs.statSync(path.join(root, f)).mtimeMs), ...BUILT_SOURCES.map((dir) => newestSourceMtime(path.join(root, dir))));
    return changedAt < builtAt;
}
