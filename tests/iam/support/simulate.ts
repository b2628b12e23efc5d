/**
 * Turns API calls into the requests IAM authorizes (action, deployed resource ARN, condition
 * context), adds the calls AWS makes on a caller's behalf, and evaluates each with
 * `@cloud-copilot/iam-simulate` against the caller's role policies plus the resource's own policy.
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { LOG_DELIVERY_ACTIONS } from "../../../components/workflows/workflow-defaults";
import { STATES_XRAY_ACTIONS } from "../../../components/workflows/workflow-role";
import { xrayStatement } from "../../../components/iam";
import { DYNAMIC, type ApiCall } from "./api-calls";
import type { Deployment, PolicyDocument } from "./deployment";

/** A condition context: one value, or a list for a multivalued key. */
export type Context = Readonly<Record<string, string | readonly string[]>>;

/** One request IAM authorizes. */
export interface AuthorizedRequest {
    readonly caller: string;
    /** Where it comes from, for messages. */
    readonly origin: string;
    readonly action: string;
    readonly resource: string;
    readonly context: Context;
    /** A resource policy to evaluate instead of the deployment's (a policy the resource's owner adds). */
    readonly resourcePolicy?: PolicyDocument;
}

/** The outcome of one simulation. */
export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** Every request travels over TLS: the SDK's and Step Functions' endpoints are HTTPS only (the emulators here are not). */
const TLS: Context = { "aws:SecureTransport": "true" };

/** A parameter looked up case-insensitively (the SDK's JSON uses `stateMachineArn`, integrations `StateMachineArn`). */
function param(call: ApiCall, name: string): unknown {
    const key = Object.keys(call.params).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : call.params[key];
}

/** The static value of a parameter the resource is named by; a dynamic or missing one is an error naming the call. */
function required(call: ApiCall, name: string): string {
    const value = param(call, name);
    if (value === DYNAMIC) throw new Error(`${call.caller} ${call.action} (${call.origin}): ${name} is only known at run time; the simulation cannot name its resource`);
    if (typeof value !== "string") throw new Error(`${call.caller} ${call.action} (${call.origin}) names no ${name}`);
    return value;
}

function lookup(map: ReadonlyMap<string, string>, key: string, what: string, call: ApiCall): string {
    const arn = map.get(key) ?? (key.startsWith("arn:") ? [...map.values()].find((v) => v === key) : undefined);
    if (arn === undefined) throw new Error(`${call.caller} ${call.action} (${call.origin}) names ${what} ${JSON.stringify(key)}, which is not one of the stack's`);
    return arn;
}

/** `Shop <shop@example.com>` -> `shop@example.com`. */
function bareAddress(source: string): string {
    return /<([^>]+)>/.exec(source)?.[1] ?? source;
}

/** The KMS calls a service makes with the caller's credentials when the data is under a customer managed key (see docs/security.md). */
function kmsOnBehalf(call: ApiCall, deployment: Deployment, service: "sqs" | "dynamodb"): AuthorizedRequest[] {
    if (deployment.kmsKeyArn === undefined) return [];
    // SQS: a send encrypts a new message (a data key, and Decrypt to reuse a cached one), a receive
    // decrypts; other queue calls touch no message. DynamoDB: every item call decrypts the table
    // key, a write also asks for a data key.
    const writes = service === "sqs" ? call.action === "sqs:SendMessage" : /:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/.test(call.action);
    const touchesData = service === "dynamodb" || ["sqs:SendMessage", "sqs:ReceiveMessage"].includes(call.action);
    if (!touchesData) return [];
    const actions = writes ? ["kms:GenerateDataKey", "kms:Decrypt"] : ["kms:Decrypt"];
    const context: Context = { ...TLS, "kms:ViaService": `${service}.${deployment.region}.amazonaws.com` };
    return actions.map((action) => ({ caller: call.caller, origin: `${service} on behalf of ${call.action} (${call.origin})`, action, resource: deployment.kmsKeyArn!, context }));
}

