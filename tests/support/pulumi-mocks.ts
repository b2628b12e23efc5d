/**
 * A recorder for Pulumi programs under `pulumi.runtime.setMocks`: it stands in for the engine and
 * the AWS provider, answers every registration with realistic ARNs, URLs and names, and records
 * every resource a program registers so that tests can assert on inputs and resolved state.
 *
 * Usage: importing this module installs the mocks, so import it before the module under test
 * (imports are evaluated in order, and an `installMocks()` call placed between two imports would
 * run after both of them):
 *
 * ```ts
 * import { recordProgram, findResource } from "../support/pulumi-mocks";
 * import { OrderPipeline } from "../../components";
 *
 * const resources = await recordProgram(() => new OrderPipeline("orders", { ... }));
 * const queue = findResource(resources, "aws:sqs/queue:Queue", "orders-queue");
 * ```
 *
 * Every mocked resource lives in account {@link MOCK_ACCOUNT_ID}, region {@link MOCK_REGION},
 * project {@link MOCK_PROJECT}, stack {@link MOCK_STACK}.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import "./pulumi-stack-traces";

/** The account every mocked ARN names. */
export const MOCK_ACCOUNT_ID = "123456789012";
/** The region every mocked ARN and URL names. */
export const MOCK_REGION = "us-east-1";
/** The Pulumi project the mocked runtime reports. */
export const MOCK_PROJECT = "order-pipeline";
/** The Pulumi stack the mocked runtime reports. */
export const MOCK_STACK = "dev";

/** One resource as the program registered it and as the mocked provider answered. */
export interface RecordedResource {
    /** Type token, e.g. `aws:sqs/queue:Queue`. */
    readonly type: string;
    /** Logical name given to the constructor, e.g. `orders-queue`. */
    readonly name: string;
    /** The URN the mock monitor gave the resource. */
    readonly urn: string;
    /** Whether it is a custom (provider) resource rather than a component. */
    readonly custom: boolean;
    /** The inputs as the engine receives them: every Output resolved, secrets unwrapped. */
    readonly inputs: Record<string, any>;
    /**
     * The resolved state: for a custom resource, the inputs plus what the mocked provider adds (id,
     * arn, url, name, ...); for a component, the outputs it registered with `registerOutputs`.
     */
    readonly state: Record<string, any>;
    /** URN of the parent resource, or undefined for a resource at the top of the program. */
    readonly parent: string | undefined;
    /** The physical id the mocked provider gave (undefined for components). */
    readonly id: string | undefined;
    /** URNs of the resources this one depends on (explicitly or through its inputs). */
    readonly dependencies: readonly string[];
}

interface MutableRecord extends Omit<RecordedResource, "state"> {
    state: Record<string, any>;
}

/** A deterministic stand-in for the random suffix Pulumi appends to auto-named resources. */
function suffix(seed: string, length = 7): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** The physical name the provider would give: the `name` input, else `<logical name>-<suffix>`. */
function physicalName(args: pulumi.runtime.MockResourceArgs): string {
    const given = args.inputs.name ?? args.inputs.functionName;
    if (typeof given === "string" && given.length > 0) return given;
    const base = `${args.name}-${suffix(args.type + args.name)}`;
    return args.inputs.fifoQueue ? `${base}.fifo` : base;
}

const arnPrefix = (service: string, region = MOCK_REGION) => `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}`;

/**
 * What the mocked AWS provider adds to a resource's inputs, per type: the attributes that other
 * resources and IAM statements are built from, shaped like the real ones.
 */
