import * as path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_LOCAL_SENDER } from "../pipeline/pipeline";
import { defaultLocalDir } from "../pipeline/state-file";

/** The API port `npm start` uses unless told otherwise. */
export const DEFAULT_PORT = 3000;

/** What `npm start` was asked to do. */
export interface StartOptions {
    /** API port on 127.0.0.1 (0: any free port). */
    readonly port: number;
    /** Folder of the state file, the function logs and, with keepData, the data. */
    readonly localDir: string;
    /** Keep tables, queues and emails in `<localDir>/data` between runs. */
    readonly keepData: boolean;
    readonly email: { readonly enabled: boolean; readonly sender: string };
    /** Echo function log lines to the terminal (they always go to `<localDir>/logs/`). */
    readonly printLogs: boolean;
    /** Show the live status line. */
    readonly status: boolean;
    readonly help: boolean;
}

/** A command-line mistake; the message says what to change. */
export class UsageError extends Error {
    override readonly name = "UsageError";
}

/** `npm start -- --help`. */
export const START_USAGE = `Usage: npm start -- [options]

Runs the whole order pipeline on 127.0.0.1: DynamoDB, SQS and SES emulators, the HTTP API and the
queue worker, with the same bundled handler code that is deployed.

Options:
  -p, --port <n>          API port (default ${DEFAULT_PORT}, or $PORT; 0 picks a free port)
      --keep-data         keep orders, queued messages and emails on disk between runs
      --local-dir <dir>   folder for logs, state and kept data (default .local-data, or $ORDER_PIPELINE_LOCAL_DIR)
      --no-email          do not send confirmation emails (EMAIL_ENABLED=false)
      --email-sender <a>  sender of confirmation emails (default ${DEFAULT_LOCAL_SENDER})
      --print-logs        also print the functions' log lines here
      --quiet             no live status line
  -h, --help              show this help
`;

function parsePort(text: string, from: string): number {
    const port = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(`${from} must be a port number from 0 to 65535, got ${JSON.stringify(text)}`);
    }
    return port;
}

/** Reads `npm start`'s arguments and environment (PORT, ORDER_PIPELINE_LOCAL_DIR); flags win over variables. */
export function parseStartOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): StartOptions {
    let values;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            strict: true,
            allowPositionals: false,
            options: {
                port: { type: "string", short: "p" },
                "keep-data": { type: "boolean" },
                "local-dir": { type: "string" },
                "no-email": { type: "boolean" },
                "email-sender": { type: "string" },
                "print-logs": { type: "boolean" },
                quiet: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const port =
        values.port !== undefined ? parsePort(values.port, "--port") : env.PORT !== undefined && env.PORT !== "" ? parsePort(env.PORT, "PORT") : DEFAULT_PORT;
    const sender = values["email-sender"] ?? DEFAULT_LOCAL_SENDER;
    if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(sender)) throw new UsageError(`--email-sender must be an email address, got ${JSON.stringify(sender)}`);
    if (values["no-email"] && values["email-sender"] !== undefined) throw new UsageError("--no-email and --email-sender are mutually exclusive");
    return {
        port,
        localDir: path.resolve(values["local-dir"] ?? (env.ORDER_PIPELINE_LOCAL_DIR || defaultLocalDir())),
        keepData: values["keep-data"] ?? false,
        email: { enabled: !values["no-email"], sender },
        printLogs: values["print-logs"] ?? false,
        status: !values.quiet,
        help: values.help ?? false,
    };
}
