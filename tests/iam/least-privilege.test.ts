/**
 * Least privilege, proven with an IAM policy simulator (`@cloud-copilot/iam-simulate`) for every
 * role (each function, each state machine, each bus target) in each option variant:
 * - sufficiency: every call the handlers were recorded making at the emulators, every call a
 *   state machine's Task states make, and every call AWS makes with a role is allowed;
 * - minimality: every (action, resource) pair a role allows is exercised by one of those calls;
 * - near-misses (another table, queue, sender, source, machine, a destructive action, `iam:*`,
 *   plain HTTP...) are denied.
 */
import { recordProgram } from "../support/pulumi-mocks";
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { OrderPipeline, type OrderPipelineArgs } from "../../components";
import { LOG_DELIVERY_ACTIONS } from "../../components/workflows/workflow-defaults";
import { decodeWireRequest, definitionCalls, type ApiCall } from "./support/api-calls";
import { listOf, readDeployment, type Deployment, type PolicyDocument } from "./support/deployment";
import { recordHandlerCalls, type HandlerOptions, type HandlerRecording, type LocalNames } from "./support/handler-scenarios";
import { nearMisses } from "./support/near-misses";
import { authorize, awsRequirements, resourceMatches, simulate, simulateService, type AuthorizedRequest, type ServiceRequest } from "./support/simulate";

const KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const PARTNER_BUS = "arn:aws:events:us-east-1:210987654321:event-bus/analytics";
const SENDER = "orders@example.com";

const CROSS_ACCOUNT = { name: "analytics", pattern: { source: ["order-pipeline"] }, target: { eventBusArn: PARTNER_BUS } };
const ALL_SUBSCRIBERS = [
    { name: "billing", pattern: { "detail-type": ["OrderPlaced"] }, target: { queueArn: "arn:aws:sqs:us-east-1:123456789012:billing" } },
    { name: "notify", pattern: { "detail-type": ["OrderShipped"] }, target: { functionArn: "arn:aws:lambda:us-east-1:123456789012:function:notify" } },
    CROSS_ACCOUNT,
];

/** The option variants, and the options the handlers run with in each. */
const VARIANTS: Record<string, { readonly args: OrderPipelineArgs; readonly handlers: HandlerOptions }> = {
    defaults: { args: {}, handlers: { email: false, events: false, workflows: false, auth: false } },
    "every option on": {
        args: {
            email: { sender: SENDER },
            events: { subscribers: ALL_SUBSCRIBERS },
            workflows: {},
            auth: { cognito: {} },
            encryption: { kmsKeyArn: KMS_KEY_ARN },
            tracing: true,
        },
        handlers: { email: true, events: true, workflows: true, auth: true },
    },
    "a KMS key": { args: { encryption: { kmsKeyArn: KMS_KEY_ARN } }, handlers: { email: false, events: false, workflows: false, auth: false } },
    tracing: { args: { tracing: true }, handlers: { email: false, events: false, workflows: false, auth: false } },
    "a cross-account subscriber": { args: { events: { subscribers: [CROSS_ACCOUNT] } }, handlers: { email: false, events: true, workflows: false, auth: false } },
};

/** The bus policy docs/security.md tells the owner of another account's bus to add (its JSON block after the marker). */
function documentedPartnerBusPolicy(forwarderRoleArn: string): PolicyDocument {
    const page = fs.readFileSync(path.join(__dirname, "../../docs/security.md"), "utf8");
    const block = /<!-- cross-account bus policy -->\s*```json\n([\s\S]*?)```/.exec(page);
    if (!block) throw new Error("docs/security.md has no cross-account bus policy block");
    return JSON.parse(
        block[1]
            .replaceAll("<forwarding role ARN>", forwarderRoleArn)
            .replaceAll("<target bus ARN>", PARTNER_BUS),
    );
}

