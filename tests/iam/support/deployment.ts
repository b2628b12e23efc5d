/**
 * What IAM evaluates, read from the resources the mocked OrderPipeline registers: each role with
 * the callers that use it (a function, a state machine, an EventBridge target) and its inline
 * policies, the resource policies (queues, topics, buses), and the deployed ARN of every table,
 * queue, bus, SES identity and state machine by the names the code uses for them.
 */
import { expect } from "chai";
import type { RecordedResource } from "../../support/pulumi-mocks";

/** A policy document as IAM stores it. */
export type PolicyDocument = { readonly Version?: string; readonly Statement: readonly PolicyStatement[] };

/** One statement. */
export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: unknown;
    readonly Action: string | readonly string[];
    readonly Resource: string | readonly string[];
    readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/** One role and who assumes it. */
export interface DeployedRole {
    /** The caller the role belongs to: `submit`, `process`, `get`, `refund` (functions), `ship-sm`, `refund-sm` (state machines), or a subscriber name (a bus target). */
    readonly caller: string;
    readonly kind: "function" | "state machine" | "bus target";
    readonly arn: string;
    /** The role's inline policies (the component attaches no managed policy). */
    readonly policies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
}

/** The deployed stack as IAM sees it. */
export interface Deployment {
    readonly account: string;
    readonly region: string;
    /** By caller. */
    readonly roles: Readonly<Record<string, DeployedRole>>;
    /** Resource policies by the ARN of the resource they guard. */
    readonly resourcePolicies: ReadonlyMap<string, PolicyDocument>;
    /** Deployed ARNs by the names the code uses (table names, queue URLs, bus names, sender addresses, machine ARNs). */
    readonly tables: ReadonlyMap<string, string>;
    readonly queues: ReadonlyMap<string, string>;
    readonly buses: ReadonlyMap<string, string>;
    readonly identities: ReadonlyMap<string, string>;
    /** SES configuration sets: name -> ARN. */
    readonly configurationSets: ReadonlyMap<string, string>;
    readonly stateMachines: ReadonlyMap<string, string>;
    /** Functions by caller: physical name, log group name, environment. */
    readonly functions: Readonly<Record<string, { readonly name: string; readonly logGroup: string; readonly environment: Readonly<Record<string, string>> }>>;
    /** State machine definitions by caller. */
    readonly definitions: Readonly<Record<string, string>>;
    /** Bus targets by caller (subscriber name): the bus EventBridge forwards to. */
    readonly busTargets: Readonly<Record<string, string>>;
    /** The order queue (the event source mapping's queue). */
    readonly orderQueueArn: string;
    /** The email-events queue (its event source mapping's queue), with email. */
    readonly emailEventsQueueArn: string | undefined;
    readonly kmsKeyArn: string | undefined;
    readonly tracing: boolean;
}

const of = (resources: readonly RecordedResource[], type: string) => resources.filter((r) => r.type === type);

/** The part of a logical name between the component's prefix and a suffix: `orders-ship-sm` -> `ship-sm`. */
function callerOf(logicalName: string, componentName: string, suffix = ""): string {
    return logicalName.slice(componentName.length + 1, logicalName.length - suffix.length);
}

