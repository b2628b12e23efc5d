import type { Context } from "aws-lambda";
import { randomUUID } from "node:crypto";
import { LOCAL_ACCOUNT_ID } from "./lambda-environment";

/** What a local invocation knows about the function it runs. */
export interface LocalFunctionInfo {
    /** The function's name, e.g. `orders-process`. */
    readonly functionName: string;
    /** The function timeout in seconds: the invocation's deadline. */
    readonly timeoutSeconds: number;
    /** Memory in MB, reported as Lambda reports it (a string). */
    readonly memoryMb: number;
    /** Region in the function ARN. */
    readonly region: string;
}

/**
 * A Lambda context object for one invocation, as the Node.js runtime passes it: the request id,
 * the function's identity, and `getRemainingTimeInMillis()` counting down to the function
 * timeout from now.
 */
export function createLambdaContext(fn: LocalFunctionInfo, deadline: number, awsRequestId: string = randomUUID()): Context {
    const unsupported = (name: string) => () => {
        throw new Error(`context.${name}() is the deprecated callback API; return a value or a promise instead`);
    };
    return {
        callbackWaitsForEmptyEventLoop: true,
        functionName: fn.functionName,
        functionVersion: "$LATEST",
        invokedFunctionArn: `arn:aws:lambda:${fn.region}:${LOCAL_ACCOUNT_ID}:function:${fn.functionName}`,
        memoryLimitInMB: String(fn.memoryMb),
        awsRequestId,
        logGroupName: `/aws/lambda/${fn.functionName}`,
        logStreamName: `local/[$LATEST]${awsRequestId.replaceAll("-", "")}`,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        done: unsupported("done"),
        fail: unsupported("fail"),
        succeed: unsupported("succeed"),
    };
}
