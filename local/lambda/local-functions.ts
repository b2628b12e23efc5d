import { bundleHandler } from "../../components/bundling";
import { HANDLER_ENTRIES, type FunctionKind } from "../../contract/functions";
import type { EmulatorEndpoints } from "../emulators/emulators";
import type { LogListener } from "./function-logs";
import { lambdaEnvironment, LOCAL_REGION } from "./lambda-environment";
import { LocalFunction, type LocalFunctionOptions } from "./lambda-sandbox";

/** Settings of {@link createLocalFunction}: what the component gives the deployed function. */
export interface LocalFunctionSettings {
    /** Prefix of the function names (`<prefix>-submit`, ...). */
    readonly prefix: string;
    /** The function's own variables, from `functionEnvironment` as the component builds them. */
    readonly variables: Readonly<Record<string, string>>;
    /** Where the function's SDK clients send their requests. */
    readonly endpoints: EmulatorEndpoints;
    readonly timeoutSeconds: number;
    readonly memoryMb: number;
    /** Bundle the AWS SDK into the handler (local mode has no runtime copy to leave it to). */
    readonly bundleAwsSdk: boolean;
    readonly onLog?: LogListener;
}

/**
 * What a sandbox for one of the pipeline's functions is made of: the esbuild bundle that would be
 * deployed (not the TypeScript sources), with the environment the component gives it and its SDK
 * clients pointed at the emulators. Plain data (but the log listener), so that another thread
 * can build the same sandbox.
 */
export function localFunctionOptions(kind: FunctionKind, settings: LocalFunctionSettings): LocalFunctionOptions {
    const functionName = `${settings.prefix}-${kind}`;
    return {
        functionName,
        timeoutSeconds: settings.timeoutSeconds,
        memoryMb: settings.memoryMb,
        region: LOCAL_REGION,
        code: bundleHandler(HANDLER_ENTRIES[kind], { bundleAwsSdk: settings.bundleAwsSdk }).code,
        env: lambdaEnvironment({
            functionName,
            memoryMb: settings.memoryMb,
            endpoints: settings.endpoints,
            variables: settings.variables,
        }),
        ...(settings.onLog ? { onLog: settings.onLog } : {}),
    };
}

/**
 * One of the pipeline's functions in this thread (see {@link localFunctionOptions}). The module is
 * loaded at once, so that a configuration error shows at start rather than at the first request.
 */
export function createLocalFunction(kind: FunctionKind, settings: LocalFunctionSettings): LocalFunction {
    const fn = new LocalFunction(localFunctionOptions(kind, settings));
    fn.init();
    return fn;
}