function providerState(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
    const inputs = args.inputs;
    const name = physicalName(args);
    switch (args.type) {
        case "aws:sqs/queue:Queue": {
            const url = `https://sqs.${MOCK_REGION}.amazonaws.com/${MOCK_ACCOUNT_ID}/${name}`;
            return { id: url, state: { name, arn: `${arnPrefix("sqs")}:${name}`, url } };
        }
        case "aws:dynamodb/table:Table":
            return { id: name, state: { name, arn: `${arnPrefix("dynamodb")}:table/${name}` } };
        case "aws:cloudwatch/logGroup:LogGroup":
            // Like the provider, the ARN carries no trailing `:*`.
            return { id: name, state: { name, arn: `${arnPrefix("logs")}:log-group:${name}` } };
        case "aws:lambda/function:Function": {
            const arn = `${arnPrefix("lambda")}:function:${name}`;
            return {
                id: name,
                state: {
                    name,
                    arn,
                    qualifiedArn: `${arn}:$LATEST`,
                    version: "$LATEST",
                    invokeArn: `arn:aws:apigateway:${MOCK_REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`,
                },
            };
        }
        case "aws:iam/role:Role":
            return {
                id: name,
                state: { name, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${name}`, uniqueId: `AROA${suffix(name, 17).toUpperCase()}` },
            };
        case "aws:iam/rolePolicy:RolePolicy":
            return { id: `${inputs.role}:${name}`, state: { name } };
        case "aws:apigatewayv2/api:Api": {
            const apiId = suffix(args.name, 10);
            return {
                id: apiId,
                state: {
                    name: inputs.name ?? name,
                    arn: `arn:aws:apigateway:${MOCK_REGION}::/apis/${apiId}`,
                    apiEndpoint: `https://${apiId}.execute-api.${MOCK_REGION}.amazonaws.com`,
                    executionArn: `${arnPrefix("execute-api")}:${apiId}`,
                },
            };
        }
        case "aws:apigatewayv2/stage:Stage": {
            const stage = inputs.name ?? name;
            const path = stage === "$default" ? "" : stage;
            return {
                id: stage,
                state: {
                    name: stage,
                    arn: `arn:aws:apigateway:${MOCK_REGION}::/apis/${inputs.apiId}/stages/${stage}`,
                    executionArn: `${arnPrefix("execute-api")}:${inputs.apiId}/${stage}`,
                    invokeUrl: `https://${inputs.apiId}.execute-api.${MOCK_REGION}.amazonaws.com/${path}`,
                },
            };
        }
        case "aws:sns/topic:Topic": {
            const arn = `${arnPrefix("sns")}:${name}`;
            return { id: arn, state: { name, arn } };
        }
        case "aws:sns/topicSubscription:TopicSubscription": {
            const arn = `${inputs.topic}:${suffix(args.name, 8)}-0000-4000-8000-${suffix(args.name + "s", 12)}`;
            return { id: arn, state: { arn } };
        }
        case "aws:sesv2/emailIdentity:EmailIdentity": {
            const isDomain = !String(inputs.emailIdentity).includes("@");
            return {
                id: inputs.emailIdentity,
                state: {
                    arn: `${arnPrefix("ses")}:identity/${inputs.emailIdentity}`,
                    identityType: isDomain ? "DOMAIN" : "EMAIL_ADDRESS",
                    // Easy DKIM: SES answers three tokens for a domain identity.
                    ...(isDomain ? { dkimSigningAttributes: { tokens: [0, 1, 2].map((n) => suffix(`${inputs.emailIdentity}-dkim-${n}`, 32)) } } : {}),
                },
            };
        }
        case "aws:sesv2/configurationSet:ConfigurationSet":
            return { id: inputs.configurationSetName, state: { arn: `${arnPrefix("ses")}:configuration-set/${inputs.configurationSetName}` } };
        case "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination":
            // Its id is `<configuration set>|<destination name>`; it has no ARN.
            return { id: `${inputs.configurationSetName}|${inputs.eventDestinationName}`, state: {} };
        case "aws:sesv2/accountSuppressionAttributes:AccountSuppressionAttributes":
            // An account-wide setting: the provider's id is the account id; it has no ARN.
            return { id: MOCK_ACCOUNT_ID, state: {} };
        case "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes":
            // Its id is the identity it belongs to; it has no ARN.
            return { id: inputs.emailIdentity, state: {} };
        case "aws:route53/record:Record": {
            // The provider's id: `<zone id>_<record name>_<type>`; records have no ARN.
            const fqdn = String(inputs.name);
            return { id: `${inputs.zoneId}_${fqdn}_${inputs.type}`, state: { fqdn } };
        }
        case "aws:ses/emailIdentity:EmailIdentity":
            return { id: inputs.email, state: { arn: `${arnPrefix("ses")}:identity/${inputs.email}` } };
        case "aws:kms/key:Key": {
            const keyId = `${suffix(args.name, 8)}-1234-4abc-8def-${suffix(args.name + "k", 12)}`;
            return { id: keyId, state: { keyId, arn: `${arnPrefix("kms")}:key/${keyId}` } };
        }
        case "aws:cloudwatch/metricAlarm:MetricAlarm": {
            const alarmName = inputs.name ?? name;
            return { id: alarmName, state: { name: alarmName, arn: `${arnPrefix("cloudwatch")}:alarm:${alarmName}` } };
        }
        case "aws:cloudwatch/dashboard:Dashboard": {
            const dashboardName = inputs.dashboardName ?? name;
            return {
                id: dashboardName,
                state: { dashboardName, dashboardArn: `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${dashboardName}` },
            };
        }
        case "aws:lambda/eventSourceMapping:EventSourceMapping": {
            const uuid = `${suffix(args.name, 8)}-0000-4000-8000-${suffix(args.name + "u", 12)}`;
            return {
                id: uuid,
                state: {
                    uuid,
                    arn: `${arnPrefix("lambda")}:event-source-mapping:${uuid}`,
                    functionArn: inputs.functionName,
                    state: "Enabled",
                },
            };
        }
        case "aws:lambda/permission:Permission":
            return { id: inputs.statementId ?? name, state: { statementId: inputs.statementId ?? name } };
        case "aws:sns/topicPolicy:TopicPolicy":
            // Its `arn` input names the topic; the policy has no ARN of its own.
            return { id: inputs.arn, state: {} };
        case "aws:cloudwatch/eventBus:EventBus":
            // EventBridge is the `events` service; a bus's ARN ends in `event-bus/<name>`.
            return { id: name, state: { name, arn: `${arnPrefix("events")}:event-bus/${name}` } };
        case "aws:cloudwatch/eventRule:EventRule": {
            // A rule on the default bus is `rule/<name>`; on any other bus `rule/<bus>/<name>`, and the provider's id is `<bus>/<name>`.
            const bus = busNameOf(inputs.eventBusName);
            const path = bus === "default" ? name : `${bus}/${name}`;
            return { id: path, state: { name, arn: `${arnPrefix("events")}:rule/${path}` } };
        }
        case "aws:cloudwatch/eventTarget:EventTarget": {
            // The provider's id: `<bus>-<rule>-<target id>`, the bus left out for the default bus.
            const bus = busNameOf(inputs.eventBusName);
            const targetId = inputs.targetId ?? suffix(args.name, 26);
            return { id: `${bus === "default" ? "" : `${bus}-`}${inputs.rule}-${targetId}`, state: { targetId } };
        }
        case "aws:cloudwatch/eventArchive:EventArchive":
            return { id: name, state: { name, arn: `${arnPrefix("events")}:archive/${name}` } };
        case "aws:sfn/stateMachine:StateMachine": {
            // Step Functions is the `states` service; the provider's id is the ARN.
            const arn = `${arnPrefix("states")}:stateMachine:${name}`;
            return { id: arn, state: { name, arn, status: "ACTIVE", creationDate: "2025-01-01T00:00:00Z", revisionId: "" } };
        }
        case "aws:cognito/userPool:UserPool": {
            // Cognito user pools are the `cognito-idp` service, ids `<region>_<9 characters>`.
            const poolId = `${MOCK_REGION}_${suffix(args.name, 9).toUpperCase()}`;
            return {
                id: poolId,
                state: {
                    name,
                    arn: `${arnPrefix("cognito-idp")}:userpool/${poolId}`,
                    endpoint: `cognito-idp.${MOCK_REGION}.amazonaws.com/${poolId}`,
                },
            };
        }
        case "aws:cognito/userPoolClient:UserPoolClient":
            // App client ids are 26 lower-case letters and digits; the client has no ARN.
            return { id: suffix(args.name + "client", 26).replace(/[^a-z0-9]/g, "0"), state: { name } };
        case "aws:apigatewayv2/authorizer:Authorizer":
        case "aws:apigatewayv2/integration:Integration":
        case "aws:apigatewayv2/route:Route":
            // API Gateway v2 sub-resources have short ids and no ARN of their own.
            return { id: suffix(args.type + args.name, 7), state: {} };
        case "aws:sqs/queuePolicy:QueuePolicy":
        case "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy":
            // Their id is the queue's URL; they have no ARN.
            return { id: inputs.queueUrl, state: {} };
        default:
            // No invented ARN: a type without a shape here gets an id only, and MOCKED_TYPES' test flags it.
            return { id: `${name}-id`, state: {} };
    }
}