/** The recorded calls with the local names replaced by the deployed ones. */
function renamed(calls: readonly ApiCall[], names: LocalNames, deployment: Deployment): ApiCall[] {
    const machine = (middle: string) => [...deployment.stateMachines.values()].find((arn) => arn.includes(`:stateMachine:orders-${middle}-`));
    const queueUrl = [...deployment.queues].find(([, arn]) => arn === deployment.orderQueueArn)![0];
    const replacements = new Map<string, string | undefined>([
        [names.tableName, [...deployment.tables.keys()][0]],
        [names.queueUrl, queueUrl],
        [names.eventBusName, [...deployment.buses.keys()][0]],
        [names.configurationSetName, [...deployment.configurationSets.keys()][0]],
        [names.shippingStateMachineArn, machine("ship-sm")],
        [names.refundStateMachineArn, machine("refund-sm")],
    ]);
    const rename = (value: unknown): unknown =>
        typeof value === "string"
            ? (replacements.get(value) ?? value)
            : Array.isArray(value)
              ? value.map(rename)
              : value && typeof value === "object"
                ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]))
                : value;
    return calls.map((call) => ({ ...call, params: rename(call.params) as Record<string, unknown> }));
}

/** `caller action resource` of a request, for messages. */
const label = (r: AuthorizedRequest) => `${r.caller} ${r.action} ${r.resource} ${JSON.stringify(r.context)} (${r.origin})`;

/** Every (caller, action, resource pattern) an Allow statement of a role grants. */
function allowedPairs(deployment: Deployment): { caller: string; sid: string; action: string; resource: string }[] {
    return Object.values(deployment.roles).flatMap((role) =>
        role.policies.flatMap(({ policy }) =>
            policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) =>
                listOf(s.Action).flatMap((action) => listOf(s.Resource).map((resource) => ({ caller: role.caller, sid: s.Sid ?? "", action, resource }))),
            ),
        ),
    );
}

/** Figures of the whole run, printed once at the end. */
const totals = { variants: 0, roles: 0, wire: 0, tasks: 0, onBehalf: 0, checked: 0, allowed: 0, awsListed: 0, nearMisses: 0, nearMissesDenied: 0, pairs: 0, pairsByCode: 0, unexercised: 0 };

