import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The environment variable that names a folder where handler bundles are kept between processes
 * (unset: no such cache, every process bundles for itself). The test run sets it, so that its
 * worker processes and the programs they start (`npm start`, the bench's children) bundle each
 * handler once between them.
 */
export const BUNDLE_CACHE_DIR_ENV = "ORDER_PIPELINE_BUNDLE_CACHE_DIR";

/** Bumped whenever what a cache file holds, or how it is checked, changes. */
const FORMAT = 1;

/** One cached bundle, with what it was built from. */
interface CacheFile {
    readonly format: number;
    /** Every file esbuild read (relative to the package root), with the SHA-256 of its content. */
    readonly inputs: Readonly<Record<string, string>>;
    /** Every folder holding an input, with the SHA-256 of its list of names: a new file there could change what an import resolves to. */
    readonly folders: Readonly<Record<string, string>>;
    readonly code: string;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** Content hash of a file, or undefined when it cannot be read. */
function fileHash(file: string): string | undefined {
    try {
        return sha256(fs.readFileSync(file));
    } catch {
        return undefined;
    }
}

/** Hash of a folder's list of names, or undefined when it cannot be read. */
function folderHash(folder: string): string | undefined {
    try {
        return sha256(fs.readdirSync(folder).sort().join("\n"));
    } catch {
        return undefined;
    }
}

/**
 * Handler bundles kept on disk, found by the entry, the bundling options and the installed
 * packages (package.json and both lock files), and used only while every file the bundle was built
 * from, and the list of names in every folder that held one, are unchanged. Writers in parallel are
 * safe: each writes a file of its own and renames it into place, so a reader sees a whole file or
 * none; a file that does not parse or does not match is a miss.
 */
export class BundleCache {
    constructor(
        private readonly dir: string,
        private readonly root: string,
    ) {}

    /** The cache named by {@link BUNDLE_CACHE_DIR_ENV}, or undefined when it is not set. */
    static fromEnvironment(root: string): BundleCache | undefined {
        const dir = process.env[BUNDLE_CACHE_DIR_ENV];
        return dir ? new BundleCache(path.resolve(dir), root) : undefined;
    }

    private fileOf(key: object): string {
        const installed = ["package.json", "package-lock.json", path.join("node_modules", ".package-lock.json")].map((f) => fileHash(path.join(this.root, f)) ?? "-");
        return path.join(this.dir, `${sha256(JSON.stringify({ FORMAT, key, installed }))}.json`);
    }

    /** The cached code for `key`, if every input it was built from is unchanged. */
    get(key: object): string | undefined {
        let cached: CacheFile;
        try {
            cached = JSON.parse(fs.readFileSync(this.fileOf(key), "utf8"));
        } catch {
            return undefined;
        }
        if (cached.format !== FORMAT || typeof cached.code !== "string" || Object.keys(cached.inputs ?? {}).length === 0) return undefined;
        for (const [file, hash] of Object.entries(cached.inputs)) if (fileHash(path.join(this.root, file)) !== hash) return undefined;
        for (const [folder, hash] of Object.entries(cached.folders ?? {})) if (folderHash(path.join(this.root, folder)) !== hash) return undefined;
        return cached.code;
    }

    /** Keeps `code`, built for `key` from `inputs` (paths relative to the package root, as esbuild's metafile gives them). */
    set(key: object, inputs: readonly string[], code: string): void {
        const entry: CacheFile = {
            format: FORMAT,
            inputs: Object.fromEntries(inputs.map((file) => [file, fileHash(path.join(this.root, file)) ?? "missing"])),
            folders: Object.fromEntries([...new Set(inputs.map((file) => path.dirname(file)))].map((folder) => [folder, folderHash(path.join(this.root, folder)) ?? "missing"])),
            code,
        };
        const target = this.fileOf(key);
        const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        try {
            fs.mkdirSync(this.dir, { recursive: true });
            fs.writeFileSync(temporary, JSON.stringify(entry));
            fs.renameSync(temporary, target);
        } catch {
            // A cache that cannot be written only costs the next process a build of its own.
            fs.rmSync(temporary, { force: true });
        }
    }
}
