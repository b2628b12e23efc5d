/**
 * Near-misses: requests one step away from what a caller really does, each of which its role must
 * deny. They are derived from the caller's own allowed requests (another table or queue, a
 * destructive sibling action, another sender, source, detail-type or machine, plain HTTP, another
 * KMS path) plus what no role may ever do (`iam:*`), so a new call brings its near-misses along.
 */
import { ORDER_EVENT_SOURCE, ORDER_EVENT_TYPES } from "../../../handlers/events/order-events";
import type { Deployment } from "./deployment";
import type { AuthorizedRequest } from "./simulate";

/** Sibling actions that must stay denied next to an allowed one, by service (unless the caller really uses them). */
const SIBLINGS: Readonly<Record<string, readonly string[]>> = {
    dynamodb: ["dynamodb:Scan", "dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:DeleteTable"],
    sqs: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:PurgeQueue", "sqs:SetQueueAttributes", "sqs:SendMessage"],
    ses: ["ses:SendRawEmail", "ses:SendTemplatedEmail", "ses:SendBulkEmail"],
    states: ["states:StartSyncExecution", "states:DeleteStateMachine", "states:UpdateStateMachine"],
};

/** Sibling actions on an execution (a resource of its own type in IAM), next to an allowed one. */
const EXECUTION_SIBLINGS: readonly string[] = ["states:RedriveExecution", "states:GetExecutionHistory", "states:DescribeExecution"];

/** Replaces the last path segment of an ARN's resource: `...:table/orders-x` -> `...:table/other-orders`. */
function otherResource(arn: string): string {
    if (/:table\//.test(arn)) return arn.replace(/table\/.*$/, "table/other-orders");
    if (/:event-bus\//.test(arn)) return arn.replace(/event-bus\/.*$/, "event-bus/default");
    if (/:execution:/.test(arn)) return arn.replace(/execution:[^:]+:/, "execution:other-machine:");
    if (/:stateMachine:/.test(arn)) return arn.replace(/stateMachine:.*$/, "stateMachine:other-machine");
    if (/:identity\//.test(arn)) return arn.replace(/identity\/.*$/, "identity/other.example.net");
    if (/:sqs:/.test(arn)) return arn.replace(/[^:]+$/, "other-queue");
    if (/:kms:/.test(arn)) return arn.replace(/key\/.*$/, "key/00000000-0000-4000-8000-000000000000");
    return arn;
}

/** The near-misses of every caller, given the requests each is allowed and really makes. */
export function nearMisses(deployment: Deployment, used: readonly AuthorizedRequest[]): AuthorizedRequest[] {
    const out = new Map<string, AuthorizedRequest>();
    const add = (request: AuthorizedRequest) => {
        const key = JSON.stringify([request.caller, request.action, request.resource, request.context]);
        if (!used.some((u) => JSON.stringify([u.caller, u.action, u.resource, u.context]) === key)) out.set(key, request);
    };
    const usedBy = (caller: string, action: string, resource: string) => used.some((u) => u.caller === caller && u.action === action && u.resource === resource);

    for (const request of used) {
        if (request.resource === "*") continue;
        const miss = (what: string, change: Partial<AuthorizedRequest>) => add({ ...request, origin: `near-miss: ${what} (next to ${request.action} from ${request.origin})`, ...change });
        const service = request.action.split(":")[0];
        // Another resource of the same kind.
        const other = otherResource(request.resource);
        if (other !== request.resource) miss("another resource", { resource: other });
        // A destructive or broader sibling on the same resource.
        const siblings = /:states:.*:execution:/.test(request.resource) ? EXECUTION_SIBLINGS : (SIBLINGS[service] ?? []);
        for (const sibling of siblings) {
            if (!usedBy(request.caller, sibling, request.resource)) miss(sibling, { action: sibling });
        }
        // The same call without TLS: refused by the queue and topic policies.
        if (JSON.stringify(deployment.resourcePolicies.get(request.resource) ?? {}).includes("aws:SecureTransport")) {
            miss("over plain HTTP", { context: { ...request.context, "aws:SecureTransport": "false" } });
        }
        if ("ses:FromAddress" in request.context) miss("another From address", { context: { ...request.context, "ses:FromAddress": "ceo@example.com" } });
        if ("events:source" in request.context) {
            miss("another source", { context: { ...request.context, "events:source": ["aws.partner.other"] } });
            miss("the pipeline's source beside another", { context: { ...request.context, "events:source": [ORDER_EVENT_SOURCE, "other.application"] } });
            const own = request.context["events:detail-type"] as readonly string[];
            for (const detailType of [...Object.values(ORDER_EVENT_TYPES), "PaymentCaptured"].filter((t) => !own.includes(t))) {
                if (!used.some((u) => u.caller === request.caller && ((u.context["events:detail-type"] as string[] | undefined) ?? []).includes(detailType))) {
                    miss(`detail-type ${detailType}`, { context: { ...request.context, "events:detail-type": [detailType] } });
                }
            }
            miss("no source or detail-type", { context: { "aws:SecureTransport": "true" } });
        }
        if ("kms:ViaService" in request.context) miss("through another service", { context: { ...request.context, "kms:ViaService": `s3.${deployment.region}.amazonaws.com` } });
        // Another of the stack's machines than the one the caller starts.
        if (request.action === "states:StartExecution") {
            for (const machine of deployment.stateMachines.values()) if (!usedBy(request.caller, request.action, machine)) miss("another machine", { resource: machine });
            // Stopping the machine's executions, unless the caller really does.
            const executions = `${request.resource.replace(":stateMachine:", ":execution:")}:`;
            if (!used.some((u) => u.caller === request.caller && u.action === "states:StopExecution" && u.resource.startsWith(executions))) {
                miss("states:StopExecution", { action: "states:StopExecution", resource: `${executions}example` });
            }
        }
        // Every other queue of the stack.
        if (service === "sqs") {
            for (const queue of deployment.queues.values()) if (!usedBy(request.caller, request.action, queue)) miss("another of the stack's queues", { resource: queue });
        }
    }
    // What no role may do: change IAM.
    for (const [caller, role] of Object.entries(deployment.roles)) {
        const iam = (action: string, resource: string) => add({ caller, origin: `near-miss: ${action}`, action, resource, context: { "aws:SecureTransport": "true" } });
        iam("iam:PassRole", role.arn);
        iam("iam:PutRolePolicy", role.arn);
        iam("iam:AttachRolePolicy", role.arn);
        iam("iam:CreateRole", `arn:aws:iam::${deployment.account}:role/escalated`);
        iam("iam:CreateAccessKey", `arn:aws:iam::${deployment.account}:user/admin`);
    }
    return [...out.values()];
}
