import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { LOCAL_CREDENTIALS } from "../lambda/lambda-environment";
import { readLocalState, stateFileIn } from "../pipeline/state-file";

/** The queue pairs the tools address: the order queue and its DLQ (the default), or the email-events queue and its DLQ. */
export const QUEUE_CHOICES = ["orders", "email-events"] as const;

/** One of {@link QUEUE_CHOICES}. */
export type QueueChoice = (typeof QUEUE_CHOICES)[number];

/**
 * The start of the message each function logs for a record it failed (and SQS will redeliver): how
 * the tools find why a dead letter failed.
 */
export const FAILURE_MESSAGES: Readonly<Record<QueueChoice, string>> = { orders: "record failed", "email-events": "email event failed" };

/** Reads `--queue`; throws an error that names the allowed values. */
export function queueChoice(value: string | undefined): QueueChoice {
    if (value === undefined) return "orders";
    if (!(QUEUE_CHOICES as readonly string[]).includes(value)) throw new Error(`--queue must be one of ${QUEUE_CHOICES.join(", ")}, got ${JSON.stringify(value)}`);
    return value as QueueChoice;
}

/** Which queues a redrive works on, and how to reach them. */
export interface RedriveTarget {
    /** Where the URLs came from, for the report: "flags", "local mode", or "pulumi stack <name>". */
    readonly source: string;
    readonly queueUrl: string;
    readonly dlqUrl: string;
    readonly region: string | undefined;
    /** An explicit SQS endpoint (local mode); undefined for AWS. */
    readonly endpoint: string | undefined;
    /** Static credentials for an emulator; undefined means the SDK's default credential chain. */
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
    /** Where the queue's function logs why a record failed: local mode's log file, or its CloudWatch Logs group. */
    readonly failureLog?: { readonly file: string } | { readonly logGroup: string };
    /** The start of the message of those failure lines (see {@link FAILURE_MESSAGES}). */
    readonly failureMessage?: string;
}

/** `npm run redrive` arguments. */
export interface RedriveArgs {
    /** The queue pair, when not given by URL. Defaults to "orders". */
    readonly queue?: QueueChoice;
    readonly queueUrl?: string;
    readonly dlqUrl?: string;
    readonly region?: string;
    readonly endpoint?: string;
    readonly stack?: string;
    readonly localDir?: string;
    readonly rate: number;
    readonly max?: number;
    readonly help: boolean;
}

/** `npm run redrive -- --help`. */
export const REDRIVE_USAGE = `Usage: npm run redrive -- [options]

Moves messages from the dead-letter queue back to the order queue (send, then delete), rate-limited.
Without queue flags it uses a running local mode (npm start), else the Pulumi stack's outputs.

Options:
      --queue <q>         orders (the default: the order queue's DLQ) or email-events (the
                          email-events queue's DLQ, back to the email-events queue)
      --queue-url <url>   the order queue (with --dlq-url)
      --dlq-url <url>     the dead-letter queue (with --queue-url)
      --region <region>   AWS region (default: from the queue URL, or AWS_REGION)
      --endpoint <url>    SQS endpoint to use instead of AWS's
      --stack <name>      read queueUrl and deadLetterQueueUrl from \`pulumi stack output --json --stack <name>\`
      --local-dir <dir>   where local mode keeps its state file (default .local-data)
      --rate <n>          messages per second (default 10)
      --max <n>           move at most n messages (default: what the DLQ holds at the start)
  -h, --help              show this help
`;

/**
 * Reads a flag's value as a positive number (whole when `integer`); otherwise throws the error
 * `usageError` makes of a message that names the flag and the value.
 */
export function positiveNumber(text: string, flag: string, integer: boolean, usageError: (message: string) => Error = (message) => new Error(message)): number {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
        throw usageError(`${flag} must be a positive ${integer ? "whole " : ""}number, got ${JSON.stringify(text)}`);
    }
    return value;
}

/** The flags that say where the queues are, shared by `npm run redrive` and `npm run dlq`. */
export const QUEUE_TARGET_FLAGS = {
    queue: { type: "string" },
    "queue-url": { type: "string" },
    "dlq-url": { type: "string" },
    region: { type: "string" },
    endpoint: { type: "string" },
    stack: { type: "string" },
    "local-dir": { type: "string" },
} as const;

