import * as path from "node:path";
import { parseArgs } from "node:util";
import { defaultLocalDir } from "../pipeline/state-file";
import { DEFAULT_PACKING_MS, WAREHOUSE_MODES, type WarehouseMode } from "../warehouse/warehouse";

/** The sender of local mode's confirmation emails when neither a flag nor a stack names one. */
export const DEFAULT_LOCAL_SENDER = "orders@example.com";

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
    /** Run this stack's configuration (`Pulumi.<stack>.yaml`) instead of the defaults. */
    readonly stack: string | undefined;
    /** What the email flags ask for; undefined leaves it to the stack, or to {@link DEFAULT_LOCAL_SENDER}. */
    readonly email: { readonly enabled: false } | { readonly enabled: true; readonly sender: string } | undefined;
    /** Echo function log lines to the terminal (they always go to `<localDir>/logs/`). */
    readonly printLogs: boolean;
    /** Show the live status line. */
    readonly status: boolean;
    /** The options the flags turn on (`--workflows`, `--events`, `--auth`), on top of what a stack turns on. */
    readonly options: { readonly workflows: boolean; readonly events: boolean; readonly auth: boolean };
    /** How the local warehouse answers shipment requests (with workflows). */
    readonly warehouse: WarehouseMode;
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
      --stack <name>      run the settings of Pulumi.<name>.yaml (batch size, concurrency, email, ...)
  -p, --port <n>          API port (default ${DEFAULT_PORT}, or $PORT; 0 picks a free port)
      --keep-data         keep orders, queued messages and emails on disk between runs
      --local-dir <dir>   folder for logs, state and kept data (default .local-data, or $ORDER_PIPELINE_LOCAL_DIR)
      --no-email          do not send confirmation emails (EMAIL_ENABLED=false)
      --email-sender <a>  sender of confirmation emails (default: the stack's, or ${DEFAULT_LOCAL_SENDER})
      --workflows         run the shipping and refund workflows (Step Functions), POST /orders/{orderId}/refund
                          and a local warehouse answering shipment requests
      --warehouse <mode>  the warehouse's answer: ship (after ${DEFAULT_PACKING_MS / 1000} s, the default), fail, or ignore (the
                          shipping execution then waits for its timeout)
      --events            publish order events on a local EventBridge bus, delivered to a local subscriber queue
      --auth              require sign-in on every route (get a token with npm run token -- --email <address>)
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
                stack: { type: "string" },
                port: { type: "string", short: "p" },
                "keep-data": { type: "boolean" },
                "local-dir": { type: "string" },
                "no-email": { type: "boolean" },
                "email-sender": { type: "string" },
                "print-logs": { type: "boolean" },
                quiet: { type: "boolean" },
                workflows: { type: "boolean" },
                warehouse: { type: "string" },
                events: { type: "boolean" },
                auth: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const port =
        values.port !== undefined ? parsePort(values.port, "--port") : env.PORT !== undefined && env.PORT !== "" ? parsePort(env.PORT, "PORT") : DEFAULT_PORT;
    const sender = values["email-sender"];
    if (sender !== undefined && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(sender)) {
        throw new UsageError(`--email-sender must be an email address, got ${JSON.stringify(sender)}`);
    }
    if (values["no-email"] && sender !== undefined) throw new UsageError("--no-email and --email-sender are mutually exclusive");
    const stack = values.stack;
    if (stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new UsageError(`--stack must be a stack name (letters, digits, "-", "_", "."), got ${JSON.stringify(stack)}`);
    }
    const warehouse = values.warehouse ?? "ship";
    if (!(WAREHOUSE_MODES as readonly string[]).includes(warehouse)) throw new UsageError(`--warehouse must be one of ${WAREHOUSE_MODES.join(", ")}, got ${JSON.stringify(warehouse)}`);
    return {
        port,
        localDir: path.resolve(values["local-dir"] ?? (env.ORDER_PIPELINE_LOCAL_DIR || defaultLocalDir())),
        keepData: values["keep-data"] ?? false,
        stack,
        email: values["no-email"] ? { enabled: false } : sender !== undefined ? { enabled: true, sender } : undefined,
        printLogs: values["print-logs"] ?? false,
        status: !values.quiet,
        options: { workflows: values.workflows ?? false, events: values.events ?? false, auth: values.auth ?? false },
        warehouse: warehouse as WarehouseMode,
        help: values.help ?? false,
    };
}