/** The bus name of an `eventBusName` input: a name, an ARN, or absent ("default"). */
function busNameOf(value: unknown): string {
    if (typeof value !== "string" || value === "") return "default";
    return /:event-bus\/(.+)$/.exec(value)?.[1] ?? value;
}

/** The AWS types {@link providerState} shapes as the provider would (the rest get an id only). */
export const MOCKED_TYPES: readonly string[] = [
    "aws:sqs/queue:Queue",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    "aws:dynamodb/table:Table",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:cloudwatch/dashboard:Dashboard",
    "aws:cloudwatch/eventBus:EventBus",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:cloudwatch/eventArchive:EventArchive",
    "aws:lambda/function:Function",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:lambda/permission:Permission",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:apigatewayv2/api:Api",
    "aws:apigatewayv2/stage:Stage",
    "aws:apigatewayv2/authorizer:Authorizer",
    "aws:apigatewayv2/integration:Integration",
    "aws:apigatewayv2/route:Route",
    "aws:sns/topic:Topic",
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:sesv2/emailIdentity:EmailIdentity",
    "aws:sesv2/configurationSet:ConfigurationSet",
    "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
    "aws:sesv2/accountSuppressionAttributes:AccountSuppressionAttributes",
    "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes",
    "aws:route53/record:Record",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:ses/emailIdentity:EmailIdentity",
    "aws:kms/key:Key",
    "aws:sfn/stateMachine:StateMachine",
    "aws:cognito/userPool:UserPool",
    "aws:cognito/userPoolClient:UserPoolClient",
];

