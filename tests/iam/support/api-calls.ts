/**
 * The AWS API calls the code makes, in one shape whatever they came from: decoded from the wire
 * (the JSON protocols' `X-Amz-Target`, the query protocol's `Action`, SES v2's REST paths), or
 * read from a state machine definition's Task states (integration ARN -> action, Parameters ->
 * the API's parameters). Every Task state is read, so a new one is picked up without a change here;
 * an integration or a protocol this module cannot read is an error, never silently skipped.
 */
import type { WireRequest } from "./recording-proxy";

/** One API call and the parameters it names. */
export interface ApiCall {
    /** Who makes it: a function (`submit`, `process`, ...) or a state machine (`shipping-sm`, ...). */
    readonly caller: string;
    /** Where it was seen, for messages: `over the wire` or `Task state "ReserveOrder"`. */
    readonly origin: string;
    /** The IAM action that authorizes it, e.g. `dynamodb:PutItem`. */
    readonly action: string;
    /** The API's parameters as sent (names as the API spells them; unknown values as {@link DYNAMIC}). */
    readonly params: Readonly<Record<string, unknown>>;
    /** SES only: the API version (`ses:ApiVersion`). */
    readonly sesApiVersion?: "1" | "2";
}

/** A parameter value only known when the state machine runs (a JSONPath or JSONata expression). */
export const DYNAMIC = Symbol("dynamic");

/** Services whose SigV4 signing name is also their IAM action prefix. */
const SIGNING_TO_IAM: Readonly<Record<string, string>> = { dynamodb: "dynamodb", sqs: "sqs", ses: "ses", events: "events", states: "states" };

/**
 * SQS batch operations have no IAM action of their own: each is authorized by the action of its
 * single-message form (SQS Developer Guide, "Amazon SQS API permissions").
 */
const SQS_BATCH_ACTIONS: Readonly<Record<string, string>> = {
    SendMessageBatch: "SendMessage",
    DeleteMessageBatch: "DeleteMessage",
    ChangeMessageVisibilityBatch: "ChangeMessageVisibility",
};

/** SES v2 REST operations by method and path (the SES v2 API Reference). */
const SES_V2_ROUTES: readonly { method: string; path: RegExp; operation: string }[] = [
    { method: "POST", path: /^\/v2\/email\/outbound-emails$/, operation: "SendEmail" },
    { method: "POST", path: /^\/v2\/email\/outbound-bulk-emails$/, operation: "SendBulkEmail" },
];

/** The query protocol's form body, e.g. SES v1's `Action=SendEmail&Source=...`. */
function formParams(body: string): Record<string, string> {
    return Object.fromEntries(new URLSearchParams(body));
}

/** Decodes one recorded request; throws on a request whose operation cannot be told. */
export function decodeWireRequest(request: WireRequest): ApiCall {
    const prefix = SIGNING_TO_IAM[request.service];
    if (prefix === undefined) throw new Error(`${request.caller} called service "${request.service}" (${request.method} ${request.path}), which the recorder does not know`);
    const base = { caller: request.caller, origin: "over the wire" };
    if (request.target !== undefined) {
        const named = request.target.split(".").pop()!;
        const operation = prefix === "sqs" ? (SQS_BATCH_ACTIONS[named] ?? named) : named;
        return { ...base, action: `${prefix}:${operation}`, params: request.body === "" ? {} : JSON.parse(request.body) };
    }
    if (request.contentType.startsWith("application/x-www-form-urlencoded")) {
        const params = formParams(request.body);
        if (!params.Action) throw new Error(`${request.caller}: a query-protocol request to ${request.service} without Action`);
        return { ...base, action: `${prefix}:${params.Action}`, params, ...(prefix === "ses" ? { sesApiVersion: "1" as const } : {}) };
    }
    if (prefix === "ses") {
        const path = request.path.split("?")[0];
        const route = SES_V2_ROUTES.find((r) => r.method === request.method && r.path.test(path));
        if (route) return { ...base, action: `ses:${route.operation}`, params: request.body === "" ? {} : JSON.parse(request.body), sesApiVersion: "2" };
    }
    throw new Error(`${request.caller}: cannot tell the operation of ${request.method} ${request.path} to ${request.service}`);
}