/** The requests IAM authorizes for one API call. */
export function authorize(call: ApiCall, deployment: Deployment): AuthorizedRequest[] {
    const base = { caller: call.caller, origin: call.origin, action: call.action };
    const [service] = call.action.split(":");
    switch (service) {
        case "dynamodb": {
            const requestItems = param(call, "RequestItems");
            const names = requestItems && typeof requestItems === "object" ? Object.keys(requestItems) : [required(call, "TableName")];
            return names.flatMap((name) => [
                { ...base, resource: lookup(deployment.tables, name, "table", call), context: TLS },
                ...kmsOnBehalf(call, deployment, "dynamodb"),
            ]);
        }
        case "sqs":
            return [{ ...base, resource: lookup(deployment.queues, required(call, "QueueUrl"), "queue", call), context: TLS }, ...kmsOnBehalf(call, deployment, "sqs")];
        case "ses": {
            const from = bareAddress(required(call, call.sesApiVersion === "2" ? "FromEmailAddress" : "Source"));
            const identityArn = param(call, "FromEmailAddressIdentityArn") ?? param(call, "SourceArn");
            const resource =
                typeof identityArn === "string" ? identityArn : (deployment.identities.get(from) ?? lookup(deployment.identities, from.split("@")[1], "SES identity", call));
            const context = { ...TLS, "ses:FromAddress": from, "ses:ApiVersion": call.sesApiVersion ?? "1" };
            // An email that names a configuration set is authorized on the set as well as on the identity.
            const configurationSet = param(call, "ConfigurationSetName");
            const onSet = typeof configurationSet === "string" ? [{ ...base, resource: lookup(deployment.configurationSets, configurationSet, "configuration set", call), context }] : [];
            return [{ ...base, resource, context }, ...onSet];
        }
        case "events": {
            const entries = param(call, "Entries");
            if (!Array.isArray(entries)) throw new Error(`${call.caller} ${call.action} (${call.origin}) has no Entries`);
            // One request per bus: each entry is authorized on the bus it names.
            const byBus = new Map<string, Record<string, unknown>[]>();
            for (const entry of entries as Record<string, unknown>[]) {
                const bus = typeof entry.EventBusName === "string" ? entry.EventBusName : "default";
                byBus.set(bus, [...(byBus.get(bus) ?? []), entry]);
            }
            return [...byBus].map(([bus, group]) => {
                const values = (member: string) => group.map((e) => (e[member] === DYNAMIC ? "(run time)" : String(e[member])));
                return {
                    ...base,
                    resource: lookup(deployment.buses, bus, "bus", call),
                    context: { ...TLS, "events:source": [...new Set(values("Source"))], "events:detail-type": [...new Set(values("DetailType"))] },
                };
            });
        }
        case "states": {
            const arn = call.action === "states:StartExecution" ? lookup(deployment.stateMachines, required(call, "stateMachineArn"), "state machine", call) : required(call, "executionArn");
            return [{ ...base, resource: arn, context: TLS }];
        }
        default:
            throw new Error(`${call.caller} ${call.action} (${call.origin}): no resource mapping for service ${service}; add one`);
    }
}

/**
 * What AWS itself calls with a role, which no code of ours records: the short list the minimality
 * check accepts beyond the recorded calls.
 */