/** Reads the deployment of component `componentName` from the recorded resources. */
export function readDeployment(resources: readonly RecordedResource[], componentName: string): Deployment {
    // The component attaches no managed policy: each role's inline policies are all it has.
    for (const type of ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"]) {
        expect(of(resources, type), type).to.deep.equal([]);
    }
    const users = new Map<string, { caller: string; kind: DeployedRole["kind"] }>();
    const functions: Record<string, Deployment["functions"][string]> = {};
    for (const fn of of(resources, "aws:lambda/function:Function")) {
        const caller = callerOf(fn.name, componentName);
        users.set(fn.inputs.role, { caller, kind: "function" });
        functions[caller] = { name: fn.state.name, logGroup: fn.inputs.loggingConfig.logGroup, environment: fn.inputs.environment?.variables ?? {} };
    }
    const definitions: Record<string, string> = {};
    const stateMachines = new Map<string, string>();
    for (const machine of of(resources, "aws:sfn/stateMachine:StateMachine")) {
        const caller = callerOf(machine.name, componentName);
        users.set(machine.inputs.roleArn, { caller, kind: "state machine" });
        definitions[caller] = machine.inputs.definition;
        stateMachines.set(machine.state.arn, machine.state.arn);
    }
    const busTargets: Record<string, string> = {};
    for (const target of of(resources, "aws:cloudwatch/eventTarget:EventTarget")) {
        if (target.inputs.roleArn === undefined) continue;
        const caller = callerOf(target.name, componentName, "-target");
        users.set(target.inputs.roleArn, { caller, kind: "bus target" });
        busTargets[caller] = target.inputs.arn;
    }

    const roles: Record<string, DeployedRole> = {};
    const rolePolicies = of(resources, "aws:iam/rolePolicy:RolePolicy");
    for (const role of of(resources, "aws:iam/role:Role")) {
        const user = users.get(role.state.arn);
        expect(user, `role ${role.name} is used by no function, state machine or target`).to.not.equal(undefined);
        expect(role.inputs.managedPolicyArns ?? [], role.name).to.deep.equal([]);
        const policies = rolePolicies.filter((p) => p.inputs.role === role.state.name).map((p) => ({ name: p.name, policy: JSON.parse(p.inputs.policy) as PolicyDocument }));
        roles[user!.caller] = { ...user!, arn: role.state.arn, policies };
    }

    const resourcePolicies = new Map<string, PolicyDocument>();
    const queues = new Map<string, string>();
    for (const queue of of(resources, "aws:sqs/queue:Queue")) queues.set(queue.state.url, queue.state.arn);
    for (const policy of of(resources, "aws:sqs/queuePolicy:QueuePolicy")) {
        resourcePolicies.set(queues.get(policy.inputs.queueUrl)!, JSON.parse(policy.inputs.policy));
    }
    for (const policy of of(resources, "aws:sns/topicPolicy:TopicPolicy")) resourcePolicies.set(policy.inputs.arn, JSON.parse(policy.inputs.policy));
    for (const policy of of(resources, "aws:cloudwatch/eventBusPolicy:EventBusPolicy")) {
        const bus = of(resources, "aws:cloudwatch/eventBus:EventBus").find((b) => b.state.name === policy.inputs.eventBusName);
        resourcePolicies.set(bus!.state.arn, JSON.parse(policy.inputs.policy));
    }
    const tables = new Map(of(resources, "aws:dynamodb/table:Table").map((t) => [t.state.name as string, t.state.arn as string]));
    const buses = new Map(of(resources, "aws:cloudwatch/eventBus:EventBus").map((b) => [b.state.name as string, b.state.arn as string]));
    const identities = new Map(of(resources, "aws:sesv2/emailIdentity:EmailIdentity").map((i) => [i.inputs.emailIdentity as string, i.state.arn as string]));
    const configurationSets = new Map(
        of(resources, "aws:sesv2/configurationSet:ConfigurationSet").map((c) => [c.inputs.configurationSetName as string, c.state.arn as string]),
    );
    const orderQueue = of(resources, "aws:sqs/queue:Queue").find((q) => q.name === `${componentName}-queue`)!;
    const emailEventsQueue = of(resources, "aws:sqs/queue:Queue").find((q) => q.name === `${componentName}-ses-events-queue`);
    const table = of(resources, "aws:dynamodb/table:Table")[0];
    const [, , , region, account] = (table.state.arn as string).split(":");
    const kmsKeyArn = table.inputs.serverSideEncryption?.kmsKeyArn as string | undefined;
    const tracing = of(resources, "aws:lambda/function:Function").some((f) => f.inputs.tracingConfig?.mode === "Active");
    // KMS honours IAM policies only when the key policy delegates to the account; the key is the
    // user's, and docs/security.md asks for the default key policy, which does exactly that.
    if (kmsKeyArn !== undefined) resourcePolicies.set(kmsKeyArn, defaultKeyPolicy(account));
    return {
        account,
        region,
        roles,
        resourcePolicies,
        tables,
        queues,
        buses,
        identities,
        configurationSets,
        stateMachines,
        functions,
        definitions,
        busTargets,
        orderQueueArn: orderQueue.state.arn,
        emailEventsQueueArn: emailEventsQueue?.state.arn,
        kmsKeyArn,
        tracing,
    };
}

/** The key policy KMS gives a key created without one: the account's IAM policies decide (KMS Developer Guide, "Default key policy"). */
export function defaultKeyPolicy(account: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }],
    };
}

/** The values of a policy element as a list. */
export function listOf(value: string | readonly string[] | undefined): readonly string[] {
    return value === undefined ? [] : typeof value === "string" ? [value] : value;
}
