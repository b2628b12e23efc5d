/**
 * `npm run token -- --email ada@example.com`: prints a sign-in token of the local user pool to
 * standard output, and what it is to standard error.
 */
import { localSubOf, openLocalUserPool, signInToken } from "./local-user-pool";
import { parseTokenArgs, TOKEN_USAGE, type TokenArgs } from "./token-args";

function main(argv: readonly string[]): number {
    let args: TokenArgs;
    try {
        args = parseTokenArgs(argv);
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n\n${TOKEN_USAGE}`);
        return 2;
    }
    if (args.help) {
        process.stdout.write(TOKEN_USAGE);
        return 0;
    }
    const pool = openLocalUserPool(args.localDir);
    const token = signInToken(pool, { email: args.email, kind: args.kind, minutes: args.minutes });
    process.stdout.write(`${token}\n`);
    process.stderr.write(
        `${args.kind === "id" ? "ID" : "Access"} token of ${args.email} (sub ${localSubOf(args.email)}), valid ${args.minutes} min, ` +
            `issuer ${pool.issuer}. Send it as: Authorization: Bearer <token>\n`,
    );
    return 0;
}

process.exitCode = main(process.argv.slice(2));