export function awsRequirements(deployment: Deployment): AuthorizedRequest[] {
    const { region, account } = deployment;
    const requests: AuthorizedRequest[] = [];
    const add = (caller: string, origin: string, actions: readonly string[], resource: string, context: Context = TLS) => {
        for (const action of actions) requests.push({ caller, origin, action, resource, context });
    };
    for (const [caller, fn] of Object.entries(deployment.functions)) {
        // Lambda writes the function's logs with its role, into a stream it names.
        add(caller, "Lambda writes the function's logs", ["logs:CreateLogStream", "logs:PutLogEvents"], `arn:aws:logs:${region}:${account}:log-group:${fn.logGroup}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`);
        // Active tracing: the runtime sends segments; X-Ray authorizes these only on "*".
        if (deployment.tracing) add(caller, "Lambda sends trace segments", xrayStatement().Action, "*");
    }
    // The event source mapping polls the order queue with ProcessOrder's role (Lambda Developer Guide, "Using Lambda with Amazon SQS").
    add("process", "the event source mapping polls the order queue", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], deployment.orderQueueArn);
    if (deployment.kmsKeyArn) {
        add("process", "SQS decrypts for the event source mapping", ["kms:Decrypt"], deployment.kmsKeyArn, { ...TLS, "kms:ViaService": `sqs.${region}.amazonaws.com` });
    }
    // The email-events function's mapping polls its queue with that function's role.
    if (deployment.emailEventsQueueArn !== undefined) {
        add("ses-events", "the event source mapping polls the email-events queue", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], deployment.emailEventsQueueArn);
        if (deployment.kmsKeyArn) {
            add("ses-events", "SQS decrypts for the event source mapping", ["kms:Decrypt"], deployment.kmsKeyArn, { ...TLS, "kms:ViaService": `sqs.${region}.amazonaws.com` });
        }
    }
    for (const caller of Object.keys(deployment.definitions)) {
        // Step Functions sets up the vended log delivery with the machine's role when it creates or updates it.
        add(caller, "Step Functions delivers execution logs", LOG_DELIVERY_ACTIONS, "*");
        if (deployment.tracing) add(caller, "Step Functions traces executions", STATES_XRAY_ACTIONS, "*");
    }
    // EventBridge forwards matching events to a bus target with the target's role.
    for (const [caller, bus] of Object.entries(deployment.busTargets)) add(caller, "EventBridge forwards to the target bus", ["events:PutEvents"], bus);
    return requests;
}

/** Evaluates one request as IAM would: the caller's role policies and the resource's policy. */
export async function simulate(request: AuthorizedRequest, deployment: Deployment): Promise<Decision> {
    const role = deployment.roles[request.caller];
    if (!role) throw new Error(`no role for caller ${request.caller}`);
    const resourceAccount = request.resource === "*" ? deployment.account : (request.resource.split(":")[4] ?? deployment.account);
    const resourcePolicy = request.resourcePolicy ?? deployment.resourcePolicies.get(request.resource);
    const simulation: Simulation = {
        identityPolicies: role.policies.map((p) => ({ name: p.name, policy: p.policy as never })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy ? { resourcePolicy: resourcePolicy as never } : {}),
        request: {
            principal: role.arn,
            action: request.action,
            resource: { resource: request.resource, accountId: resourceAccount || deployment.account },
            contextVariables: request.context as Record<string, string | string[]>,
        },
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") {
        throw new Error(`the simulator refused ${request.caller} ${request.action} on ${request.resource} (${request.origin}): ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult as Decision;
}

/** A request an AWS service makes as its service principal (SES publishing, SNS delivering), which only the resource's policy can allow. */
export interface ServiceRequest {
    readonly service: string;
    readonly action: string;
    readonly resource: string;
    readonly context: Context;
}

/** Evaluates a service principal's request against the resource's policy in the deployment. */
export async function simulateService(request: ServiceRequest, deployment: Deployment): Promise<Decision> {
    const resourcePolicy = deployment.resourcePolicies.get(request.resource);
    const simulation: Simulation = {
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy ? { resourcePolicy: resourcePolicy as never } : {}),
        request: {
            principal: request.service,
            action: request.action,
            resource: { resource: request.resource, accountId: request.resource.split(":")[4] || deployment.account },
            contextVariables: request.context as Record<string, string | string[]>,
        },
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") throw new Error(`the simulator refused ${request.service} ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}

/** Whether an IAM resource pattern (`*` and `?` wildcards) matches an ARN. */
export function resourceMatches(pattern: string, arn: string): boolean {
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    return regex.test(arn);
}
