import { BASE_FUNCTION_KINDS, HANDLER_ENTRIES, type BaseFunctionKind } from "../contract/functions";

/** The three functions every pipeline has, which the benchmarks compare with the peer's. */
export type FunctionKind = BaseFunctionKind;

/** Whose code: the pipeline's handlers, or the peer built with Powertools for AWS Lambda. */
export type Side = "ours" | "peer";

/** The peer's entries, relative to the package root, in the same shape as HANDLER_ENTRIES. */
export const PEER_ENTRIES: Readonly<Record<FunctionKind, string>> = {
    submit: "bench/peer/submit-order.ts",
    process: "bench/peer/process-order.ts",
    get: "bench/peer/get-order.ts",
};

/** Floors: an empty handler, and the least a SubmitOrder must do (load the SQS client, send once). */
export const FLOOR_ENTRIES = {
    empty: "bench/floor/empty-handler.ts",
    sendMessage: "bench/floor/send-message.ts",
} as const;

/** The entry of one side's function. */
export function entryOf(side: Side, kind: FunctionKind): string {
    return side === "ours" ? HANDLER_ENTRIES[kind] : PEER_ENTRIES[kind];
}

/** Every function kind, in pipeline order. */
export const FUNCTION_KINDS: readonly FunctionKind[] = BASE_FUNCTION_KINDS;

/** Both sides, ours first. */
export const SIDES: readonly Side[] = ["ours", "peer"];