/** Reads `npm run redrive`'s arguments; throws an error that names the faulty flag. */
export function parseRedriveArgs(argv: readonly string[]): RedriveArgs {
    const { values } = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: false,
        options: {
            ...QUEUE_TARGET_FLAGS,
            rate: { type: "string" },
            max: { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    if ((values["queue-url"] === undefined) !== (values["dlq-url"] === undefined)) {
        throw new Error("--queue-url and --dlq-url go together: give both, or neither");
    }
    if (values.stack !== undefined && values["queue-url"] !== undefined) throw new Error("--stack and --queue-url are mutually exclusive");
    if (values.queue !== undefined && values["queue-url"] !== undefined) throw new Error("--queue and --queue-url are mutually exclusive");
    return {
        queue: queueChoice(values.queue),
        ...(values["queue-url"] !== undefined ? { queueUrl: values["queue-url"], dlqUrl: values["dlq-url"]! } : {}),
        ...(values.region !== undefined ? { region: values.region } : {}),
        ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
        ...(values.stack !== undefined ? { stack: values.stack } : {}),
        ...(values["local-dir"] !== undefined ? { localDir: values["local-dir"] } : {}),
        rate: values.rate !== undefined ? positiveNumber(values.rate, "--rate", false) : 10,
        ...(values.max !== undefined ? { max: positiveNumber(values.max, "--max", true) } : {}),
        help: values.help ?? false,
    };
}

/** The region in an AWS SQS queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
export function regionOfQueueUrl(url: string): string | undefined {
    return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(url)?.[1];
}

/** Runs `pulumi stack output --json`, or returns undefined when no Pulumi CLI is installed. */
export type StackOutputReader = (stack: string | undefined) => Record<string, unknown> | undefined;

/** Reads the stack outputs with the Pulumi CLI, if there is one on the PATH. */
export const pulumiStackOutputs: StackOutputReader = (stack) => {
    const result = spawnSync("pulumi", ["stack", "output", "--json", ...(stack ? ["--stack", stack] : [])], { encoding: "utf8", timeout: 60_000 });
    if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (result.error) throw new Error(`pulumi stack output failed: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`pulumi stack output failed: ${result.stderr.trim() || `exit code ${result.status}`}`);
    return JSON.parse(result.stdout) as Record<string, unknown>;
};

/**
 * Decides which queues to redrive: explicit URLs first, then a named Pulumi stack, then a running
 * local mode (its state file), then the current Pulumi stack. Says what to do when none applies.
 */
export function resolveRedriveTarget(args: RedriveArgs, defaultLocalDir: string, readStack: StackOutputReader = pulumiStackOutputs): RedriveTarget {
    const fromUrls = (source: string, queueUrl: string, dlqUrl: string): RedriveTarget => ({
        source,
        queueUrl,
        dlqUrl,
        region: args.region ?? regionOfQueueUrl(queueUrl) ?? process.env.AWS_REGION,
        endpoint: args.endpoint,
        credentials: undefined,
    });
    if (args.queueUrl && args.dlqUrl) return fromUrls("flags", args.queueUrl, args.dlqUrl);
    const queue = args.queue ?? "orders";
    const failureMessage = FAILURE_MESSAGES[queue];

    // The stack outputs of each queue pair, and the key of its function in `functionNames`.
    const outputNames = queue === "orders" ? { queue: "queueUrl", dlq: "deadLetterQueueUrl", fn: "process" } : { queue: "emailEventsQueueUrl", dlq: "emailEventsDeadLetterQueueUrl", fn: "emailEvents" };
    const fromStack = (outputs: Record<string, unknown>, name: string): RedriveTarget => {
        const queueUrl = outputs[outputNames.queue];
        const dlqUrl = outputs[outputNames.dlq];
        if (typeof queueUrl !== "string" || typeof dlqUrl !== "string") {
            throw new Error(`${name} has no ${outputNames.queue} and ${outputNames.dlq} outputs${queue === "email-events" ? " (is email on?)" : ""}; pass --queue-url and --dlq-url`);
        }
        const functionName = (outputs.functionNames as Record<string, unknown> | undefined)?.[outputNames.fn];
        return { ...fromUrls(name, queueUrl, dlqUrl), failureMessage, ...(typeof functionName === "string" ? { failureLog: { logGroup: `/aws/lambda/${functionName}` } } : {}) };
    };
    if (args.stack !== undefined) {
        const outputs = readStack(args.stack);
        if (!outputs) throw new Error("--stack needs the Pulumi CLI, which is not installed; pass --queue-url and --dlq-url instead");
        return fromStack(outputs, `pulumi stack ${args.stack}`);
    }

    const localDir = args.localDir ?? defaultLocalDir;
    const local = readLocalState(stateFileIn(localDir));
    if (local) {
        const pair = queue === "orders" ? { queueUrl: local.queueUrl, dlqUrl: local.dlqUrl, logFile: local.processLogFile } : local.emailEvents;
        if (!pair) throw new Error(`the local mode running (pid ${local.pid}) has no email-events queue: email is off`);
        return {
            source: `local mode (pid ${local.pid})`,
            queueUrl: pair.queueUrl,
            dlqUrl: pair.dlqUrl,
            region: local.region,
            endpoint: local.endpoints.sqs,
            credentials: LOCAL_CREDENTIALS,
            failureMessage,
            ...(pair.logFile ? { failureLog: { file: pair.logFile } } : {}),
        };
    }
    const outputs = readStack(undefined);
    if (outputs) return fromStack(outputs, "the current pulumi stack");
    throw new Error(`no local mode is running (no state file in ${localDir}) and no Pulumi CLI is installed: start \`npm start\`, or pass --queue-url and --dlq-url`);
}