/** Optimized Step Functions integrations (`arn:aws:states:::<service>:<api>`) and the action each calls. */
const OPTIMIZED_INTEGRATIONS: Readonly<Record<string, string>> = {
    "dynamodb:getItem": "dynamodb:GetItem",
    "dynamodb:putItem": "dynamodb:PutItem",
    "dynamodb:updateItem": "dynamodb:UpdateItem",
    "dynamodb:deleteItem": "dynamodb:DeleteItem",
    "sqs:sendMessage": "sqs:SendMessage",
    "events:putEvents": "events:PutEvents",
    "sns:publish": "sns:Publish",
    "states:startExecution": "states:StartExecution",
    "lambda:invoke": "lambda:InvokeFunction",
};

/** SDK integrations (`arn:aws:states:::aws-sdk:<service>:<api>`): the SDK service name's IAM prefix. */
const SDK_SERVICE_PREFIXES: Readonly<Record<string, string>> = {
    dynamodb: "dynamodb",
    sqs: "sqs",
    ses: "ses",
    sesv2: "ses",
    sfn: "states",
    eventbridge: "events",
    sns: "sns",
    lambda: "lambda",
};

/** The action a Task's Resource calls; throws for one this module cannot map. */
export function integrationAction(resource: string): string {
    const match = /^arn:[a-z-]+:states:::(.+?)(?:\.(?:sync(?::2)?|waitForTaskToken))?$/.exec(resource);
    if (!match) throw new Error(`Task resource ${resource} is not a service integration (activities and Lambda ARNs are not mapped)`);
    const sdk = /^aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(match[1]);
    if (sdk) {
        const prefix = SDK_SERVICE_PREFIXES[sdk[1]];
        if (!prefix) throw new Error(`SDK integration service "${sdk[1]}" of ${resource} has no IAM prefix here: add it`);
        return `${prefix}:${sdk[2][0].toUpperCase()}${sdk[2].slice(1)}`;
    }
    const action = OPTIMIZED_INTEGRATIONS[match[1]];
    if (!action) throw new Error(`integration ${match[1]} of ${resource} is not mapped to an IAM action here: add it`);
    return action;
}

/**
 * A Task's parameters with their static values; a `<name>.$` member (JSONPath) becomes `<name>`
 * with {@link DYNAMIC}, except `States.Format('...', ...)` which is rendered with example
 * arguments (the literal parts are what IAM sees, e.g. an execution ARN's machine name).
 */
export function staticParameters(template: unknown): unknown {
    if (Array.isArray(template)) return template.map(staticParameters);
    if (template === null || typeof template !== "object") {
        return typeof template === "string" && /^\{%.*%\}$/s.test(template) ? DYNAMIC : template;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
        if (key.endsWith(".$")) {
            const format = typeof value === "string" ? /^States\.Format\('((?:[^'\\]|\\.)*)'/.exec(value) : null;
            let n = 0;
            out[key.slice(0, -2)] = format ? format[1].replace(/\\'/g, "'").replace(/\{\}/g, () => `example${++n}`) : DYNAMIC;
        } else {
            out[key] = staticParameters(value);
        }
    }
    return out;
}

interface AslState {
    readonly Type: string;
    readonly Resource?: string;
    readonly Parameters?: unknown;
    readonly Arguments?: unknown;
    readonly Branches?: readonly { States: Record<string, AslState> }[];
    readonly ItemProcessor?: { States: Record<string, AslState> };
    readonly Iterator?: { States: Record<string, AslState> };
}

/** Every Task state of a definition, nested ones (Parallel branches, Map processors) included. */
export function taskStates(states: Readonly<Record<string, AslState>>): { name: string; state: AslState }[] {
    const found: { name: string; state: AslState }[] = [];
    for (const [name, state] of Object.entries(states)) {
        if (state.Type === "Task") found.push({ name, state });
        for (const branch of state.Branches ?? []) found.push(...taskStates(branch.States));
        const processor = state.ItemProcessor ?? state.Iterator;
        if (processor) found.push(...taskStates(processor.States));
    }
    return found;
}

/** The calls a state machine's Tasks make, from its definition (a JSON string). */
export function definitionCalls(caller: string, definition: string): ApiCall[] {
    const parsed = JSON.parse(definition) as { States: Record<string, AslState> };
    return taskStates(parsed.States).map(({ name, state }) => {
        const resource = state.Resource ?? "";
        const action = integrationAction(resource);
        const params = staticParameters(state.Parameters ?? state.Arguments ?? {}) as Record<string, unknown>;
        const sesApiVersion = action.startsWith("ses:") ? (resource.includes(":aws-sdk:sesv2:") ? ("2" as const) : ("1" as const)) : undefined;
        return { caller, origin: `Task state "${name}"`, action, params, ...(sesApiVersion ? { sesApiVersion } : {}) };
    });
}
