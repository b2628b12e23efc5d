import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { BUNDLE_AWS_SDK } from "../contract/defaults";
import { BundleCache } from "./bundle-cache";

/** Options for {@link bundleHandler}. */
export interface BundleOptions {
    /**
     * Bundle the AWS SDK v3 into the handler instead of relying on the copy in the Lambda runtime.
     * Defaults to BUNDLE_AWS_SDK (false): the runtime's SDK loads at least as fast and keeps the
     * archive several times smaller (see the README's performance section).
     */
    readonly bundleAwsSdk?: boolean;
    /** Minify the output. Defaults to true. */
    readonly minify?: boolean;
    /**
     * Reuse the result of an earlier call with the same entry and options in this process, or in
     * another one through the folder that ORDER_PIPELINE_BUNDLE_CACHE_DIR names, if set. Defaults to true.
     */
    readonly cache?: boolean;
}

/** A bundled handler: one CommonJS file, ready to be zipped as `index.js`. */
export interface BundledHandler {
    /** The bundle's source text. */
    readonly code: string;
    /** SHA-256 of the code, hex: equal code gives an equal hash, so an unchanged handler shows no diff. */
    readonly sha256: string;
}

/** The package root: the nearest folder above this file whose package.json is order-pipeline's. */
export function packageRoot(): string {
    let dir = __dirname;
    for (;;) {
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "order-pipeline") {
            return dir;
        }
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`order-pipeline: cannot find the package root above ${__dirname}`);
        dir = parent;
    }
}

const cache = new Map<string, BundledHandler>();

/**
 * Bundles one handler entry (a path relative to the package root, e.g. `handlers/submit-order.ts`)
 * with esbuild, synchronously so that a component constructor can use it. The output is
 * deterministic: paths are relative to the package root and nothing time- or machine-dependent is
 * written, so the same sources always give the same bytes. Results are cached per process (and on
 * disk when ORDER_PIPELINE_BUNDLE_CACHE_DIR is set, see ./bundle-cache.ts) unless `cache` is false.
 */
export function bundleHandler(entry: string, options: BundleOptions = {}): BundledHandler {
    const bundleAwsSdk = options.bundleAwsSdk ?? BUNDLE_AWS_SDK;
    const minify = options.minify ?? true;
    const key = `${entry}|${bundleAwsSdk}|${minify}`;
    const cached = options.cache === false ? undefined : cache.get(key);
    if (cached) return cached;

    const root = packageRoot();
    const disk = options.cache === false ? undefined : BundleCache.fromEnvironment(root);
    const diskKey = { entry, bundleAwsSdk, minify, esbuild: esbuild.version };
    const stored = disk?.get(diskKey);
    if (stored !== undefined) return remember(key, stored);

    let result: esbuild.BuildResult<{ write: false; metafile: true }>;
    try {
        result = esbuild.buildSync({
            absWorkingDir: root,
            entryPoints: [entry],
            bundle: true,
            platform: "node",
            target: "node24",
            format: "cjs",
            minify,
            sourcemap: false,
            legalComments: "none",
            charset: "utf8",
            write: false,
            metafile: true,
            // The compiler settings that shape the output, given here instead of read from
            // whichever tsconfig.json lies above the package (an installed copy has none), so the
            // bytes do not depend on where the package sits.
            tsconfigRaw: { compilerOptions: { alwaysStrict: true, useDefineForClassFields: true } },
            // The runtime ships the AWS SDK v3 under @aws-sdk/* and @smithy/*.
            external: bundleAwsSdk ? [] : ["@aws-sdk/*", "@smithy/*"],
            logLevel: "silent",
        });
    } catch (error) {
        // buildSync throws on the first failed build: say which handler failed, from which root.
        const detail = (error as { errors?: esbuild.Message[] }).errors?.map((e) => e.text).join("; ") ?? String(error);
        throw new Error(`order-pipeline: bundling ${entry} (in ${root}) failed: ${detail}`);
    }
    const code = result.outputFiles[0].text;
    disk?.set(diskKey, Object.keys(result.metafile.inputs), code);
    return remember(key, code);
}

function remember(key: string, code: string): BundledHandler {
    const bundled = { code, sha256: createHash("sha256").update(code).digest("hex") };
    cache.set(key, bundled);
    return bundled;
}
