import { bundleHandler } from "../../components/bundling";
import { ENV, GET_TIMEOUT_SECONDS, HANDLER_ENTRIES, MEMORY_MB, PROCESS_TIMEOUT_SECONDS, SUBMIT_TIMEOUT_SECONDS } from "../../components/defaults";
import type { EmulatorEndpoints } from "../emulators/emulators";
import type { LogListener } from "./function-logs";
import { lambdaEnvironment, LOCAL_REGION } from "./lambda-environment";
import { LocalFunction } from "./lambda-sandbox";
import type { LocalResources } from "../pipeline/resources";

/** The pipeline's three functions. */
export type FunctionKind = keyof typeof HANDLER_ENTRIES;

/** Every function kind, in the order requests flow. */
export const FUNCTION_KINDS: readonly FunctionKind[] = ["submit", "process", "get"];

/** Each function's default timeout in seconds, from the one source of defaults. */
export const DEFAULT_TIMEOUTS: Readonly<Record<FunctionKind, number>> = {
    submit: SUBMIT_TIMEOUT_SECONDS,
    process: PROCESS_TIMEOUT_SECONDS,
    get: GET_TIMEOUT_SECONDS,
};

/** Email settings of a local pipeline. */
export interface LocalEmailSettings {
    readonly enabled: boolean;
    readonly sender: string;
}

/** Settings of {@link createLocalFunction}. */
export interface LocalFunctionSettings {
    /** Prefix of the function names (`<prefix>-submit`, ...). */
    readonly prefix: string;
    readonly resources: LocalResources;
    /** Where the function's SDK clients send their requests. */
    readonly endpoints: EmulatorEndpoints;
    readonly email: LocalEmailSettings;
    /** Timeout in seconds. Defaults to the function's default timeout. */
    readonly timeoutSeconds?: number;
    /** Bundle the AWS SDK into the handler, as the component does by default. Defaults to true. */
    readonly bundleAwsSdk?: boolean;
    readonly onLog?: LogListener;
}

/**
 * The variables the component sets on each function, from the same names (`ENV`): SubmitOrder
 * knows the queue, ProcessOrder the table and the email settings, GetOrder the table.
 */
export function functionVariables(kind: FunctionKind, resources: LocalResources, email: LocalEmailSettings): Record<string, string> {
    switch (kind) {
        case "submit":
            return { [ENV.queueUrl]: resources.queueUrl };
        case "process":
            return {
                [ENV.tableName]: resources.tableName,
                [ENV.emailEnabled]: String(email.enabled),
                ...(email.enabled ? { [ENV.emailSender]: email.sender } : {}),
            };
        case "get":
            return { [ENV.tableName]: resources.tableName };
    }
}

/**
 * One of the pipeline's functions, loaded from the esbuild bundle that would be deployed (not
 * from the TypeScript sources), with the environment the component gives it and its SDK clients
 * pointed at the emulators. The module is loaded at once, so that a configuration error shows at
 * start rather than at the first request.
 */
export function createLocalFunction(kind: FunctionKind, settings: LocalFunctionSettings): LocalFunction {
    const functionName = `${settings.prefix}-${kind}`;
    const fn = new LocalFunction({
        functionName,
        timeoutSeconds: settings.timeoutSeconds ?? DEFAULT_TIMEOUTS[kind],
        memoryMb: MEMORY_MB,
        region: LOCAL_REGION,
        code: bundleHandler(HANDLER_ENTRIES[kind], { bundleAwsSdk: settings.bundleAwsSdk ?? true }).code,
        env: lambdaEnvironment({
            functionName,
            memoryMb: MEMORY_MB,
            endpoints: settings.endpoints,
            variables: functionVariables(kind, settings.resources, settings.email),
        }),
        ...(settings.onLog ? { onLog: settings.onLog } : {}),
    });
    fn.init();
    return fn;
}
