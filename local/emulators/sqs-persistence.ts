import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/** The in-memory stores a fauxqs app serves from (`buildApp({ stores })`). */
export interface FauxqsStores {
    readonly sqsStore: unknown;
    readonly snsStore: unknown;
    readonly s3Store: unknown;
}

/** fauxqs stores that write through to its SQLite file, and how to close that file. */
export interface PersistentFauxqsStores {
    readonly stores: FauxqsStores;
    /** Flushes and closes the database; call after the app has closed. */
    close(): void;
}

/** The folder of the installed fauxqs package (its `exports` map hides the internals we need). */
function fauxqsDist(): string {
    for (const dir of require.resolve.paths("fauxqs") ?? []) {
        const dist = path.join(dir, "fauxqs", "dist");
        if (fs.existsSync(path.join(dist, "persistence.js"))) return dist;
    }
    throw new Error("cannot keep SQS data on disk: fauxqs's persistence module (fauxqs/dist/persistence.js) was not found; is fauxqs 2.x installed?");
}

async function importDist<T>(dist: string, file: string): Promise<T> {
    return (await import(pathToFileURL(path.join(dist, file)).href)) as T;
}

/**
 * fauxqs's own SQLite persistence (the one `startFauxqs({ dataDir })` uses) wired into stores for
 * `buildApp`, so that a server listening on 127.0.0.1 only can keep queues and messages, with their
 * receive counts and in-flight state, between runs. `startFauxqs` itself would bind every
 * interface, which local mode never does.
 */
export async function persistentFauxqsStores(dataDir: string): Promise<PersistentFauxqsStores> {
    const dist = fauxqsDist();
    type Ctor = new (...args: unknown[]) => Record<string, any>;
    const { SqsStore } = await importDist<{ SqsStore: Ctor }>(dist, "sqs/sqsStore.js");
    const { SnsStore } = await importDist<{ SnsStore: Ctor }>(dist, "sns/snsStore.js");
    const { S3Store } = await importDist<{ S3Store: Ctor }>(dist, "s3/s3Store.js");
    const { PersistenceManager } = await importDist<{ PersistenceManager: Ctor }>(dist, "persistence.js");

    const sqsStore = new SqsStore();
    const snsStore = new SnsStore();
    const s3Store = new S3Store();
    const persistence = new PersistenceManager(dataDir);
    // As startFauxqs does: load first, then attach persistence, so loading does not write back.
    persistence.load(sqsStore, snsStore, s3Store);
    sqsStore.persistence = persistence;
    snsStore.persistence = persistence;
    s3Store.persistence = persistence;
    for (const queue of sqsStore.allQueues()) queue.persistence = persistence;
    return { stores: { sqsStore, snsStore, s3Store }, close: () => persistence.close() };
}
