import { expect } from "chai";
import { MOCK_REGION } from "../support/pulumi-mocks";
import { actionsOf, allStatements, recordPipeline, resourcesOf, ROLES, T, type RecordedPipeline } from "./pipeline-fixture";
import { ENV } from "../../components";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const SENDER = "orders@example.com";

/** The statement every function has on its own log group. */
function logsStatement(p: RecordedPipeline, role: string) {
    return {
        Sid: "WriteOwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        // CloudWatch Logs authorizes these on the group ARN with a trailing ":*".
        Resource: `${p.get(T.logGroup, `orders-${role}-logs`).state.arn}:*`,
    };
}

/**
 * Checks the least-privilege rules on every statement of every role: no wildcard in any action,
 * and a wildcard resource only where AWS accepts nothing else (X-Ray) or in CloudWatch Logs' own
 * ARN form for a named log group.
 */
function expectNoWildcards(p: RecordedPipeline): void {
    for (const statement of allStatements(p.resources)) {
        expect(statement.Effect).to.equal("Allow");
        expect(statement).not.to.have.any.keys("NotAction", "NotResource");
        for (const action of actionsOf(statement)) expect(action, statement.Sid).not.to.include("*");
        for (const resource of resourcesOf(statement)) {
            if (resource === "*") {
                expect(actionsOf(statement).every((a) => a.startsWith("xray:")), statement.Sid).to.equal(true);
            } else if (resource.includes("*")) {
                expect(resource, statement.Sid).to.match(/^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:\/aws\/lambda\/[\w-]+:\*$/);
            }
            if (resource !== "*") expect(resource, statement.Sid).to.match(/^arn:aws:/);
        }
    }
}

