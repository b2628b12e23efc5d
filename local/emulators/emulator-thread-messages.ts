/**
 * The messages between `startEmulators({ thread: true })` and the emulators' worker thread, apart
 * from both so that neither imports the other for them.
 */

/** What the thread is told. */
export type EmulatorThreadRequest =
    | { readonly type: "count-emails"; readonly id: number; readonly sender: string; readonly sinceEpochSeconds: number }
    | { readonly type: "stop" };

/** What the thread says. */
export type EmulatorThreadReply =
    | { readonly type: "ready"; readonly endpoints: Record<string, string> }
    | { readonly type: "failed"; readonly message: string }
    | { readonly type: "emails"; readonly id: number; readonly count: number }
    | { readonly type: "stopped" };
