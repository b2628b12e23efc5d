/**
 * `npm run redrive`: moves dead-letter messages back to the order queue, against a running local
 * mode or a deployed stack, and reports the counts.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { redrive } from "./redrive";
import { parseRedriveArgs, REDRIVE_USAGE, resolveRedriveTarget, type RedriveArgs } from "./redrive-target";
import { defaultLocalDir } from "../pipeline/state-file";

async function main(argv: readonly string[]): Promise<number> {
    let args: RedriveArgs;
    try {
        args = parseRedriveArgs(argv);
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n\n${REDRIVE_USAGE}`);
        return 2;
    }
    if (args.help) {
        process.stdout.write(REDRIVE_USAGE);
        return 0;
    }
    const target = resolveRedriveTarget(args, defaultLocalDir());
    const sqs = new SQSClient({
        ...(target.region ? { region: target.region } : {}),
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        ...(target.credentials ? { credentials: target.credentials } : {}),
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    });
    process.stdout.write(`Redriving ${target.dlqUrl}\n      -> ${target.queueUrl}\n   (${target.source}, at most ${args.rate}/s${args.max !== undefined ? `, at most ${args.max}` : ""})\n`);
    try {
        const result = await redrive({
            sqs,
            fromQueueUrl: target.dlqUrl,
            toQueueUrl: target.queueUrl,
            ratePerSecond: args.rate,
            ...(args.max !== undefined ? { max: args.max } : {}),
            onProgress: (p) => process.stdout.write(`  moved ${p.moved}, failed ${p.failed}\n`),
        });
        process.stdout.write(`Moved ${result.moved}; failed (left in the DLQ) ${result.failed}; sent but not deleted from the DLQ ${result.movedNotDeleted}.\n`);
        for (const error of result.errors) process.stderr.write(`  ${error}\n`);
        return result.failed === 0 && result.movedNotDeleted === 0 ? 0 : 1;
    } finally {
        sqs.destroy();
    }
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (err: unknown) => {
        process.stderr.write(`Redrive failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
    },
);
