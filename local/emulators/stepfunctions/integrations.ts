/**
 * The service integrations a Task's `Resource` names, each performed with the real AWS SDK v3
 * client against the endpoint it is given (dynalite, fauxqs, the local bus, aws-ses-v2-local, this
 * emulator itself), with the request and result shapes and the error names Step Functions uses:
 *
 * - `arn:<p>:states:::dynamodb:getItem|putItem|updateItem|deleteItem` (optimized): the parameters
 *   are the API's request, the result its response, errors `DynamoDB.<Exception>`;
 * - `arn:<p>:states:::sqs:sendMessage[.waitForTaskToken]` (optimized): a JSON `MessageBody` is
 *   serialised; with `.waitForTaskToken` the Task then waits for SendTaskSuccess / SendTaskFailure
 *   on the token it was given (`$$.Task.Token`);
 * - `arn:<p>:states:::events:putEvents` (optimized): a JSON `Detail` is serialised, the execution
 *   and state machine ARNs are appended to each entry's `Resources`, and a response with a
 *   non-zero `FailedEntryCount` fails the Task with `EventBridge.FailedEntry`;
 * - `arn:<p>:states:::aws-sdk:sesv2:sendEmail` and `aws-sdk:sfn:<action>` (AWS SDK integrations):
 *   errors `SesV2.<Name>Exception`, `Sfn.<Name>Exception`.
 *
 * Clients make one attempt each: retrying is the definition's Retry, as on AWS.
 */
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { DescribeExecutionCommand, SFNClient, StopExecutionCommand } from "@aws-sdk/client-sfn";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { sdkClientSettings } from "../../../handlers/runtime/aws-clients";
import { IntegrationError, optimizedIntegrationError, sdkIntegrationError } from "./integration-errors";
import type { TaskTokens } from "./task-tokens";

/** Where each integrated service answers (`http://127.0.0.1:<port>`). */
export interface StepFunctionsEndpoints {
    readonly dynamodb: string;
    readonly sqs: string;
    /** aws-ses-v2-local; needed when a definition emails. */
    readonly ses?: string;
    /** The local EventBridge bus; needed when a definition publishes events. */
    readonly events?: string;
}

/** What a Task's integration knows of where it runs. */
export interface TaskContext {
    readonly executionArn: string;
    readonly stateMachineArn: string;
    /** The Task's token (`$$.Task.Token`), issued when it was scheduled. */
    readonly token: string;
    /** The state's HeartbeatSeconds, when it has one. */
    readonly heartbeatSeconds?: number;
}

/** Performs one Task resource with its (already resolved) parameters. */
export type Integrations = {
    perform(resource: string, parameters: unknown, context: TaskContext): Promise<unknown>;
    destroy(): void;
};

/** `arn:<partition>:states:::<service>:<action>[.<pattern>]`. */
const INTEGRATION_ARN = /^arn:aws[a-z-]*:states:::(aws-sdk:)?([a-z0-9]+):([A-Za-z]+)(?:\.(waitForTaskToken|sync))?$/;

/** The response without the SDK's `$metadata`, as JSON (dates become ISO strings). */
function resultOf(output: object): unknown {
    const { $metadata: _metadata, ...rest } = output as Record<string, unknown>;
    return JSON.parse(JSON.stringify(rest));
}

/**
 * Renames the keys of a JSON value with `rename`, at every depth. AWS SDK integrations take and
 * give PascalCase members even where the service's API is camelCase (Step Functions' own API:
 * `ExecutionArn` for `executionArn`), as "Learning to use AWS service SDK integrations" says.
 */
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
    if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renameKeys(v, rename)]));
    return value;
}
const camel = (key: string) => key.charAt(0).toLowerCase() + key.slice(1);
const pascal = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);

