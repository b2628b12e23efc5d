/**
 * Shared by the component tests: records an OrderPipeline under the mocks and reads what the tests
 * assert on (inputs by type and name, parsed policy documents, Output values).
 */
// First: loading the mocks module installs the mocks before the component is loaded.
import { recordProgram, findResource, type RecordedResource } from "../support/pulumi-mocks";
import * as pulumi from "@pulumi/pulumi";
import { OrderPipeline, type OrderPipelineArgs } from "../../components";

/** Type tokens of the resources the component creates. */
export const T = {
    pipeline: "order-pipeline:index:OrderPipeline",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    redriveAllow: "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    table: "aws:dynamodb/table:Table",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    function: "aws:lambda/function:Function",
    eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    permission: "aws:lambda/permission:Permission",
    api: "aws:apigatewayv2/api:Api",
    stage: "aws:apigatewayv2/stage:Stage",
    integration: "aws:apigatewayv2/integration:Integration",
    route: "aws:apigatewayv2/route:Route",
    emailIdentity: "aws:sesv2/emailIdentity:EmailIdentity",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
} as const;

/** The three function roles. */
export const ROLES = ["submit", "process", "get"] as const;

/** A recorded pipeline: the component object and every resource it registered. */
export interface RecordedPipeline {
    readonly pipeline: OrderPipeline;
    readonly resources: RecordedResource[];
    /** The one resource of this type and logical name. */
    get(type: string, name: string): RecordedResource;
    /** The parsed statements of a function role's inline policy (`<name>-<role>-policy`). */
    statements(role: string): any[];
}

/** Builds `new OrderPipeline(name, args)` under the mocks and waits for everything to settle. */
export async function recordPipeline(args: OrderPipelineArgs = {}, name = "orders"): Promise<RecordedPipeline> {
    let pipeline: OrderPipeline | undefined;
    const resources = await recordProgram(() => (pipeline = new OrderPipeline(name, args)));
    const get = (type: string, logicalName: string) => findResource(resources, type, logicalName);
    return {
        pipeline: pipeline!,
        resources,
        get,
        statements: (role) => JSON.parse(get(T.rolePolicy, `${name}-${role}-policy`).inputs.policy).Statement,
    };
}

/** The value of an Output (it must be known; it always is under non-preview mocks). */
export function valueOf<V>(output: pulumi.Output<V>): Promise<V> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Every statement of every role policy among the resources. */
export function allStatements(resources: readonly RecordedResource[]): any[] {
    return resources
        .filter((r) => r.type === T.rolePolicy)
        .flatMap((r) => JSON.parse(r.inputs.policy).Statement);
}

/** A statement's actions as a list (IAM allows a string or a list). */
export function actionsOf(statement: any): string[] {
    return [statement.Action].flat();
}

/** A statement's resources as a list (IAM allows a string or a list). */
export function resourcesOf(statement: any): string[] {
    return [statement.Resource].flat();
}
