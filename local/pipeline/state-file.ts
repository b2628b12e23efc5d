import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../../components/bundling";
import type { EmulatorEndpoints } from "../emulators/emulators";

/** Where a running local mode can be found: written at start, removed at stop. */
export interface LocalState {
    /** Process id of the local mode. */
    readonly pid: number;
    readonly apiUrl: string;
    readonly emailViewerUrl: string;
    readonly region: string;
    readonly endpoints: EmulatorEndpoints;
    readonly tableName: string;
    readonly queueUrl: string;
    readonly dlqUrl: string;
    /** ProcessOrder's log file, where the DLQ tool reads why a message failed. */
    readonly processLogFile?: string;
    /** With email on: the email-events queue, its DLQ, and the email-events function's log file. */
    readonly emailEvents?: { readonly queueUrl: string; readonly dlqUrl: string; readonly logFile?: string };
    /** ISO time of the start. */
    readonly startedAt: string;
}

/** The default folder of local mode's files (state, logs, kept data): `.local-data/` in the package. */
export function defaultLocalDir(): string {
    return path.join(packageRoot(), ".local-data");
}

/** The state file inside a local folder. */
export function stateFileIn(localDir: string): string {
    return path.join(localDir, "local-state.json");
}

/** Writes the state file atomically (write, then rename), readable by the owner only. */
export function writeLocalState(file: string, state: LocalState): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
}

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        // EPERM: the process exists but belongs to someone else.
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/**
 * Reads the state file of a running local mode. Returns undefined when there is none, or when the
 * process that wrote it is gone (a local mode that was killed cannot remove its file).
 */
export function readLocalState(file: string): LocalState | undefined {
    if (!fs.existsSync(file)) return undefined;
    let state: LocalState;
    try {
        state = JSON.parse(fs.readFileSync(file, "utf8")) as LocalState;
    } catch (err) {
        throw new Error(`cannot read the local mode state file ${file}: ${(err as Error).message}`, { cause: err });
    }
    if (!Number.isInteger(state.pid) || typeof state.queueUrl !== "string" || typeof state.dlqUrl !== "string" || typeof state.endpoints?.sqs !== "string") {
        throw new Error(`the local mode state file ${file} is incomplete`);
    }
    return isRunning(state.pid) ? state : undefined;
}

/** Removes the state file if this process wrote it. */
export function removeLocalState(file: string, pid: number = process.pid): void {
    try {
        const state = JSON.parse(fs.readFileSync(file, "utf8")) as LocalState;
        if (state.pid === pid) fs.rmSync(file, { force: true });
    } catch {
        // Already gone or unreadable: nothing of ours to remove.
    }
}
