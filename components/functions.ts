import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleHandler } from "./bundling";
import { LAMBDA_APPLICATION_LOG_LEVEL, LAMBDA_ARCHITECTURE, LAMBDA_LOG_FORMAT, LAMBDA_RUNTIME, LAMBDA_SYSTEM_LOG_LEVEL } from "../contract/functions";
import { createFunctionRole, type Statement, writeLogsStatement, xrayStatement } from "./iam";
import { physicalName } from "./naming";
import type { Tags } from "./args";

/** What every function of a pipeline shares. */
export interface FunctionCommon {
    /** The component's name, the prefix of every child's name. */
    readonly name: string;
    readonly memoryMb: number;
    readonly bundleAwsSdk: boolean;
    readonly tracing: boolean;
    readonly logRetentionDays: number;
    readonly tags: Tags | undefined;
}

/** What one function is made of. */
export interface HandlerFunctionSpec {
    /** Short role in the pipeline, used in names: `submit`, `process`, `get`. */
    readonly role: string;
    /** What the function does, for the function's and the role's descriptions. */
    readonly description: string;
    /** Handler entry relative to the package root (one of `HANDLER_ENTRIES`). */
    readonly entry: string;
    /** Timeout in seconds. */
    readonly timeoutSeconds: number;
    /** Environment variables the handler reads. */
    readonly environment: Record<string, pulumi.Input<string>>;
    /** The role's statements besides logging and tracing, which every function gets. */
    readonly statements: readonly Statement[];
}

/** A function with its log group, role and inline policy. */
export interface HandlerFunction {
    readonly function: aws.lambda.Function;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly role: aws.iam.Role;
    readonly policy: aws.iam.RolePolicy;
}

/**
 * Creates one Lambda function (`${name}-${role}`) with its own log group (`${name}-${role}-logs`),
 * execution role (`${name}-${role}-role`) and inline policy (`${name}-${role}-policy`).
 *
 * The function gets an explicit physical name so that its log group can be created first under
 * Lambda's conventional name, `/aws/lambda/<function name>`, with a retention; the function then
 * logs there in JSON (`loggingConfig`), and never creates a log group of its own that would keep
 * logs forever. Lambda writes the handler's own lines (stdout) as they are, and of its platform
 * records only those of failed invocations.
 */
export function createHandlerFunction(
    common: FunctionCommon,
    spec: HandlerFunctionSpec,
    parent: pulumi.Resource,
): HandlerFunction {
    const prefix = `${common.name}-${spec.role}`;
    const functionName = physicalName(common.name, spec.role);
    const logGroup = new aws.cloudwatch.LogGroup(
        `${prefix}-logs`,
        { name: `/aws/lambda/${functionName}`, retentionInDays: common.logRetentionDays, tags: common.tags },
        { parent },
    );
    const statements = [writeLogsStatement(logGroup.arn), ...spec.statements, ...(common.tracing ? [xrayStatement()] : [])];
    const { role, policy } = createFunctionRole(prefix, `Execution role of ${functionName}: ${spec.description}`, statements, parent, common.tags);

    const bundle = bundleHandler(spec.entry, { bundleAwsSdk: common.bundleAwsSdk });
    const fn = new aws.lambda.Function(
        prefix,
        {
            name: functionName,
            description: spec.description,
            role: role.arn,
            runtime: LAMBDA_RUNTIME,
            architectures: [LAMBDA_ARCHITECTURE],
            handler: "index.handler",
            // One file, the same bytes for the same sources: an unchanged handler shows no diff.
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundle.code) }),
            memorySize: common.memoryMb,
            timeout: spec.timeoutSeconds,
            environment: { variables: spec.environment },
            // System log level WARN: no START and REPORT records for successful invocations (half
            // the log bytes of an order), only those of failed ones; see LAMBDA_SYSTEM_LOG_LEVEL.
            loggingConfig: {
                logFormat: LAMBDA_LOG_FORMAT,
                logGroup: logGroup.name,
                applicationLogLevel: LAMBDA_APPLICATION_LOG_LEVEL,
                systemLogLevel: LAMBDA_SYSTEM_LOG_LEVEL,
            },
            tracingConfig: { mode: common.tracing ? "Active" : "PassThrough" },
            tags: common.tags,
        },
        // The policy must exist before the first invocation, or that invocation cannot log or work.
        { parent, dependsOn: [policy] },
    );
    return { function: fn, logGroup, role, policy };
}