function record(value: unknown): Record<string, unknown> {
    return (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
}

/** Creates the integrations over `endpoints`; `sfnEndpoint` is this emulator's own endpoint. */
export function createIntegrations(endpoints: StepFunctionsEndpoints, sfnEndpoint: string, region: string, tokens: TaskTokens): Integrations {
    const common = { region, credentials: { accessKeyId: "local", secretAccessKey: "local" }, ...sdkClientSettings({ maxAttempts: 1 }) };
    const dynamodb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb });
    const sqs = new SQSClient({ ...common, endpoint: endpoints.sqs });
    const events = endpoints.events === undefined ? undefined : new EventBridgeClient({ ...common, endpoint: endpoints.events });
    const ses = endpoints.ses === undefined ? undefined : new SESv2Client({ ...common, endpoint: endpoints.ses });
    const sfn = new SFNClient({ ...common, endpoint: sfnEndpoint });

    async function call<T extends object>(send: () => Promise<T>, fail: (err: unknown) => IntegrationError): Promise<T> {
        try {
            return await send();
        } catch (err) {
            throw fail(err);
        }
    }

    const dynamoCommands = {
        getItem: GetItemCommand,
        putItem: PutItemCommand,
        updateItem: UpdateItemCommand,
        deleteItem: DeleteItemCommand,
    } as const;

    async function perform(resource: string, parameters: unknown, context: TaskContext): Promise<unknown> {
        const match = INTEGRATION_ARN.exec(resource);
        if (!match) throw new IntegrationError("States.Runtime", `this emulator does not perform the resource ${resource}`);
        const [, sdk, service, action, pattern] = match;
        const params = record(parameters);
        if (!sdk && service === "dynamodb" && Object.hasOwn(dynamoCommands, action) && pattern === undefined) {
            const Command = dynamoCommands[action as keyof typeof dynamoCommands] as unknown as new (input: unknown) => UpdateItemCommand;
            return resultOf(await call(() => dynamodb.send(new Command(params)), (err) => optimizedIntegrationError("DynamoDB", err)));
        }
        if (!sdk && service === "sqs" && action === "sendMessage" && pattern !== "sync") {
            const body = params.MessageBody;
            const input = { ...params, MessageBody: typeof body === "string" ? body : JSON.stringify(body) };
            const sent = resultOf(await call(() => sqs.send(new SendMessageCommand(input as never)), (err) => optimizedIntegrationError("SQS", err)));
            if (pattern !== "waitForTaskToken") return sent;
            return tokens.waitFor(context.token, context.heartbeatSeconds);
        }
        if (!sdk && service === "events" && action === "putEvents" && pattern === undefined) {
            if (!events) throw new IntegrationError("EventBridge.SdkClientException", "no local event bus endpoint was given to the emulator");
            const entries = (Array.isArray(params.Entries) ? params.Entries : []).map((entry): PutEventsRequestEntry => {
                const e = record(entry);
                return {
                    ...e,
                    ...(e.Detail === undefined || typeof e.Detail === "string" ? {} : { Detail: JSON.stringify(e.Detail) }),
                    ...(typeof e.Time === "string" ? { Time: new Date(e.Time) } : {}),
                    Resources: [...(Array.isArray(e.Resources) ? (e.Resources as string[]) : []), context.executionArn, context.stateMachineArn],
                } as PutEventsRequestEntry;
            });
            const answer = await call(() => events.send(new PutEventsCommand({ Entries: entries })), (err) => optimizedIntegrationError("EventBridge", err));
            if ((answer.FailedEntryCount ?? 0) > 0) {
                throw new IntegrationError("EventBridge.FailedEntry", JSON.stringify(answer.Entries ?? []));
            }
            return resultOf(answer);
        }
        if (sdk && service === "sesv2" && action === "sendEmail" && pattern === undefined) {
            if (!ses) throw new IntegrationError("SesV2.SdkClientException", "no SES endpoint was given to the emulator");
            return resultOf(await call(() => ses.send(new SendEmailCommand(params as never)), (err) => sdkIntegrationError("SesV2", err)));
        }
        if (sdk && service === "sfn" && pattern === undefined && (action === "stopExecution" || action === "describeExecution")) {
            const Command = (action === "stopExecution" ? StopExecutionCommand : DescribeExecutionCommand) as unknown as new (input: unknown) => StopExecutionCommand;
            const output = resultOf(await call(() => sfn.send(new Command(renameKeys(params, camel))), (err) => sdkIntegrationError("Sfn", err)));
            return renameKeys(output, pascal);
        }
        throw new IntegrationError("States.Runtime", `this emulator does not perform the resource ${resource}`);
    }

    return {
        perform,
        destroy() {
            for (const client of [dynamodb, sqs, events, ses, sfn]) client?.destroy();
        },
    };
}
