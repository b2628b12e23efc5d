import * as path from "node:path";
import { LAMBDA_RUNTIME } from "../../contract/functions";
import type { EmulatorEndpoints } from "../emulators/emulators";

/** The account id local ARNs carry (the emulators accept any). */
export const LOCAL_ACCOUNT_ID = "000000000000";

/** The region local mode runs in. */
export const LOCAL_REGION = "us-east-1";

/** Static credentials for the emulators, which do not check signatures. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

/** Settings of {@link lambdaEnvironment}. */
export interface LambdaEnvironmentOptions {
    /** The function's name. */
    readonly functionName: string;
    /** Memory in MB. */
    readonly memoryMb: number;
    /** Where the handler's AWS SDK clients send their requests. */
    readonly endpoints: EmulatorEndpoints;
    /** The function's own variables (table name, queue URL, email settings). */
    readonly variables: Readonly<Record<string, string>>;
}

/**
 * The environment one local function sees, built from nothing rather than copied from this
 * process: the variables the Lambda runtime sets (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION, ...), static
 * credentials, `AWS_ENDPOINT_URL_<SERVICE>` pointing at the emulators, and the function's own
 * variables. The shell's AWS credentials, profile and config files are never visible to a local
 * handler, so local mode cannot reach a real AWS account even by mistake.
 */
export function lambdaEnvironment(options: LambdaEnvironmentOptions): Record<string, string> {
    // A path that does not exist: the SDK then reads no shared config or credentials file.
    const noFile = path.join(path.sep, "nonexistent", "order-pipeline-local", "aws-config");
    return {
        AWS_LAMBDA_FUNCTION_NAME: options.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
        AWS_LAMBDA_LOG_STREAM_NAME: "local/[$LATEST]0",
        AWS_EXECUTION_ENV: `AWS_Lambda_${LAMBDA_RUNTIME}`,
        AWS_REGION: LOCAL_REGION,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_CONFIG_FILE: noFile,
        AWS_SHARED_CREDENTIALS_FILE: noFile,
        // Never ask an instance metadata service for anything: local traffic stays on 127.0.0.1.
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL_DYNAMODB: options.endpoints.dynamodb,
        AWS_ENDPOINT_URL_SQS: options.endpoints.sqs,
        AWS_ENDPOINT_URL_SES: options.endpoints.ses,
        // The SES v2 client (ProcessOrder's sender) reads its own variable.
        AWS_ENDPOINT_URL_SESV2: options.endpoints.ses,
        LANG: "en_US.UTF-8",
        TZ: ":UTC",
        ...options.variables,
    };
}
