/**
 * The arguments of `npm run token`: whose token, which kind, how long it lives, and where the
 * local user pool's key is kept.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { defaultLocalDir } from "../pipeline/state-file";
import { TOKEN_MINUTES } from "./local-user-pool";

/** `npm run token -- --help`. */
export const TOKEN_USAGE = `Usage: npm run token -- --email <address> [options]

Prints a sign-in token of the local user pool (the one \`npm start -- --auth\` trusts), to send as
\`Authorization: Bearer <token>\`. The same email always gets the same user id (sub), so it owns
the same orders. Only the token goes to standard output:

  TOKEN=$(npm run -s token -- --email ada@example.com)

Options:
      --email <address>   the user (required)
      --access            an access token (client_id, token_use access) instead of an ID token (aud, email)
      --minutes <n>       lifetime, ${TOKEN_MINUTES.min} to ${TOKEN_MINUTES.max} (default ${TOKEN_MINUTES.default}, as Cognito)
      --local-dir <dir>   local mode's folder (default .local-data, or $ORDER_PIPELINE_LOCAL_DIR)
  -h, --help              show this help
`;

/** What `npm run token` was asked for. */
export interface TokenArgs {
    readonly email: string;
    readonly kind: "id" | "access";
    readonly minutes: number;
    readonly localDir: string;
    readonly help: boolean;
}

/** Reads the arguments; throws an Error whose message says what to change. */
export function parseTokenArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): TokenArgs {
    const { values } = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: false,
        options: {
            email: { type: "string" },
            access: { type: "boolean" },
            minutes: { type: "string" },
            "local-dir": { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    const localDir = path.resolve(values["local-dir"] ?? (env.ORDER_PIPELINE_LOCAL_DIR || defaultLocalDir()));
    if (values.help) return { email: "", kind: "id", minutes: TOKEN_MINUTES.default, localDir, help: true };
    const email = values.email?.trim();
    if (!email || !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email)) throw new Error(`--email must be an email address, got ${JSON.stringify(values.email ?? null)}`);
    const minutes = values.minutes === undefined ? TOKEN_MINUTES.default : Number(values.minutes);
    if (!Number.isInteger(minutes) || minutes < TOKEN_MINUTES.min || minutes > TOKEN_MINUTES.max) {
        throw new Error(`--minutes must be a whole number from ${TOKEN_MINUTES.min} to ${TOKEN_MINUTES.max}, got ${JSON.stringify(values.minutes)}`);
    }
    return { email, kind: values.access ? "access" : "id", minutes, localDir, help: false };
}
