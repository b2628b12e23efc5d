/**
 * The Node.js options for a worker thread that loads this package's TypeScript sources: this
 * process's own, with tsx's loader added when the process was not started with it.
 */
export function threadExecArgv(): string[] {
    const argv = process.execArgv;
    return argv.some((arg) => arg.includes("tsx")) ? argv : [...argv, "--import", "tsx"];
}
