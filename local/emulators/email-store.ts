import * as fs from "node:fs";
import * as path from "node:path";

/** The SES emulator's in-process store; one per process, shared by every emulator instance. */
interface SesStore {
    emails: StoredEmail[];
}

function store(): SesStore {
    // The store module has no public entry point; it is the same module instance the server uses.
    const module = require("aws-ses-v2-local/dist/store") as { getStoreReadonly(): SesStore };
    return module.getStoreReadonly();
}

/** Whether an email's `From` is this address, bare or as `Name <address>`. */
function isFrom(email: StoredEmail, sender: string): boolean {
    const from = email.from.trim().toLowerCase();
    const address = sender.trim().toLowerCase();
    return from === address || from.endsWith(`<${address}>`);
}

/**
 * Counts the emails the SES emulator of this process accepted from `sender` at or after
 * `sinceEpochSeconds` (the store records whole seconds). Reads the store in memory: cheap enough
 * for a status line refreshed every second, unlike fetching `/store`.
 */
export function countEmailsFrom(sender: string, sinceEpochSeconds = 0): number {
    let count = 0;
    for (const email of store().emails) if (email.at >= sinceEpochSeconds && isFrom(email, sender)) count++;
    return count;
}

/** Writes every email the SES emulator holds to a JSON file (its store lives in memory only). */
export function saveEmails(file: string): number {
    const emails = store().emails;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify({ emails }));
    fs.renameSync(temporary, file);
    return emails.length;
}

/**
 * Puts the emails saved by {@link saveEmails} back into the SES emulator's store, so that they show
 * in its viewer again. A missing file restores nothing; a damaged one is an error that names it.
 */
export function restoreEmails(file: string): number {
    if (!fs.existsSync(file)) return 0;
    let saved: { emails?: unknown };
    try {
        saved = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new Error(`cannot read the saved emails in ${file}: ${(err as Error).message}`, { cause: err });
    }
    if (!Array.isArray(saved.emails)) throw new Error(`${file} holds no "emails" list`);
    const held = store().emails;
    const known = new Set(held.map((e) => e.messageId));
    const restored = (saved.emails as StoredEmail[]).filter((e) => !known.has(e.messageId));
    held.unshift(...restored);
    return restored.length;
}

/** One email as the SES emulator stored it. */
export interface StoredEmail {
    readonly messageId: string;
    readonly from: string;
    readonly destination: { readonly to: string[]; readonly cc: string[]; readonly bcc: string[] };
    readonly subject: string;
    readonly body: { readonly text?: string; readonly html?: string };
    readonly at: number;
}

/** Reads every email the SES emulator has accepted, through its `/store` endpoint. */
export async function sentEmails(sesEndpoint: string): Promise<StoredEmail[]> {
    const response = await fetch(`${sesEndpoint}/store`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`SES emulator /store answered ${response.status}`);
    return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

/** Forgets every email the SES emulator holds (its store is shared by the whole process). */
export async function clearEmails(sesEndpoint: string): Promise<void> {
    const response = await fetch(`${sesEndpoint}/clear-store`, { method: "POST", signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`SES emulator /clear-store answered ${response.status}`);
}