describe("OrderPipeline IAM", () => {
    describe("with default arguments (email off)", () => {
        let p: RecordedPipeline;
        before(async () => {
            p = await recordPipeline();
        });

        it("lets only the Lambda service assume each function's role, and gives every function its own role", () => {
            const arns = new Set<string>();
            for (const role of ROLES) {
                const r = p.get(T.role, `orders-${role}-role`);
                expect(JSON.parse(r.inputs.assumeRolePolicy)).to.deep.equal({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
                });
                expect(r.inputs).not.to.have.any.keys("managedPolicyArns", "inlinePolicies", "permissionsBoundary");
                expect(p.get(T.rolePolicy, `orders-${role}-policy`).inputs.role).to.equal(r.state.name);
                arns.add(p.get(T.function, `orders-${role}`).inputs.role);
            }
            expect(arns.size).to.equal(3);
            // No managed policy attachment, no standalone policy anywhere.
            const types = p.resources.map((r) => r.type);
            expect(types).not.to.include("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
            expect(types).not.to.include("aws:iam/policy:Policy");
            expect(types).not.to.include("aws:iam/policyAttachment:PolicyAttachment");
        });

        it("lets SubmitOrder write its logs and send to the order queue, nothing else", () => {
            expect(p.statements("submit")).to.deep.equal([
                logsStatement(p, "submit"),
                { Sid: "SendToOrderQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: p.get(T.queue, "orders-queue").state.arn },
            ]);
        });

        it("lets ProcessOrder consume the order queue, delay its own retries on it, and get/put/update orders, nothing else", () => {
            expect(p.statements("process")).to.deep.equal([
                logsStatement(p, "process"),
                {
                    Sid: "ConsumeOrderQueue",
                    Effect: "Allow",
                    Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                    Resource: p.get(T.queue, "orders-queue").state.arn,
                },
                { Sid: "DelayOrderRetries", Effect: "Allow", Action: ["sqs:ChangeMessageVisibility"], Resource: p.get(T.queue, "orders-queue").state.arn },
                {
                    Sid: "StoreOrders",
                    Effect: "Allow",
                    Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                    Resource: p.get(T.table, "orders-table").state.arn,
                },
            ]);
        });

        it("lets GetOrder read one order by key, nothing else", () => {
            expect(p.statements("get")).to.deep.equal([
                logsStatement(p, "get"),
                { Sid: "ReadOrders", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: p.get(T.table, "orders-table").state.arn },
            ]);
        });

        it("grants no SES, KMS or X-Ray permission and creates no email identity", () => {
            const actions = allStatements(p.resources).flatMap(actionsOf);
            expect(actions.filter((a) => /^(ses|kms|xray):/.test(a))).to.deep.equal([]);
            expect(p.resources.filter((r) => r.type === T.emailIdentity)).to.have.length(0);
            const env = p.get(T.function, "orders-process").inputs.environment.variables;
            expect(env[ENV.emailEnabled]).to.equal("false");
            expect(env).not.to.have.property(ENV.emailSender);
        });

        it("has no wildcard action and no wildcard resource", () => {
            expectNoWildcards(p);
        });
    });

    describe("with email on", () => {
        it("creates an identity for the sender and lets only ProcessOrder send as exactly that address", async () => {
            const p = await recordPipeline({ email: { sender: SENDER } });
            const identity = p.get(T.emailIdentity, "orders-sender");
            expect(identity.inputs.emailIdentity).to.equal(SENDER);
            expect(p.statements("process")).to.deep.include({
                Sid: "SendOrderEmail",
                Effect: "Allow",
                Action: ["ses:SendEmail"],
                Resource: identity.state.arn,
                Condition: { StringEquals: { "ses:FromAddress": SENDER } },
            });
            for (const role of ["submit", "get"]) {
                expect(p.statements(role).flatMap(actionsOf).filter((a: string) => a.startsWith("ses:")), role).to.deep.equal([]);
            }
            expect(p.get(T.function, "orders-process").inputs.environment.variables).to.deep.include({
                [ENV.emailEnabled]: "true",
                [ENV.emailSender]: SENDER,
            });
            expectNoWildcards(p);
        });

        it("sends through an existing verified identity (e.g. a domain) without creating one", async () => {
            const identityArn = "arn:aws:ses:us-east-1:123456789012:identity/example.com";
            const p = await recordPipeline({ email: { sender: SENDER, identityArn } });
            expect(p.resources.filter((r) => r.type === T.emailIdentity)).to.have.length(0);
            const send = p.statements("process").find((s: any) => s.Sid === "SendOrderEmail");
            expect(send.Resource).to.equal(identityArn);
            expect(send.Condition).to.deep.equal({ StringEquals: { "ses:FromAddress": SENDER } });
        });

        it("turns email off when email.enabled is false, even without a sender", async () => {
            const p = await recordPipeline({ email: { enabled: false } });
            expect(allStatements(p.resources).flatMap(actionsOf).filter((a) => a.startsWith("ses:"))).to.deep.equal([]);
            expect(p.resources.filter((r) => r.type === T.emailIdentity)).to.have.length(0);
        });
    });

    describe("with a customer managed KMS key", () => {
        let p: RecordedPipeline;
        before(async () => {
            p = await recordPipeline({ encryption: { kmsKeyArn: KEY_ARN } });
        });

        it("encrypts both queues and the table with the key", () => {
            for (const name of ["orders-queue", "orders-dlq"]) {
                const queue = p.get(T.queue, name);
                expect(queue.inputs.kmsMasterKeyId, name).to.equal(KEY_ARN);
                expect(queue.inputs, name).not.to.have.property("sqsManagedSseEnabled");
            }
            expect(p.get(T.table, "orders-table").inputs.serverSideEncryption).to.deep.equal({ enabled: true, kmsKeyArn: KEY_ARN });
        });

        it("lets each function use the key only as far as its own data needs, only through SQS or DynamoDB", () => {
            const sqs = `sqs.${MOCK_REGION}.amazonaws.com`;
            const dynamodb = `dynamodb.${MOCK_REGION}.amazonaws.com`;
            const expected = {
                submit: { actions: ["kms:GenerateDataKey", "kms:Decrypt"], via: [sqs] },
                process: { actions: ["kms:Decrypt", "kms:GenerateDataKey"], via: [sqs, dynamodb] },
                get: { actions: ["kms:Decrypt"], via: [dynamodb] },
            };
            for (const [role, { actions, via }] of Object.entries(expected)) {
                const kms = p.statements(role).filter((s: any) => actionsOf(s).some((a) => a.startsWith("kms:")));
                expect(kms, role).to.deep.equal([
                    {
                        Sid: "UseOrderDataKey",
                        Effect: "Allow",
                        Action: actions,
                        Resource: KEY_ARN,
                        Condition: { StringEquals: { "kms:ViaService": via } },
                    },
                ]);
            }
            expectNoWildcards(p);
        });
    });

    describe("with tracing on", () => {
        it("traces every function actively and grants each role the X-Ray write actions (on *, X-Ray's only resource)", async () => {
            const p = await recordPipeline({ tracing: true });
            for (const role of ROLES) {
                expect(p.get(T.function, `orders-${role}`).inputs.tracingConfig).to.deep.equal({ mode: "Active" });
                const xray = p.statements(role).filter((s: any) => actionsOf(s).some((a) => a.startsWith("xray:")));
                expect(xray, role).to.deep.equal([
                    { Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
                ]);
            }
            expectNoWildcards(p);
        });
    });

    describe("with every option on", () => {
        it("still has no wildcard beyond X-Ray's and gives no role another function's permissions", async () => {
            const p = await recordPipeline({
                email: { sender: SENDER },
                encryption: { kmsKeyArn: KEY_ARN },
                tracing: true,
                alarms: { email: "oncall@example.com" },
            });
            expectNoWildcards(p);
            const actions = (role: string) => new Set(p.statements(role).flatMap(actionsOf));
            expect(actions("submit").has("sqs:ReceiveMessage")).to.equal(false);
            expect(actions("submit").has("dynamodb:PutItem")).to.equal(false);
            expect(actions("get").has("dynamodb:PutItem")).to.equal(false);
            expect(actions("get").has("sqs:SendMessage")).to.equal(false);
            expect(actions("process").has("sqs:SendMessage")).to.equal(false);
        });
    });
});
