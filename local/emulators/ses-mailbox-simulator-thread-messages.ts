/**
 * The messages between `startSesMailboxSimulatorThread` and the simulator's worker thread, apart
 * from both so that neither imports the other for them.
 */
import type { SesEventSettings } from "./ses-event-records";

/** What the thread starts with: plain data only (it crosses to another thread). */
export interface SimulatorThreadData {
    readonly sesEndpoint: string;
    readonly events: Omit<SesEventSettings, "now" | "feedbackId">;
    /** The SNS endpoint (fauxqs), region and topic the records go to. */
    readonly sns: { readonly endpoint: string; readonly region: string; readonly topicArn: string };
}

/** The simulator's counts, as the thread reports them after each change. */
export interface SimulatorThreadCounts {
    readonly accepted: number;
    readonly published: number;
    readonly failed: number;
    readonly publishing: number;
}

/** What the thread is told. */
export type SimulatorThreadRequest = { readonly type: "idle"; readonly id: number } | { readonly type: "stop" };

/** What the thread says. */
export type SimulatorThreadReply =
    | { readonly type: "ready"; readonly endpoint: string }
    | { readonly type: "failed"; readonly message: string }
    | { readonly type: "counts"; readonly counts: SimulatorThreadCounts }
    | { readonly type: "error"; readonly message: string }
    | { readonly type: "idle"; readonly id: number }
    | { readonly type: "stopped" };