describe("least privilege, simulated with @cloud-copilot/iam-simulate", function () {
    this.timeout(120_000);
    const recordings = new Map<string, Promise<HandlerRecording>>();
    const recording = (options: HandlerOptions) => {
        const key = JSON.stringify(options);
        if (!recordings.has(key)) recordings.set(key, recordHandlerCalls(options));
        return recordings.get(key)!;
    };

    // The recordings are independent: run them side by side.
    before(() => {
        for (const { handlers } of Object.values(VARIANTS)) void recording(handlers).catch(() => undefined);
    });

    after(() => {
        if (totals.variants === Object.keys(VARIANTS).length) {
            console.log(
                `      least privilege: ${totals.roles} roles x variants; calls allowed ${totals.allowed}/${totals.checked} ` +
                    `(${totals.wire} recorded over the wire, ${totals.tasks} from Task states, ${totals.onBehalf} KMS calls on their behalf, ${totals.awsListed} listed AWS calls); ` +
                    `near-misses denied ${totals.nearMissesDenied}/${totals.nearMisses}; allowed pairs ${totals.pairs} ` +
                    `(${totals.pairsByCode} used by the code, ${totals.pairs - totals.pairsByCode - totals.unexercised} only by the listed AWS calls, ${totals.unexercised} by nothing)`,
            );
        }
    });

    for (const [variant, { args, handlers }] of Object.entries(VARIANTS)) {
        describe(`${variant}`, () => {
            let deployment: Deployment;
            let code: AuthorizedRequest[];
            let aws: AuthorizedRequest[];

            before(async () => {
                const [resources, recorded] = await Promise.all([recordProgram(() => new OrderPipeline("orders", args)), recording(handlers)]);
                deployment = readDeployment(resources, "orders");
                // The handlers ran with the variables the deployed functions get.
                for (const [kind, names] of Object.entries(recorded.environmentNames)) {
                    expect(Object.keys(deployment.functions[kind].environment).sort(), kind).to.deep.equal(names);
                }
                const calls = [
                    ...renamed(recorded.calls, recorded.names, deployment),
                    ...Object.entries(deployment.definitions).flatMap(([caller, definition]) => definitionCalls(caller, definition)),
                ];
                code = calls.flatMap((call) => authorize(call, deployment));
                aws = awsRequirements(deployment);
                // The partner's bus lets the forwarding role in only through the policy its owner adds.
                aws = aws.map((r) => (r.resource === PARTNER_BUS ? { ...r, resourcePolicy: documentedPartnerBusPolicy(deployment.roles[r.caller].arn) } : r));
            });

            it("should have a role for every function, state machine and bus target, each with calls to check", () => {
                const expected = [
                    "submit",
                    "process",
                    "get",
                    ...(handlers.email ? ["ses-events"] : []),
                    ...(handlers.workflows ? ["refund", "ship-sm", "refund-sm"] : []), ...("events" in args ? args.events!.subscribers!.filter((s) => "eventBusArn" in s.target).map((s) => s.name) : [])];
                expect(Object.keys(deployment.roles).sort()).to.deep.equal(expected.sort());
                for (const caller of expected) expect([...code, ...aws].some((r) => r.caller === caller), caller).to.equal(true);
                totals.roles += expected.length;
            });

            it("should allow every call the code makes and every call AWS makes with a role", async () => {
                const denied: string[] = [];
                for (const request of [...code, ...aws]) if ((await simulate(request, deployment)) !== "Allowed") denied.push(label(request));
                expect(denied).to.deep.equal([]);
                totals.wire += code.filter((r) => r.origin === "over the wire").length;
                totals.tasks += code.filter((r) => r.origin.startsWith("Task state")).length;
                totals.onBehalf += code.filter((r) => r.action.startsWith("kms:")).length;
                totals.awsListed += aws.length;
                totals.checked += code.length + aws.length;
                totals.allowed += code.length + aws.length - denied.length;
            });

            it("should allow no (action, resource) pair that no call exercises", () => {
                const exercised = [...code, ...aws];
                const pairs = allowedPairs(deployment);
                const unexercised = pairs.filter((p) => !exercised.some((r) => r.caller === p.caller && r.action.toLowerCase() === p.action.toLowerCase() && resourceMatches(p.resource, r.resource)));
                expect(unexercised.map((p) => `${p.caller} ${p.sid}: ${p.action} on ${p.resource}`)).to.deep.equal([]);
                totals.pairs += pairs.length;
                totals.pairsByCode += pairs.filter((p) => code.some((r) => r.caller === p.caller && r.action.toLowerCase() === p.action.toLowerCase() && resourceMatches(p.resource, r.resource))).length;
                totals.unexercised += unexercised.length;
            });

            it("should allow no condition value that no call uses (each source, detail-type, From address, KMS path)", () => {
                const exercised = [...code, ...aws];
                const unused: string[] = [];
                for (const role of Object.values(deployment.roles)) {
                    for (const { policy } of role.policies) {
                        for (const statement of policy.Statement.filter((s) => s.Effect === "Allow")) {
                            for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
                                if (!/StringEquals$/.test(operator)) continue;
                                for (const [key, values] of Object.entries(keys)) {
                                    for (const value of listOf(values)) {
                                        const used = exercised.some(
                                            (r) => r.caller === role.caller && listOf(statement.Action).includes(r.action) && listOf(r.context[key] as string | string[]).includes(value),
                                        );
                                        if (!used) unused.push(`${role.caller} ${statement.Sid}: ${key} = ${value}`);
                                    }
                                }
                            }
                        }
                    }
                }
                expect(unused).to.deep.equal([]);
            });

            it("should deny every near-miss", async () => {
                const misses = nearMisses(deployment, [...code, ...aws]);
                // The near-misses the issue names are among them, for every role they concern.
                const has = (caller: string, action: string, resource: RegExp, context?: (c: AuthorizedRequest["context"]) => boolean) =>
                    expect(
                        misses.some((m) => m.caller === caller && m.action === action && resource.test(m.resource) && (context?.(m.context) ?? true)),
                        `${caller} ${action} ${resource}`,
                    ).to.equal(true);
                for (const caller of Object.keys(deployment.roles)) has(caller, "iam:PassRole", /:role\//);
                has("submit", "sqs:DeleteMessage", /:orders-queue-/);
                has("submit", "sqs:SendMessage", /:other-queue$/);
                for (const action of ["dynamodb:Scan", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]) has("process", action, /:table\/orders-table-/);
                has("process", "dynamodb:PutItem", /:table\/other-orders$/);
                has("get", "dynamodb:GetItem", /:table\/other-orders$/);
                if (handlers.email) has("process", "ses:SendEmail", /:identity\//, (c) => c["ses:FromAddress"] === "ceo@example.com");
                if (handlers.events) has("process", "events:PutEvents", /:event-bus\//, (c) => String(c["events:source"]) === "aws.partner.other");
                if (handlers.workflows) {
                    has("process", "states:StartExecution", /:stateMachine:orders-refund-sm-/);
                    has("refund", "states:StartExecution", /:stateMachine:orders-ship-sm-/);
                    has("ship-sm", "events:PutEvents", /:event-bus\//, (c) => String(c["events:detail-type"]) === "OrderRefunded");
                }
                const allowed: string[] = [];
                for (const miss of misses) if ((await simulate(miss, deployment)) === "Allowed") allowed.push(label(miss));
                expect(allowed).to.deep.equal([]);
                totals.nearMisses += misses.length;
                totals.nearMissesDenied += misses.length - allowed.length;
                totals.variants++;
            });
        });
    }

    it("should be described in the docs as it runs: five variants, the eight log delivery actions granted on \"*\"", () => {
        const security = fs.readFileSync(path.join(__dirname, "../../docs/security.md"), "utf8");
        const readme = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");
        expect(Object.keys(VARIANTS)).to.have.length(5);
        expect(security).to.contain("in five variants (defaults; every option on; a KMS key; tracing; a cross-account subscriber)");
        expect(LOG_DELIVERY_ACTIONS).to.have.length(8);
        expect(readme).to.contain("the eight CloudWatch\nLogs delivery actions");
        for (const action of LOG_DELIVERY_ACTIONS) expect(security).to.contain(action.replace("logs:", ""));
    });

    describe("SES publishing delivery events and SNS delivering them, under the topic's and the queue's policies", () => {
        let deployment: Deployment;
        let topicArn: string;
        let configurationSetArn: string;
        before(async () => {
            deployment = readDeployment(await recordProgram(() => new OrderPipeline("orders", VARIANTS["every option on"].args)), "orders");
            topicArn = [...deployment.resourcePolicies.keys()].find((arn) => /:sns:[^:]+:\d+:orders-ses-events/.test(arn))!;
            configurationSetArn = [...deployment.configurationSets.values()][0];
        });
        const tls = { "aws:SecureTransport": "true" };
        const publish = (change: Partial<ServiceRequest> = {}, context: Record<string, string> = {}): ServiceRequest => ({
            service: "ses.amazonaws.com",
            action: "sns:Publish",
            resource: topicArn,
            context: { ...tls, "aws:SourceAccount": deployment.account, "aws:SourceArn": configurationSetArn, ...context },
            ...change,
        });
        const send = (change: Partial<ServiceRequest> = {}, context: Record<string, string> = {}): ServiceRequest => ({
            service: "sns.amazonaws.com",
            action: "sqs:SendMessage",
            resource: deployment.emailEventsQueueArn!,
            context: { ...tls, "aws:SourceArn": topicArn, "aws:SourceAccount": deployment.account, ...context },
            ...change,
        });

        it("should let SES publish the configuration set's events to the topic, and SNS send them to the queue", async () => {
            expect(topicArn, "the email-events topic").to.be.a("string");
            expect(await simulateService(publish(), deployment)).to.equal("Allowed");
            expect(await simulateService(send(), deployment)).to.equal("Allowed");
        });

        it("should deny the near-misses: another configuration set or account, plain HTTP, another service, another topic or queue", async () => {
            const otherSet = configurationSetArn.replace(/configuration-set\/.*$/, "configuration-set/other");
            const misses: Array<[string, ServiceRequest]> = [
                ["another configuration set", publish({}, { "aws:SourceArn": otherSet })],
                ["another account", publish({}, { "aws:SourceAccount": "210987654321" })],
                ["plain HTTP", publish({}, { "aws:SecureTransport": "false" })],
                ["another service publishing", publish({ service: "events.amazonaws.com" })],
                ["SES sending to the queue itself", send({ service: "ses.amazonaws.com" }, { "aws:SourceArn": configurationSetArn })],
                ["another topic sending to the queue", send({}, { "aws:SourceArn": topicArn.replace(/[^:]+$/, "other-topic") })],
                ["the topic sending over plain HTTP", send({}, { "aws:SecureTransport": "false" })],
                ["the topic sending to the order queue", send({ resource: deployment.orderQueueArn })],
                ["the topic sending to the email-events DLQ", send({ resource: [...deployment.queues.values()].find((arn) => /orders-ses-events-dlq/.test(arn))! })],
            ];
            const allowed: string[] = [];
            for (const [name, request] of misses) if ((await simulateService(request, deployment)) === "Allowed") allowed.push(name);
            expect(allowed).to.deep.equal([]);
        });
    });

    describe("forwarding to another account's bus", () => {
        it("should be denied until the bus's owner adds the statement docs/security.md gives, and allowed for no other role", async () => {
            const deployment = readDeployment(await recordProgram(() => new OrderPipeline("orders", VARIANTS["a cross-account subscriber"].args)), "orders");
            const forward = awsRequirements(deployment).find((r) => r.caller === "analytics")!;
            expect(forward.resource).to.equal(PARTNER_BUS);
            expect(await simulate(forward, deployment)).to.equal("ImplicitlyDenied");
            const policy = documentedPartnerBusPolicy(deployment.roles.analytics.arn);
            expect(await simulate({ ...forward, resourcePolicy: policy }, deployment)).to.equal("Allowed");
            expect(await simulate({ ...forward, caller: "process", resourcePolicy: policy }, deployment)).to.equal("ImplicitlyDenied");
        });
    });

    describe("the recording is the source of truth", () => {
        it("should deny a call a handler starts making that its role does not grant (a DeleteItem from ProcessOrder)", async () => {
            const resources = await recordProgram(() => new OrderPipeline("orders", {}));
            const deployment = readDeployment(resources, "orders");
            const table = [...deployment.tables.keys()][0];
            const call = decodeWireRequest({
                caller: "process",
                service: "dynamodb",
                method: "POST",
                path: "/",
                target: "DynamoDB_20120810.DeleteItem",
                contentType: "application/x-amz-json-1.0",
                body: JSON.stringify({ TableName: table, Key: { orderId: { S: "x" } } }),
            });
            const [request] = authorize(call, deployment);
            expect(request.action).to.equal("dynamodb:DeleteItem");
            expect(await simulate(request, deployment)).to.equal("ImplicitlyDenied");
        });

        it("should refuse to guess a call it cannot decode or a resource it cannot name", () => {
            expect(() => decodeWireRequest({ caller: "process", service: "s3", method: "GET", path: "/b", target: undefined, contentType: "", body: "" })).to.throw('service "s3"');
            expect(() => decodeWireRequest({ caller: "process", service: "ses", method: "POST", path: "/v2/email/unknown", target: undefined, contentType: "application/json", body: "{}" })).to.throw("cannot tell");
        });

        it("should read SES v1 (query) and SES v2 (REST) SendEmail as ses:SendEmail with the From address", () => {
            const v1 = decodeWireRequest({ caller: "process", service: "ses", method: "POST", path: "/", target: undefined, contentType: "application/x-www-form-urlencoded; charset=utf-8", body: "Action=SendEmail&Source=Shop%20%3Corders%40example.com%3E&Version=2010-12-01" });
            const v2 = decodeWireRequest({ caller: "process", service: "ses", method: "POST", path: "/v2/email/outbound-emails", target: undefined, contentType: "application/json", body: JSON.stringify({ FromEmailAddress: SENDER }) });
            expect([v1.action, v1.sesApiVersion, v2.action, v2.sesApiVersion]).to.deep.equal(["ses:SendEmail", "1", "ses:SendEmail", "2"]);
        });
    });
});
