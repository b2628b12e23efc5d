/**
 * `npm run dlq -- list | show <messageId> | purge | redrive`: inspects, empties or redrives the
 * dead-letter queue of a running local mode or a deployed stack: the order queue's, or with
 * `--queue email-events` the email-events queue's. Bad arguments exit with 2.
 */
import { createInterface } from "node:readline/promises";
import { SQSClient } from "@aws-sdk/client-sqs";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { defaultLocalDir } from "../pipeline/state-file";
import { DLQ_USAGE, DlqUsageError, parseDlqArgs, type DlqArgs } from "./dlq-args";
import type { DlqEntry } from "./dlq-messages";
import { countDlq, listDlq, purgeDlq, redriveDlq, showDlqMessage, type DlqContext } from "./dlq-operations";
import { resolveRedriveTarget } from "./redrive-target";

/** One `list` line: every field, `-` where unknown. */
function entryLine(e: DlqEntry): string {
    return [e.messageId, e.orderId ?? "-", e.receiveCount ?? "-", e.firstReceivedAt ?? "-", e.lastReceivedAt ?? "-", e.lastFailureReason ?? "-"].join("  ");
}

async function confirm(question: string): Promise<boolean> {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
        return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
        rl.close();
    }
}

async function run(args: Exclude<DlqArgs, { command: "help" }>): Promise<number> {
    const target = resolveRedriveTarget(args, defaultLocalDir());
    const client = {
        ...(target.region ? { region: target.region } : {}),
        ...(target.credentials ? { credentials: target.credentials } : {}),
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    };
    const sqs = new SQSClient({ ...client, ...(target.endpoint ? { endpoint: target.endpoint } : {}) });
    const logs = target.failureLog && "logGroup" in target.failureLog ? new CloudWatchLogsClient(client) : undefined;
    const context: DlqContext = { sqs, target, ...(logs ? { logs } : {}) };
    const out = (text: string) => process.stdout.write(`${text}\n`);
    try {
        switch (args.command) {
            case "list": {
                const entries = await listDlq(context);
                if (args.json) for (const e of entries) out(JSON.stringify(e));
                else {
                    out(`${entries.length} message(s) in ${target.dlqUrl} (${target.source})`);
                    if (entries.length > 0) out(["messageId", "orderId", "receives", "firstReceive", "lastReceive", "lastFailure"].join("  "));
                    for (const e of entries) out(entryLine(e));
                }
                return 0;
            }
            case "show": {
                const shown = await showDlqMessage(context, args.messageId);
                if (!shown) {
                    process.stderr.write(`no message ${args.messageId} in ${target.dlqUrl}\n`);
                    return 1;
                }
                out(JSON.stringify({ ...shown.entry, body: shown.message.Body, attributes: shown.message.Attributes, messageAttributes: shown.message.MessageAttributes, failures: shown.failures?.lines ?? [] }, null, 2));
                return 0;
            }
            case "purge": {
                const count = await countDlq(context);
                if (!args.yes) {
                    if (!process.stdin.isTTY) {
                        process.stderr.write("purge asks before it deletes; without a terminal to ask on, pass --yes\n");
                        return 2;
                    }
                    if (!(await confirm(`Delete all ${count} message(s) in ${target.dlqUrl}? Its queue ${target.queueUrl} is not touched. [y/N] `))) {
                        out("Nothing deleted.");
                        return 0;
                    }
                }
                await purgeDlq(context);
                out(`Purged ${target.dlqUrl} (${count} message(s)); its queue ${target.queueUrl} was not touched.`);
                return 0;
            }
            case "redrive": {
                out(`Redriving ${target.dlqUrl}\n      -> ${target.queueUrl}\n   (${target.source}, at most ${args.rate}/s${args.max !== undefined ? `, at most ${args.max}` : ""}${args.orderId ? `, order ${args.orderId} only` : ""})`);
                const outcome = await redriveDlq(context, {
                    rate: args.rate,
                    ...(args.max !== undefined ? { max: args.max } : {}),
                    ...(args.orderId !== undefined ? { orderId: args.orderId } : {}),
                    onProgress: (p) => out(`  moved ${p.moved}, failed ${p.failed}`),
                });
                if (outcome.kind === "move-task") {
                    out(`Started SQS message move task ${outcome.taskHandle}; follow it with \`aws sqs list-message-move-tasks --source-arn <dlq arn>\`.`);
                    return 0;
                }
                const { result } = outcome;
                out(`Moved ${result.moved}; failed (left in the DLQ) ${result.failed}; sent but not deleted from the DLQ ${result.movedNotDeleted}.`);
                for (const error of result.errors) process.stderr.write(`  ${error}\n`);
                return result.failed === 0 && result.movedNotDeleted === 0 ? 0 : 1;
            }
            default:
                return 2;
        }
    } finally {
        sqs.destroy();
        logs?.destroy();
    }
}

/** Runs the tool on command-line arguments; resolves to the exit code. */
export async function dlqMain(argv: readonly string[]): Promise<number> {
    let args: DlqArgs;
    try {
        args = parseDlqArgs(argv);
    } catch (err) {
        if (!(err instanceof DlqUsageError)) throw err;
        process.stderr.write(`${err.message}\n\n${DLQ_USAGE}`);
        return 2;
    }
    if (args.command === "help") {
        process.stdout.write(DLQ_USAGE);
        return 0;
    }
    return run(args);
}

if (require.main === module) {
    dlqMain(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`dlq failed: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exitCode = 1;
        },
    );
}
