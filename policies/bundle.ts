/**
 * Builds the pack into one CommonJS file for `pulumi policy publish`, which uploads what
 * `npm pack` puts in this folder's tarball: the bundle carries the rules and the shared pipeline
 * contract (`../contract/`, outside this folder), and leaves `@pulumi/policy` and
 * `@pulumi/pulumi` to the dependencies the Pulumi Cloud installs with the pack.
 *
 * `npm pack` runs it (the `prepack` script) and removes the bundle afterwards (`postpack`), so that
 * local runs keep loading `index.ts`.
 */
import { buildSync } from "esbuild";
import { join } from "node:path";

/** Writes the bundled pack entry to `outfile`. */
export function bundlePolicyPack(outfile: string): void {
    buildSync({
        entryPoints: [join(__dirname, "index.ts")],
        outfile,
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node22",
        packages: "external",
        legalComments: "none",
        logLevel: "warning",
    });
}

if (require.main === module) bundlePolicyPack(join(__dirname, "index.js"));
