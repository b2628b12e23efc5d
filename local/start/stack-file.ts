/**
 * Reads a stack's configuration file, `Pulumi.<stack>.yaml`, as `pulumi config` would give it to
 * the stack program: the `order-pipeline:` keys as text. Secrets cannot be decrypted here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_NAMESPACE, STACK_CONFIG_KEYS, type ConfigSource, type StackConfigKeyName } from "../../contract/stack-config";
import { UsageError } from "./start-options";

/** A stack file's values, and what in it cannot be used. */
export interface StackFile {
    readonly path: string;
    /** The values, as the stack program reads them. */
    readonly source: ConfigSource;
    /** The keys the file sets (known ones only). */
    readonly keys: readonly StackConfigKeyName[];
    /** Keys of this project's namespace that the stack program does not read. */
    readonly unknownKeys: readonly string[];
    /** Keys holding encrypted values, which only the Pulumi CLI can decrypt. */
    readonly secretKeys: readonly StackConfigKeyName[];
}

function isKnownKey(key: string): key is StackConfigKeyName {
    return Object.hasOwn(STACK_CONFIG_KEYS, key);
}

/**
 * Reads `Pulumi.<stack>.yaml` in `dir`. Values are turned into text as `pulumi config` stores them
 * (numbers and booleans as their text, lists and objects as JSON). Throws a {@link UsageError} when
 * the file is missing or is not a Pulumi stack file.
 */
export function readStackFile(stack: string, dir: string): StackFile {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    // Only --stack reads YAML: a run of the defaults does not load the parser.
    const { load } = require("js-yaml") as typeof import("js-yaml");
    let parsed: unknown;
    try {
        parsed = load(fs.readFileSync(file, "utf8"));
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UsageError(code === "ENOENT" ? `--stack ${stack}: there is no ${path.basename(file)} in ${dir}` : `--stack ${stack}: ${path.basename(file)} is not valid YAML: ${(err as Error).message}`);
    }
    const config = (parsed as { config?: unknown } | null)?.config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) throw new UsageError(`--stack ${stack}: "config" in ${path.basename(file)} must be a map of keys`);

    const values = new Map<StackConfigKeyName, string>();
    const unknownKeys: string[] = [];
    const secretKeys: StackConfigKeyName[] = [];
    for (const [fullKey, value] of Object.entries(config)) {
        const [namespace, key] = fullKey.includes(":") ? fullKey.split(/:(.*)/s, 2) : [CONFIG_NAMESPACE, fullKey];
        if (namespace !== CONFIG_NAMESPACE || key === undefined) continue;
        if (!isKnownKey(key)) {
            unknownKeys.push(key);
        } else if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
            secretKeys.push(key);
        } else if (value !== null && value !== undefined) {
            values.set(key, typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value));
        }
    }
    return { path: file, source: (key) => values.get(key), keys: [...values.keys()], unknownKeys, secretKeys };
}
