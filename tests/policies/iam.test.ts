import { expect } from "chai";
import {
    iamLambdaTrustsOnlyLambda,
    iamNoBroadManagedPolicies,
    iamNoPassRoleOnWildcard,
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamSesSendScoped,
} from "../../policies/iam";
import { AwsType } from "../../policies/support/resource-types";
import {
    document,
    lambdaTrust,
    QUEUE_ARN,
    role,
    ROLE_ARN,
    rolePolicy,
    SES_IDENTITY_ARN,
    workerDocumentWith,
    workerStatements,
} from "./fixtures";
import { messages, runResourcePolicy, UNKNOWN } from "./harness";

const happyDocument = () => document(workerStatements());

describe("policies: IAM", () => {
    describe("iam-no-wildcard-actions", () => {
        const policy = iamNoWildcardActions;

        it("Compliance: named actions, as a JSON string", async () => {
            expect(messages(await runResourcePolicy(policy, rolePolicy(JSON.stringify(happyDocument()))))).to.deep.equal([]);
        });

        it("Compliance: a single Statement object with Action as a string, and a partial wildcard within one service", async () => {
            const doc = { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::orders-archive/*" } };
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))).to.deep.equal([]);
        });

        it("Compliance: a Deny statement may use wildcards", async () => {
            const doc = document([...workerStatements(), { Effect: "Deny", Action: "sqs:*", Resource: "*" }]);
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))).to.deep.equal([]);
        });

        it('Noncompliance 1: Action "*" as a string', async () => {
            const doc = workerDocumentWith(1, (s) => (s.Action = "*"));
            const outcome = await runResourcePolicy(policy, rolePolicy(JSON.stringify(doc)));
            expect(messages(outcome)).to.deep.equal([
                'Replace the wildcard action "*" in statement 2 ("ConsumeOrderQueue") of role policy "orders-process-policy" with the exact actions it needs.',
            ]);
        });

        it('Noncompliance 2: "service:*" inside an Action list of an object document', async () => {
            const doc = workerDocumentWith(2, (s) => (s.Action = ["dynamodb:PutItem", "dynamodb:*"]));
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))).to.have.length(1).and.satisfy((m: string[]) => m[0].includes('wildcard action "dynamodb:*" in statement 3'));
        });

        it("Noncompliance 3: NotAction in an Allow statement", async () => {
            const doc = workerDocumentWith(0, (s) => {
                delete s.Action;
                s.NotAction = ["iam:*"];
            });
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))[0]).to.contain("Replace NotAction in statement 1");
        });

        it("Noncompliance 4: a wildcard in an iam.Policy document", async () => {
            const resource = { type: AwsType.iamPolicy, name: "orders-admin", props: { policy: JSON.stringify(document({ Effect: "Allow", Action: "*:*", Resource: "*" })) } };
            expect(messages(await runResourcePolicy(policy, resource))[0]).to.contain('"*:*" in statement 1 of IAM policy "orders-admin"');
        });

        it("Noncompliance 5: a wildcard in an inline policy of a role", async () => {
            const inline = [{ name: "extra", policy: JSON.stringify(document([{ Effect: "Allow", Action: "sqs:*", Resource: QUEUE_ARN }])) }];
            const outcome = await runResourcePolicy(policy, role(lambdaTrust(), { inlinePolicies: inline }));
            expect(messages(outcome)[0]).to.contain('of inline policy "extra" of IAM role "orders-process-role"');
        });

        it("Noncompliance 6: a document that is not valid JSON", async () => {
            expect(messages(await runResourcePolicy(policy, rolePolicy('{"Statement": [')))[0]).to.contain(
                'Fix the policy document of role policy "orders-process-policy": it is not valid JSON',
            );
        });

        it("Noncompliance 7 (preview): reports the known wildcard even though the statement's resource is not known yet", async () => {
            const doc = workerDocumentWith(1, (s) => {
                s.Action = "*";
                s.Resource = UNKNOWN.string;
            });
            const outcome = await runResourcePolicy(policy, rolePolicy(doc));
            expect(messages(outcome)).to.have.length(1);
            expect(outcome.previewNote).to.equal(undefined);
        });

        it("Preview: a document not known yet leaves the verdict to the update, as an advisory note", async () => {
            const outcome = await runResourcePolicy(policy, rolePolicy(UNKNOWN.string));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("can't be known during preview");
        });

        it("Preview: an unknown action next to named ones is not judged, and a statement with an unknown Effect is not reported", async () => {
            const unknownAction = await runResourcePolicy(policy, rolePolicy(workerDocumentWith(1, (s) => (s.Action = ["sqs:SendMessage", UNKNOWN.string]))));
            expect(unknownAction.violations).to.deep.equal([]);
            expect(unknownAction.previewNote).to.match(/string value at \.policy\.Statement\.1\.Action\.1/);
            const unknownEffect = await runResourcePolicy(
                policy,
                rolePolicy(workerDocumentWith(1, (s) => {
                    s.Effect = UNKNOWN.string;
                    s.Action = "*";
                })),
            );
            expect(unknownEffect.violations).to.deep.equal([]);
            expect(unknownEffect.previewNote).to.contain("Effect");
        });

        it("does not apply to other resource types", async () => {
            const outcome = await runResourcePolicy(policy, { type: AwsType.sqsQueue, name: "q", props: {} });
            expect(outcome.notApplicable).to.contain("Policy only applies");
        });
    });

    describe("iam-no-wildcard-resources", () => {
        const policy = iamNoWildcardResources;

        it('Compliance: exact ARNs, a log group\'s ":*" stream suffix, and X-Ray actions on "*" (allow-listed)', async () => {
            expect(messages(await runResourcePolicy(policy, rolePolicy(JSON.stringify(happyDocument()))))).to.deep.equal([]);
        });

        it("Compliance: an action added to the allow-list through config may use \"*\"", async () => {
            const doc = document([{ Effect: "Allow", Action: "ec2:DescribeNetworkInterfaces", Resource: "*" }]);
            const config = { allowedWildcardResourceActions: ["ec2:DescribeNetworkInterfaces"] };
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc), config))).to.deep.equal([]);
        });

        it('Noncompliance 1: Resource "*" for an action that accepts an ARN', async () => {
            const doc = workerDocumentWith(1, (s) => (s.Resource = "*"));
            const [message] = messages(await runResourcePolicy(policy, rolePolicy(doc)));
            expect(message).to.contain('Scope statement 2 ("ConsumeOrderQueue") of role policy "orders-process-policy" to the exact resource ARNs it needs instead of "*"');
            expect(message).to.contain("sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes accept resource-level permissions");
        });

        it("Noncompliance 2: an allow-listed action next to one that is not, in a list of resources", async () => {
            const doc = workerDocumentWith(4, (s) => (s.Action = ["xray:PutTraceSegments", "sqs:SendMessage"]));
            const [message] = messages(await runResourcePolicy(policy, rolePolicy(doc)));
            expect(message).to.contain("sqs:SendMessage accepts resource-level permissions");
            expect(message).not.to.contain("xray:PutTraceSegments accept");
        });

        it("Noncompliance 3: an ARN whose resource part is a wildcard", async () => {
            const doc = workerDocumentWith(1, (s) => (s.Resource = [QUEUE_ARN, "arn:aws:sqs:*:*:*"]));
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))[0]).to.contain('instead of "arn:aws:sqs:*:*:*"');
        });

        it("Noncompliance 4: NotResource in an Allow statement", async () => {
            const doc = workerDocumentWith(2, (s) => {
                delete s.Resource;
                s.NotResource = TABLE_ARN_OTHER;
            });
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))[0]).to.contain("Replace NotResource in statement 3");
        });

        it('Noncompliance 5: NotAction on "*" is never allow-listed', async () => {
            const doc = workerDocumentWith(4, (s) => {
                delete s.Action;
                s.NotAction = "iam:*";
            });
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))[0]).to.contain("with NotAction it grants actions that accept resource-level permissions");
        });

        it("Noncompliance 6: a config allow-list without X-Ray refuses X-Ray on \"*\"", async () => {
            const config = { allowedWildcardResourceActions: ["cloudwatch:PutMetricData"] };
            expect(messages(await runResourcePolicy(policy, rolePolicy(happyDocument()), config))[0]).to.contain("xray:PutTraceSegments, xray:PutTelemetryRecords accept");
        });

        it("refuses a config that is not a list of strings, as the CLI does", async () => {
            let error: unknown;
            await runResourcePolicy(policy, rolePolicy(happyDocument()), { allowedWildcardResourceActions: "xray:*" }).catch((e) => (error = e));
            expect(String(error)).to.contain("invalid config for iam-no-wildcard-resources");
        });
    });

    describe("iam-no-broad-managed-policies", () => {
        const policy = iamNoBroadManagedPolicies;
        const attachment = (policyArn: unknown, type: string = AwsType.iamRolePolicyAttachment) => ({ type, name: "orders-attach", props: { role: "r", policyArn } });

        it("Compliance: a customer managed policy, and a narrow AWS managed policy", async () => {
            expect(messages(await runResourcePolicy(policy, attachment(`arn:aws:iam::123456789012:policy/orders-read`)))).to.deep.equal([]);
            expect(messages(await runResourcePolicy(policy, attachment("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")))).to.deep.equal([]);
        });

        it("Compliance: a role without managed policies", async () => {
            expect(messages(await runResourcePolicy(policy, role(lambdaTrust(), { managedPolicyArns: [] })))).to.deep.equal([]);
        });

        it("Noncompliance 1: AdministratorAccess attached to a role", async () => {
            expect(messages(await runResourcePolicy(policy, attachment("arn:aws:iam::aws:policy/AdministratorAccess")))[0]).to.contain(
                'Detach the AWS managed policy "arn:aws:iam::aws:policy/AdministratorAccess" from role policy attachment "orders-attach"',
            );
        });

        it("Noncompliance 2: a *FullAccess policy in a role's managedPolicyArns", async () => {
            const outcome = await runResourcePolicy(policy, role(lambdaTrust(), { managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"] }));
            expect(messages(outcome)[0]).to.contain('from IAM role "orders-process-role"');
        });

        it("Noncompliance 3: PowerUserAccess through a policy attachment, in another partition", async () => {
            const outcome = await runResourcePolicy(policy, attachment("arn:aws-us-gov:iam::aws:policy/PowerUserAccess", AwsType.iamPolicyAttachment));
            expect(messages(outcome)[0]).to.contain("PowerUserAccess");
        });

        it("Noncompliance 4: a path-qualified FullAccess policy in an exclusive attachment list", async () => {
            const resource = { type: AwsType.iamRolePolicyAttachmentsExclusive, name: "orders-exclusive", props: { roleName: "r", policyArns: ["arn:aws:iam::aws:policy/AWSLambda_FullAccess"] } };
            expect(messages(await runResourcePolicy(policy, resource))[0]).to.contain("AWSLambda_FullAccess");
        });

        it("Preview: an attachment whose policy ARN is not known yet is left to the update", async () => {
            const outcome = await runResourcePolicy(policy, attachment(UNKNOWN.string));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("policyArn");
        });
    });

    describe("iam-lambda-trusts-only-lambda", () => {
        const policy = iamLambdaTrustsOnlyLambda;

        it("Compliance: Lambda alone, as a JSON string and as an object with a Service list", async () => {
            expect(messages(await runResourcePolicy(policy, role(JSON.stringify(lambdaTrust()))))).to.deep.equal([]);
            const listForm = document([{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com"] }, Action: ["sts:AssumeRole"] }]);
            expect(messages(await runResourcePolicy(policy, role(listForm)))).to.deep.equal([]);
        });

        it("Compliance: a role Lambda cannot assume is not this rule's concern", async () => {
            const ec2 = document([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
            expect((await runResourcePolicy(policy, role(ec2))).violations).to.deep.equal([]);
        });

        it("Compliance: a service principal added through config (Lambda@Edge)", async () => {
            const edge = document([{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] }, Action: "sts:AssumeRole" }]);
            const config = { allowedServicePrincipals: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] };
            expect(messages(await runResourcePolicy(policy, role(edge), config))).to.deep.equal([]);
        });

        it("Noncompliance 1: another service next to Lambda in a Service list", async () => {
            const trust = document([{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, Action: "sts:AssumeRole" }]);
            expect(messages(await runResourcePolicy(policy, role(trust)))).to.deep.equal([
                'Remove the principal "ec2.amazonaws.com" from statement 1 of the trust policy of IAM role "orders-process-role": only lambda.amazonaws.com may assume a Lambda execution role.',
            ]);
        });

        it("Noncompliance 2: an AWS account principal in a second statement", async () => {
            const trust = lambdaTrust();
            (trust.Statement as unknown[]).push({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" });
            expect(messages(await runResourcePolicy(policy, role(trust)))[0]).to.contain('"AWS arn:aws:iam::111122223333:root" from statement 2');
        });

        it('Noncompliance 3: Principal "*" and { AWS: "*" }', async () => {
            for (const anyone of ["*", { AWS: "*" }]) {
                const trust = lambdaTrust();
                (trust.Statement as unknown[]).push({ Effect: "Allow", Principal: anyone, Action: "sts:AssumeRole" });
                expect(messages(await runResourcePolicy(policy, role(JSON.stringify(trust))))[0]).to.contain('Remove the principal "*" from statement 2');
            }
        });

        it("Noncompliance 4: NotPrincipal", async () => {
            const trust = lambdaTrust();
            (trust.Statement as unknown[]).push({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" });
            expect(messages(await runResourcePolicy(policy, role(trust)))[0]).to.contain("Replace NotPrincipal in statement 2");
        });

        it("Noncompliance 5: edgelambda without the config that allows it", async () => {
            const edge = document([{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] }, Action: "sts:AssumeRole" }]);
            expect(messages(await runResourcePolicy(policy, role(edge)))[0]).to.contain('"edgelambda.amazonaws.com"');
        });
    });

    describe("iam-ses-send-scoped", () => {
        const policy = iamSesSendScoped;

        it("Compliance: identity ARN with a StringEquals ses:FromAddress condition", async () => {
            expect(messages(await runResourcePolicy(policy, rolePolicy(JSON.stringify(happyDocument()))))).to.deep.equal([]);
        });

        it("Compliance: SendRawEmail alone with a ForAllValues:StringLike condition", async () => {
            const doc = workerDocumentWith(3, (s) => {
                s.Action = "ses:SendRawEmail";
                s.Condition = { "ForAllValues:StringLike": { "ses:FromAddress": ["orders@example.com"] } };
            });
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))).to.deep.equal([]);
        });

        it("Compliance: SendEmail on a configuration set ARN with the ses:FromAddress condition (SES v2 authorizes it there too)", async () => {
            const doc = workerDocumentWith(3, (s) => {
                s.Action = "ses:SendEmail";
                s.Resource = "arn:aws:ses:us-east-1:123456789012:configuration-set/orders-dev";
            });
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))).to.deep.equal([]);
        });

        it("Noncompliance 1: no ses:FromAddress condition", async () => {
            const doc = workerDocumentWith(3, (s) => delete s.Condition);
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))).to.deep.equal([
                'Add a condition on ses:FromAddress (e.g. StringEquals) to statement 4 ("SendOrderEmail") of role policy "orders-process-policy", so that ses:SendEmail and ses:SendRawEmail may send only as the intended sender address.',
            ]);
        });

        it("Noncompliance 2: a negated operator does not pin the sender", async () => {
            const doc = workerDocumentWith(3, (s) => (s.Condition = { StringNotEquals: { "ses:FromAddress": "ceo@example.com" } }));
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))[0]).to.contain("Add a condition on ses:FromAddress");
        });

        it('Noncompliance 3: Resource "*" and an identity wildcard', async () => {
            for (const resource of ["*", "arn:aws:ses:us-east-1:123456789012:identity/*"]) {
                const doc = workerDocumentWith(3, (s) => (s.Resource = resource));
                expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))[0]).to.contain(`to SES identity ARNs (arn:aws:ses:<region>:<account>:identity/<address or domain>) instead of "${resource}"`);
            }
        });

        it('Noncompliance 4: "ses:*" grants sending too', async () => {
            const doc = workerDocumentWith(3, (s) => {
                s.Action = "ses:*";
                delete s.Condition;
            });
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))[0]).to.contain("so that ses:SendEmail and ses:SendRawEmail may send");
        });

        it("Noncompliance 5: NotResource", async () => {
            const doc = workerDocumentWith(3, (s) => {
                delete s.Resource;
                s.NotResource = SES_IDENTITY_ARN;
            });
            expect(messages(await runResourcePolicy(policy, rolePolicy(doc)))[0]).to.contain("Replace NotResource in statement 4");
        });
    });

    describe("iam-no-pass-role-on-wildcard", () => {
        const policy = iamNoPassRoleOnWildcard;
        const passRole = (statement: Record<string, unknown>) => rolePolicy(document([...workerStatements(), { Effect: "Allow", ...statement }]));

        it("Compliance: iam:PassRole on one named role", async () => {
            expect(messages(await runResourcePolicy(policy, passRole({ Action: "iam:PassRole", Resource: ROLE_ARN("orders-process-role") })))).to.deep.equal([]);
        });

        it("Compliance: no PassRole at all", async () => {
            expect(messages(await runResourcePolicy(policy, rolePolicy(happyDocument())))).to.deep.equal([]);
        });

        it('Noncompliance 1: iam:PassRole on "*"', async () => {
            expect(messages(await runResourcePolicy(policy, passRole({ Action: "iam:PassRole", Resource: "*" })))).to.deep.equal([
                'Scope iam:PassRole in statement 6 of role policy "orders-process-policy" to the ARNs of the roles it must pass instead of "*".',
            ]);
        });

        it("Noncompliance 2: iam:Pass* on every role of the account", async () => {
            const [message] = messages(await runResourcePolicy(policy, passRole({ Action: ["iam:Pass*"], Resource: "arn:aws:iam::123456789012:role/*" })));
            expect(message).to.contain('instead of "arn:aws:iam::123456789012:role/*"');
        });

        it('Noncompliance 3: NotAction that does not exclude PassRole, on "*"', async () => {
            expect(messages(await runResourcePolicy(policy, passRole({ NotAction: ["s3:*"], Resource: "*" })))[0]).to.contain("Scope iam:PassRole in statement 6");
        });
    });
});

/** A table ARN other than the pipeline's, for NotResource cases. */
const TABLE_ARN_OTHER = "arn:aws:dynamodb:us-east-1:123456789012:table/audit";
