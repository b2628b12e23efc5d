/**
 * Pulumi's schema inference (ComponentProvider.getSchema) builds a TypeScript program of the whole
 * project, @pulumi/aws's declarations included: about 15 s of CPU for a result that depends only on
 * the sources and the installed packages. When the test run keeps caches (it sets
 * ORDER_PIPELINE_BUNDLE_CACHE_DIR, tests/support/bundle-cache-dir.ts), the inferred schema is kept
 * there, found by the SHA-256 of every source the program is built from (each .ts and .json file
 * under the folders tsconfig.json includes) and of tsconfig.json, package.json and both lock files.
 * A change to any of them, or to the installed packages (Pulumi's analyzer, TypeScript), infers
 * again; so does a cache that cannot be read.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { BUNDLE_CACHE_DIR_ENV } from "../../components/bundle-cache";

/** Bumped whenever what a cache file holds changes. */
const FORMAT = 1;

/** What getSchema leaves in the provider besides the schema: construct reads the components' outputs from it. */
interface InferredState {
    cachedSchema?: string;
    componentDefinitions?: Record<string, unknown>;
}

/** Every .ts and .json file under `dir`, skipping node_modules and dot folders (temporary projects of other tests). */
function sourcesUnder(dir: string, found: string[]): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== "node_modules" && !entry.name.startsWith(".")) sourcesUnder(file, found);
        } else if (/\.(ts|json)$/.test(entry.name)) found.push(file);
    }
}

/** The SHA-256 of everything the inference reads from this project, with the installed packages' lock files. */
export function inferenceInputsHash(root: string): string {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")) as { include: string[] };
    const files = ["tsconfig.json", "package.json", "package-lock.json", path.join("node_modules", ".package-lock.json")].map((f) => path.join(root, f));
    for (const pattern of tsconfig.include) {
        const top = pattern.split("/")[0];
        const full = path.join(root, top);
        if (pattern === top) files.push(full);
        else if (fs.existsSync(full)) sourcesUnder(full, files);
    }
    const hash = createHash("sha256").update(String(FORMAT));
    for (const file of files.sort()) {
        let content: Buffer | string;
        try {
            content = fs.readFileSync(file);
        } catch {
            // Missing (no lock file), or gone since the folder was listed.
            content = "missing";
        }
        hash.update(path.relative(root, file)).update("\0").update(content).update("\0");
    }
    return hash.digest("hex");
}

/**
 * A ComponentProvider whose first getSchema takes the inferred schema from the test run's cache
 * when the sources are unchanged, and otherwise infers it and keeps it there.
 */
export class CachedSchemaProvider extends ComponentProvider {
    private readonly cacheFile: string | undefined;

    constructor(options: ConstructorParameters<typeof ComponentProvider>[0]) {
        super(options);
        const dir = process.env[BUNDLE_CACHE_DIR_ENV];
        this.cacheFile = dir ? path.join(path.resolve(dir), `schema-${inferenceInputsHash(path.resolve(options.dirname!))}.json`) : undefined;
    }

    async getSchema(): Promise<string> {
        const state = this as unknown as InferredState;
        if (state.cachedSchema === undefined && this.cacheFile) {
            try {
                const cached = JSON.parse(fs.readFileSync(this.cacheFile, "utf8")) as InferredState & { format: number };
                if (cached.format === FORMAT && typeof cached.cachedSchema === "string" && cached.componentDefinitions) {
                    state.cachedSchema = cached.cachedSchema;
                    state.componentDefinitions = cached.componentDefinitions;
                }
            } catch {
                // No cached schema for these sources: infer it.
            }
        }
        if (state.cachedSchema !== undefined) return state.cachedSchema;
        const schema = await super.getSchema();
        if (this.cacheFile) {
            const temporary = `${this.cacheFile}.${process.pid}.tmp`;
            try {
                fs.mkdirSync(path.dirname(this.cacheFile), { recursive: true });
                fs.writeFileSync(temporary, JSON.stringify({ format: FORMAT, cachedSchema: schema, componentDefinitions: state.componentDefinitions }));
                fs.renameSync(temporary, this.cacheFile);
            } catch {
                // A cache that cannot be written only costs the next run an inference of its own.
                fs.rmSync(temporary, { force: true });
            }
        }
        return schema;
    }
}
