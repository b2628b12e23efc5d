/**
 * What `npm start` runs: the defaults, or a stack's configuration read through the stack program's
 * own mapping (`contract/stack-config.ts`), with the email flags on top. Names every key the stack
 * sets that local mode cannot honour, rather than ignoring it.
 */
import { DEFAULT_COMPONENT_NAME } from "../../contract/naming";
import { stackArgs, StackConfigError, type StackConfigKeyName } from "../../contract/stack-config";
import type { LocalArgs } from "../pipeline/local-settings";
import { readStackFile } from "./stack-file";
import { DEFAULT_LOCAL_SENDER, UsageError, type StartOptions } from "./start-options";

/**
 * The stack keys local mode runs as a deployment would. The others configure what the emulators
 * do not have (KMS, X-Ray, alarms, throttling, CORS, retention, deletion protection, an existing
 * SES identity, execution logs, a real user pool's password and MFA rules).
 */
export const LOCAL_STACK_KEYS: readonly StackConfigKeyName[] = [
    "name",
    "emailSender",
    "emailEnabled",
    "batchSize",
    "maxBatchingWindowSeconds",
    "maximumConcurrency",
    "maxReceiveCount",
    "visibilityTimeoutSeconds",
    "workflows",
    "shipmentTimeoutSeconds",
    "events",
    // Each subscriber's rule runs with its own pattern; a local queue stands in for its target.
    "eventSubscribers",
    "auth",
];

/** Stack keys local mode replaces with a stand-in, each with what stands in. */
const STOOD_IN_KEYS: Partial<Record<StackConfigKeyName, string>> = {
    authUserPoolId: "the local user pool stands in for it",
    authUserPoolClientIds: "the local user pool's app client stands in for them",
};

/** The component name and arguments to run, and what of the stack is not run. */
export interface RunArgs {
    readonly name: string;
    readonly args: LocalArgs;
    /** The stack whose settings these are, if any. */
    readonly stack: string | undefined;
    /** Keys the stack sets that local mode does not honour, each with why. */
    readonly notHonoured: readonly string[];
}

/** Applies the email flags over what the stack (or the default) asks for. */
function withEmailFlags(args: LocalArgs, email: StartOptions["email"], fallbackSender: string | undefined): LocalArgs {
    if (email?.enabled === false) return { ...args, email: { enabled: false } };
    if (email?.enabled === true) return { ...args, email: { sender: email.sender } };
    if (fallbackSender === undefined) return args;
    return { ...args, email: { sender: fallbackSender } };
}

/** Turns on the options the flags ask for, keeping a stack's own settings of an option it already turns on. */
function withOptionFlags(args: LocalArgs, flags: StartOptions["options"] | undefined): LocalArgs {
    return {
        ...args,
        ...(flags?.workflows && args.workflows === undefined ? { workflows: {} } : {}),
        ...(flags?.events && args.events === undefined ? { events: {} } : {}),
        ...(flags?.auth && args.auth === undefined ? { auth: { cognito: {} } } : {}),
    };
}

/** Works out what to run from the command line; a stack file's problems are a {@link UsageError}. */
export function runArgs(options: StartOptions, projectDir: string): RunArgs {
    if (options.stack === undefined) {
        return { name: DEFAULT_COMPONENT_NAME, args: withOptionFlags(withEmailFlags({}, options.email, DEFAULT_LOCAL_SENDER), options.options), stack: undefined, notHonoured: [] };
    }
    const file = readStackFile(options.stack, projectDir);
    let stack;
    try {
        stack = stackArgs(file.source, options.stack);
    } catch (err) {
        if (err instanceof StackConfigError) throw new UsageError(`--stack ${options.stack}: ${err.message}`);
        throw err;
    }
    const notHonoured = [
        ...file.keys.filter((key) => !LOCAL_STACK_KEYS.includes(key)).map((key) => `${key} (${STOOD_IN_KEYS[key] ?? "not emulated locally"})`),
        ...file.secretKeys.map((key) => `${key} (a secret: only the Pulumi CLI can decrypt it)`),
        ...file.unknownKeys.map((key) => `${key} (not a key of this stack program)`),
    ];
    return { name: stack.name, args: withOptionFlags(withEmailFlags(stack.args, options.email, undefined), options.options), stack: options.stack, notHonoured };
}
