import { startEmulators, type Emulators } from "../../../local/emulators/emulators";
import { createLocalClients, type LocalClients } from "../../../local/pipeline/local-clients";
import { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from "../../../local/pipeline/pipeline";

/** The pipelines of a test file: emulators shared by the file, a pipeline of its own per test. */
export interface PipelinePerTest {
    /** The file's emulators (running from the file's `before` to its `after`). */
    readonly emulators: Emulators;
    /** SDK clients on those emulators, to read what a pipeline did. */
    readonly clients: LocalClients;
    /** The number of the latest pipeline started (1, 2, ...): part of its name, sender and customers. */
    readonly run: number;
    /** Starts the next pipeline, with the file's options for it; it is stopped after the test. */
    start(options?: LocalPipelineOptions): Promise<LocalPipeline>;
}

/**
 * Registers the Mocha hooks of a file whose tests each start a pipeline of their own (own table,
 * queues and sender) on emulators started once for the file. `optionsFor` gives the options of
 * the `run`-th pipeline from those the test passed; the emulators are added to them.
 */
export function pipelinePerTest(optionsFor: (run: number, options: LocalPipelineOptions) => LocalPipelineOptions): PipelinePerTest {
    let emulators: Emulators | undefined;
    let clients: LocalClients | undefined;
    let run = 0;
    const running: LocalPipeline[] = [];

    before(async () => {
        emulators = await startEmulators();
        clients = createLocalClients(emulators.endpoints);
    });
    afterEach(async () => {
        for (const p of running.splice(0)) await p.stop();
    });
    after(async () => {
        clients?.destroy();
        await emulators?.stop();
    });

    const started = <T>(value: T | undefined): T => {
        if (value === undefined) throw new Error("the emulators start in the file's before hook");
        return value;
    };
    return {
        get emulators() {
            return started(emulators);
        },
        get clients() {
            return started(clients);
        },
        get run() {
            return run;
        },
        async start(options = {}) {
            run++;
            const p = await startLocalPipeline({ ...optionsFor(run, options), emulators: started(emulators) });
            running.push(p);
            return p;
        },
    };
}