/** Answers provider function calls the way the mocked account and region would. */
function mockCall(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    switch (args.token) {
        case "aws:index/getRegion:getRegion":
            return { id: MOCK_REGION, name: MOCK_REGION, region: MOCK_REGION, description: "US East (N. Virginia)", endpoint: `ec2.${MOCK_REGION}.amazonaws.com` };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { id: MOCK_ACCOUNT_ID, accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/test`, userId: "AIDATEST" };
        case "aws:index/getPartition:getPartition":
            return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
        default:
            throw new Error(`pulumi-mocks: no mock for the call ${args.token}`);
    }
}

/** Replaces `{ [sig]: secret, value }` wrappers by their value, recursively. */
function unwrapSecrets(value: any): any {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        if (value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return unwrapSecrets(value.value);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** The records of the program being recorded, or undefined between recordings. */
let active: MutableRecord[] | undefined;
/** Latest state by URN, so that registerResourceOutputs can update a component's record. */
const byUrn = new Map<string, MutableRecord>();
/** The state the mocked provider returned for the registration in flight, keyed by type and name. */
const pendingState = new Map<string, { id: string | undefined; state: Record<string, any> }>();
let installed = false;

const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const inputs = unwrapSecrets(args.inputs);
        if (!args.custom) {
            pendingState.set(`${args.type}::${args.name}`, { id: undefined, state: {} });
            return { id: undefined, state: {} };
        }
        const { id, state } = providerState({ ...args, inputs });
        const result = { id, state: { ...inputs, ...state, id } };
        pendingState.set(`${args.type}::${args.name}`, result);
        return result;
    },
    call: mockCall,
};

/**
 * Installs the mocks, once per process (later calls do nothing). Loading this module already calls
 * it, so that anything loaded afterwards that reads the stack or config at load time sees the mocks.
 */
export function installMocks(): void {
    if (installed) return;
    installed = true;
    // setMocks installs the monitor synchronously; its returned promise only flags features.
    void pulumi.runtime.setMocks(mocks, MOCK_PROJECT, MOCK_STACK, false);
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    // Wrap the mock monitor to learn what the Mocks interface does not pass: the parent URN and
    // the dependencies. The record is made once the monitor has answered, with the URN it chose.
    monitor.registerResource = (req: any, callback: (err: any, res: any) => void) =>
        register(req, (err: any, res: any) => {
            if (!err) {
                const key = `${req.getType()}::${req.getName()}`;
                const answered = pendingState.get(key) ?? { id: undefined, state: {} };
                pendingState.delete(key);
                const record: MutableRecord = {
                    type: req.getType(),
                    name: req.getName(),
                    urn: res.getUrn(),
                    custom: req.getCustom(),
                    inputs: unwrapSecrets(pulumi.runtime.deserializeProperties(req.getObject())),
                    state: answered.state,
                    parent: req.getParent() || undefined,
                    id: answered.id,
                    dependencies: req.getDependenciesList(),
                };
                byUrn.set(record.urn, record);
                active?.push(record);
            }
            callback(err, res);
        });
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: any, res: any) => void) => {
        const record = byUrn.get(req.getUrn());
        if (record && req.getOutputs()) {
            record.state = unwrapSecrets(pulumi.runtime.deserializeProperties(req.getOutputs()));
        }
        return registerOutputs(req, callback);
    };
}

/** Resolves once every registration and output registration queued so far has completed. */
async function settle(): Promise<void> {
    // waitForRPCs is exported by the runtime's settings module but not declared in its types.
    const settings = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}

/** Resolves every Output among the own properties of what the program returned (one level). */
async function awaitReturnedOutputs(value: unknown): Promise<void> {
    if (!value || typeof value !== "object") return;
    const outputs = Object.fromEntries(Object.entries(value).filter(([, v]) => pulumi.Output.isInstance(v)));
    // serializeProperties awaits every Output and rejects if one of them failed.
    await pulumi.runtime.serializeProperties("recordProgram", outputs);
}

installMocks();

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `build` (a program, e.g. `() => new OrderPipeline("orders", args)`), waits until every
 * registration, every registered output and every Output property of what `build` returned has
 * settled, and returns every resource registered meanwhile, in registration order. Rejects if
 * `build` throws or one of those outputs fails. Calls run one after another, never interleaved.
 */
export function recordProgram(build: () => unknown): Promise<RecordedResource[]> {
    installMocks();
    const run = queue.then(async () => {
        // Registrations left over from earlier code (e.g. a constructor that threw) land first.
        await settle();
        const records: MutableRecord[] = [];
        const failures: unknown[] = [];
        const onRejection = (reason: unknown) => failures.push(reason);
        process.on("unhandledRejection", onRejection);
        active = records;
        try {
            const result = build();
            await awaitReturnedOutputs(result);
            await settle();
            await awaitReturnedOutputs(result);
        } catch (error) {
            failures.unshift(error);
        }
        try {
            // Even after a failure, let the program's other operations finish and their
            // rejections reach the listener, so that none escapes into a later test.
            await settle();
            await new Promise((resolve) => setImmediate(resolve));
            await new Promise((resolve) => setImmediate(resolve));
        } finally {
            active = undefined;
            process.off("unhandledRejection", onRejection);
        }
        if (failures.length > 0) throw failures[0];
        return records as RecordedResource[];
    });
    queue = run.catch(() => undefined);
    return run;
}

/** The resources of one type, in registration order. */
export function resourcesOfType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

/** The one resource with this type and logical name; throws if there is none or more than one. */
export function findResource(resources: readonly RecordedResource[], type: string, name: string): RecordedResource {
    const found = resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        const names = resourcesOfType(resources, type).map((r) => r.name);
        throw new Error(`expected one ${type} named ${name}, found ${found.length} (names of that type: ${names.join(", ") || "none"})`);
    }
    return found[0];
}

/** Counts resources by type, sorted by type: handy for reports and for shape assertions. */
export function countByType(resources: readonly RecordedResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of [...resources].sort((a, b) => a.type.localeCompare(b.type))) {
        counts[r.type] = (counts[r.type] ?? 0) + 1;
    }
    return counts;
}

/**
 * The files of an `AssetArchive` input (e.g. a Lambda function's `code`) as name -> text, awaiting
 * each `StringAsset`. Throws for any other kind of archive or asset.
 */
export async function archiveFiles(archive: unknown): Promise<Record<string, string>> {
    if (!(archive instanceof pulumi.asset.AssetArchive)) throw new Error("expected an AssetArchive");
    const files: Record<string, string> = {};
    for (const [name, entry] of Object.entries(await archive.assets)) {
        if (!(entry instanceof pulumi.asset.StringAsset)) throw new Error(`expected ${name} to be a StringAsset`);
        files[name] = await entry.text;
    }
    return files;
}
