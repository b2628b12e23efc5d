import { createRequire } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { packageRoot } from "../components/bundling";

/**
 * Evaluates a CommonJS bundle (as esbuild writes it for Lambda) in this process and returns its
 * exports. Its bare imports resolve from the package root, as from a function's deployment folder.
 */
export function loadBundle(code: string, name: string): unknown {
    // Never written: the name only places the module for its require() and stack traces.
    const filename = path.join(packageRoot(), ".bench-bundles", name, "index.js");
    const wrapper = vm.compileFunction(code, ["exports", "require", "module", "__filename", "__dirname"], { filename });
    const module = { exports: {} as Record<string, unknown> };
    wrapper(module.exports, createRequire(filename), module, filename, path.dirname(filename));
    return module.exports;
}
