import { gzipSync } from "node:zlib";
import { bundleHandler } from "../components/bundling";
import { FLOOR_ENTRIES, FUNCTION_KINDS, SIDES, entryOf, type FunctionKind, type Side } from "./entries";
import type { Figure, Section } from "./figures";

/** Sizes of one bundle. */
export interface BundleSize {
    readonly bytes: number;
    /** gzip level 9: close to what the deployment zip's deflate stores. */
    readonly gzipBytes: number;
}

function sizeOf(entry: string, bundleAwsSdk: boolean): BundleSize {
    const { code } = bundleHandler(entry, { bundleAwsSdk });
    const bytes = Buffer.byteLength(code, "utf8");
    return { bytes, gzipBytes: gzipSync(code, { level: 9 }).length };
}

const NAMES: Readonly<Record<FunctionKind, string>> = { submit: "SubmitOrder", process: "ProcessOrder", get: "GetOrder" };

/** Human names of the functions, shared by every benchmark. */
export function functionName(kind: FunctionKind): string {
    return NAMES[kind];
}

/** Label of a side. */
export function sideName(side: Side): string {
    return side === "ours" ? "ours" : "peer (Powertools)";
}

/**
 * Benchmark 1: the size of each handler's bundle (the archive's `index.js`), with the AWS SDK
 * bundled and left to the runtime, for our handlers and the peer's, against two floors: the empty
 * handler, and the SDK floor (the SQS client and one SendMessage, built the same way), which is
 * what ratios are taken against. Sizes are deterministic, so one build each.
 */
export function measureBundleSizes(): Section {
    const empty = sizeOf(FLOOR_ENTRIES.empty, true);
    const figures: Figure[] = [];
    const data: Record<string, BundleSize> = { "floor/empty": empty };
    figures.push({ name: "empty handler", unit: "bytes", median: empty.bytes, runs: "1 build", detail: `gzip ${empty.gzipBytes} B`, better: "lower" });
    const sdkFloor = {} as Record<"bundled" | "external", BundleSize>;
    for (const bundleAwsSdk of [true, false]) {
        const mode = bundleAwsSdk ? "bundled" : "external";
        const size = (sdkFloor[mode] = sizeOf(FLOOR_ENTRIES.sendMessage, bundleAwsSdk));
        data[`floor/send-message/${mode}`] = size;
        figures.push({
            name: `SQS client + one SendMessage (SDK floor), SDK ${bundleAwsSdk ? "bundled" : "from runtime"}`,
            unit: "bytes",
            median: size.bytes,
            runs: "1 build",
            detail: `gzip ${size.gzipBytes} B`,
            better: "lower",
        });
    }
    for (const kind of FUNCTION_KINDS) {
        for (const bundleAwsSdk of [true, false]) {
            const mode = bundleAwsSdk ? "bundled" : "external";
            const sizes = Object.fromEntries(SIDES.map((side) => [side, sizeOf(entryOf(side, kind), bundleAwsSdk)])) as Record<Side, BundleSize>;
            for (const side of SIDES) {
                const size = sizes[side];
                data[`${side}/${kind}/${mode}`] = size;
                figures.push({
                    name: `${functionName(kind)} ${sideName(side)}, SDK ${bundleAwsSdk ? "bundled" : "from runtime"}`,
                    unit: "bytes",
                    median: size.bytes,
                    // Against the SDK floor only when both carry the SDK: without it the floor is a few lines.
                    ...(bundleAwsSdk ? { vsFloor: size.bytes / sdkFloor[mode].bytes } : {}),
                    ...(side === "ours" ? { vsPeer: size.bytes / sizes.peer.bytes } : {}),
                    runs: "1 build",
                    detail: `gzip ${size.gzipBytes} B${side === "ours" ? ` (${(size.gzipBytes / sizes.peer.gzipBytes).toFixed(2)}x peer)` : ""}`,
                    better: "lower",
                });
            }
        }
    }
    return {
        id: "bundle-size",
        title: "Bundle size",
        method:
            "esbuild output of each handler entry exactly as the component deploys it (bundleHandler: minified CJS, node24), " +
            "with the AWS SDK bundled and with @aws-sdk/* and @smithy/* left to the Lambda runtime; gzip at level 9. " +
            "Deterministic: one build each. Ratios: bytes / the SDK floor (SDK bundled rows), ours / peer.",
        figures,
        data,
    };
}
