import { parseArgs } from "node:util";
import { positiveNumber as positiveNumberOf, QUEUE_TARGET_FLAGS, queueChoice, type QueueChoice, type RedriveArgs } from "./redrive-target";

/** A command line `npm run dlq` cannot run: it says what is wrong, and the tool exits with 2. */
export class DlqUsageError extends Error {
    override readonly name = "DlqUsageError";
}

/** `npm run dlq` arguments: a command and its options, and where the queues are (as `npm run redrive` takes them). */
export type DlqArgs =
    | { readonly command: "help" }
    | ({ readonly command: "list"; readonly json: boolean } & RedriveArgs)
    | ({ readonly command: "show"; readonly messageId: string } & RedriveArgs)
    | ({ readonly command: "purge"; readonly yes: boolean } & RedriveArgs)
    | ({ readonly command: "redrive"; readonly orderId?: string } & RedriveArgs);

/** `npm run dlq -- --help`. */
export const DLQ_USAGE = `Usage: npm run dlq -- <command> [options]

Commands:
  list                     every message in the dead-letter queue: order id, receive count,
                           first and last failed receive, last failure reason
  show <messageId>         one message: body, attributes and every failure ProcessOrder logged
  purge [--yes]            delete every message in the dead-letter queue (asks first; never
                           touches the order queue)
  redrive [--order <id>] [--max <n>] [--rate <r>]
                           move messages back to the order queue, rate-limited (on AWS, without
                           --order or --max, with SQS's StartMessageMoveTask)

Where the queues are (as npm run redrive): without these, a running local mode (npm start), else
the current Pulumi stack's outputs.
      --queue <q>         orders (the default: the order queue's DLQ) or email-events (the
                          email-events queue's DLQ; redrive sends back to the email-events queue)
      --queue-url <url>   the order queue (with --dlq-url)
      --dlq-url <url>     the dead-letter queue (with --queue-url)
      --region <region>   AWS region (default: from the queue URL, or AWS_REGION)
      --endpoint <url>    SQS endpoint to use instead of AWS's
      --stack <name>      read the queues from \`pulumi stack output --json --stack <name>\`
      --local-dir <dir>   where local mode keeps its state file (default .local-data)
      --json              list: one JSON object per line
  -y, --yes               purge: do not ask
  -h, --help              show this help
`;

function positiveNumber(text: string, flag: string, integer: boolean): number {
    return positiveNumberOf(text, flag, integer, (message) => new DlqUsageError(message));
}

const COMMANDS = ["list", "show", "purge", "redrive"] as const;

/** Reads `npm run dlq`'s arguments; throws a {@link DlqUsageError} naming what is wrong. */
export function parseDlqArgs(argv: readonly string[]): DlqArgs {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            strict: true,
            allowPositionals: true,
            options: {
                ...QUEUE_TARGET_FLAGS,
                order: { type: "string" },
                rate: { type: "string" },
                max: { type: "string" },
                json: { type: "boolean" },
                yes: { type: "boolean", short: "y" },
                help: { type: "boolean", short: "h" },
            },
        });
    } catch (err) {
        throw new DlqUsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) return { command: "help" };
    const [command, ...rest] = positionals;
    if (command === undefined) throw new DlqUsageError(`a command is required: ${COMMANDS.join(", ")}`);
    if (!(COMMANDS as readonly string[]).includes(command)) throw new DlqUsageError(`unknown command ${JSON.stringify(command)}: use ${COMMANDS.join(", ")}`);
    const expectedPositionals = command === "show" ? 1 : 0;
    if (command === "show" && rest.length === 0) throw new DlqUsageError("show needs the message id: npm run dlq -- show <messageId>");
    if (rest.length > expectedPositionals) throw new DlqUsageError(`unexpected argument ${JSON.stringify(rest[expectedPositionals])} for ${command}`);
    const onlyFor = (flag: string, set: boolean, commands: readonly string[]) => {
        if (set && !commands.includes(command)) throw new DlqUsageError(`--${flag} applies to ${commands.join(" and ")} only, not to ${command}`);
    };
    onlyFor("order", values.order !== undefined, ["redrive"]);
    onlyFor("rate", values.rate !== undefined, ["redrive"]);
    onlyFor("max", values.max !== undefined, ["redrive"]);
    onlyFor("yes", values.yes !== undefined, ["purge"]);
    onlyFor("json", values.json !== undefined, ["list"]);
    if ((values["queue-url"] === undefined) !== (values["dlq-url"] === undefined)) {
        throw new DlqUsageError("--queue-url and --dlq-url go together: give both, or neither");
    }
    if (values.stack !== undefined && values["queue-url"] !== undefined) throw new DlqUsageError("--stack and --queue-url are mutually exclusive");
    if (values.queue !== undefined && values["queue-url"] !== undefined) throw new DlqUsageError("--queue and --queue-url are mutually exclusive");
    let queue: QueueChoice;
    try {
        queue = queueChoice(values.queue);
    } catch (err) {
        throw new DlqUsageError((err as Error).message);
    }
    if (values.order !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.order)) {
        throw new DlqUsageError(`--order must be an order id (a UUID), got ${JSON.stringify(values.order)}`);
    }
    const target: RedriveArgs = {
        queue,
        ...(values["queue-url"] !== undefined ? { queueUrl: values["queue-url"], dlqUrl: values["dlq-url"]! } : {}),
        ...(values.region !== undefined ? { region: values.region } : {}),
        ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
        ...(values.stack !== undefined ? { stack: values.stack } : {}),
        ...(values["local-dir"] !== undefined ? { localDir: values["local-dir"] } : {}),
        rate: values.rate !== undefined ? positiveNumber(values.rate, "--rate", false) : 10,
        ...(values.max !== undefined ? { max: positiveNumber(values.max, "--max", true) } : {}),
        help: false,
    };
    switch (command) {
        case "list":
            return { command, json: values.json ?? false, ...target };
        case "show":
            return { command, messageId: rest[0], ...target };
        case "purge":
            return { command, yes: values.yes ?? false, ...target };
        default:
            return { command: "redrive", ...(values.order !== undefined ? { orderId: values.order } : {}), ...target };
    }
}
