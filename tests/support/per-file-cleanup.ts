/**
 * Clean-ups that run after each test file. Mocha's parallel mode loads a shared module once per
 * worker process but runs many files there, so a module-level `after` would fire after the first
 * file only; the root hook below (loaded by `.mocharc.cjs`) runs after every file instead.
 */
const cleanups: Array<() => Promise<void> | void> = [];

/** Registers a clean-up to run after the current test file (and after every later one). */
export function afterEachFile(cleanup: () => Promise<void> | void): void {
    cleanups.push(cleanup);
}

/** Mocha root hooks: in parallel mode they run once per test file. */
export const mochaHooks = {
    async afterAll(): Promise<void> {
        for (const cleanup of cleanups) await cleanup();
    },
};
