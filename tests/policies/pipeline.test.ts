/**
 * The offline harness: every rule of the pack over the resources the mocked OrderPipeline registers,
 * with no Pulumi CLI. Resource rules see each resource's inputs (what `Analyze` receives); stack
 * rules see every resource's resolved state (what `AnalyzeStack` receives after an update).
 */
import { expect } from "chai";
import { recordProgram, type RecordedResource } from "../support/pulumi-mocks";
import type { Policy, ResourceValidationPolicy } from "@pulumi/policy";
import { OrderPipeline, type OrderPipelineArgs } from "../../components";
import { allPolicies } from "../../policies/all-policies";
import { AwsType } from "../../policies/support/resource-types";
import { copyPlain, runResourcePolicy, runStackPolicy, type StackResourceUnderTest } from "./harness";

/** One violation the pack reported: which rule, on which resource, what it said. */
interface PackViolation {
    readonly policy: string;
    readonly resource: string;
    readonly message: string;
}

const isResourcePolicy = (policy: Policy): policy is ResourceValidationPolicy => "validateResource" in policy;

/** Runs every rule of the pack over the recorded resources; fails on any preview note (mocks know every value). */
async function runPack(resources: readonly RecordedResource[]): Promise<PackViolation[]> {
    const found: PackViolation[] = [];
    const nameOfUrn = new Map(resources.map((r) => [r.urn, r.name]));
    const stackResources: StackResourceUnderTest[] = resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.state,
        parent: r.parent,
        dependencies: r.dependencies.filter((urn) => nameOfUrn.has(urn)),
    }));
    for (const policy of allPolicies) {
        const outcomes = isResourcePolicy(policy)
            ? await Promise.all(resources.map(async (r) => ({ outcome: await runResourcePolicy(policy, { type: r.type, name: r.name, urn: r.urn, props: r.inputs }), resource: r.name })))
            : [{ outcome: await runStackPolicy(policy, stackResources), resource: undefined }];
        for (const { outcome, resource } of outcomes) {
            expect(outcome.previewNote, `${policy.name} on ${resource ?? "the stack"}`).to.equal(undefined);
            for (const v of outcome.violations) {
                found.push({ policy: policy.name, resource: resource ?? nameOfUrn.get(v.urn ?? "") ?? "(stack)", message: v.message });
            }
        }
    }
    return found;
}

/** Records `new OrderPipeline("orders", args)` under the mocks. */
function record(args: OrderPipelineArgs): Promise<RecordedResource[]> {
    return recordProgram(() => new OrderPipeline("orders", args));
}

const KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The component's option variants, each of which must satisfy every rule. */
const VARIANTS: Record<string, OrderPipelineArgs> = {
    "the default stack (email off)": {},
    "email on, with an identity the component creates": { email: { sender: "orders@example.com" } },
    "email on, with an existing verified domain identity": {
        email: { sender: "orders@example.com", identityArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" },
    },
    "a customer managed KMS key": { encryption: { kmsKeyArn: KMS_KEY_ARN } },
    "X-Ray tracing": { tracing: true },
    "an alarm email": { alarms: { email: "oncall@example.com" } },
    CORS: { api: { cors: { allowOrigins: ["https://shop.example.com"] } } },
    "every option at once, with custom timeouts": {
        email: { sender: "orders@example.com" },
        encryption: { kmsKeyArn: KMS_KEY_ARN },
        tracing: true,
        dashboard: true,
        alarms: { email: "oncall@example.com", oldestMessageAgeSeconds: 600 },
        api: { cors: { allowOrigins: ["https://shop.example.com"] }, throttle: { burstLimit: 20, rateLimit: 10 } },
        functions: { processTimeoutSeconds: 60 },
        processing: { maxBatchingWindowSeconds: 5 },
        logRetentionDays: 90,
    },
};

/** The options of the roadmap features, each of which must keep every rule satisfied alone and in any combination. */
const FEATURES: Record<string, OrderPipelineArgs> = {
    workflows: { workflows: {} },
    events: {
        events: {
            subscribers: [
                { name: "billing", pattern: { "detail-type": ["OrderPlaced"] }, target: { queueArn: "arn:aws:sqs:us-east-1:123456789012:billing" } },
                { name: "notify", pattern: { "detail-type": ["OrderShipped"] }, target: { functionArn: "arn:aws:lambda:us-east-1:123456789012:function:notify" } },
                { name: "analytics", pattern: { source: ["order-pipeline"] }, target: { eventBusArn: "arn:aws:events:us-east-1:210987654321:event-bus/analytics" } },
            ],
        },
    },
    "sign-in (a new user pool)": { auth: { cognito: {} } },
    "sign-in (an existing user pool)": { auth: { cognito: { userPoolId: "us-east-1_AbC123xyz", userPoolClientIds: ["4k1example0client0id0abcde"] } } },
};

/** Every combination of {@link FEATURES} (both sign-in kinds never together), with email on; and all of them with a KMS key and tracing. */
function featureCombinations(): Record<string, OrderPipelineArgs> {
    const names = Object.keys(FEATURES);
    const combinations: Record<string, OrderPipelineArgs> = {};
    for (let mask = 1; mask < 1 << names.length; mask++) {
        const chosen = names.filter((_, i) => mask & (1 << i));
        if (chosen.filter((n) => n.startsWith("sign-in")).length > 1) continue;
        combinations[`${chosen.join(" + ")} with email`] = Object.assign({ email: { sender: "orders@example.com" } }, ...chosen.map((n) => FEATURES[n]));
    }
    combinations["workflows + events + sign-in, email off, a KMS key and tracing"] = {
        ...FEATURES.workflows,
        ...FEATURES.events,
        ...FEATURES["sign-in (a new user pool)"],
        encryption: { kmsKeyArn: KMS_KEY_ARN },
        tracing: true,
    };
    return combinations;
}

/**
 * The advisory violations a stack built with `args` reports by design: open routes while sign-in
 * is off (cdk-nag APIG4/COG4 is advisory for that reason), untraced state machines while tracing
 * is off (SF2; tracing is a cost choice).
 */
function expectedAdvisories(args: OrderPipelineArgs): string[] {
    const expected: string[] = [];
    if (args.auth === undefined) {
        for (const role of ["submit", "get", ...(args.workflows ? ["refund"] : [])]) expected.push(`apigatewayv2-route-authorized on orders-${role}-route`);
    }
    if (args.workflows && !args.tracing) for (const machine of ["ship-sm", "refund-sm"]) expected.push(`sfn-state-machine-tracing on orders-${machine}`);
    return expected;
}

/** Whether a violation is one of {@link expectedAdvisories}. */
function isExpectedAdvisory(violation: PackViolation, args: OrderPipelineArgs): boolean {
    return expectedAdvisories(args).includes(`${violation.policy} on ${violation.resource}`);
}

/** The one recorded resource of this type and name. */
function find(resources: readonly RecordedResource[], type: string, name: string): RecordedResource {
    const found = resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).to.have.length(1);
    return found[0];
}

/** A copy of the recorded resources that a test may change. */
function copyOf(resources: readonly RecordedResource[]): RecordedResource[] {
    return resources.map((r) => ({ ...r, inputs: copyPlain(r.inputs), state: copyPlain(r.state) }));
}

/** Sets `key` in both the inputs and the resolved state of a resource (the engine sees both). */
function setProperty(resource: RecordedResource, key: string, value: unknown): void {
    resource.inputs[key] = value;
    resource.state[key] = value;
}

describe("policies over the mocked OrderPipeline", () => {
    for (const [variant, args] of Object.entries({ ...VARIANTS, ...featureCombinations() })) {
        it(`should find no violation in ${variant}`, async () => {
            const resources = await record(args);
            // The resources every rule family looks at are there, so "no violation" means something.
            for (const type of [AwsType.iamRolePolicy, AwsType.lambdaFunction, AwsType.sqsQueue, AwsType.lambdaEventSourceMapping, AwsType.apigatewayv2Stage, AwsType.dynamodbTable]) {
                expect(resources.some((r) => r.type === type), type).to.equal(true);
            }
            const found = await runPack(resources);
            expect(found.filter((v) => !isExpectedAdvisory(v, args))).to.deep.equal([]);
            // The advisories a choice of options brings are there, each once.
            expect(found.map((v) => `${v.policy} on ${v.resource}`).sort()).to.deep.equal(expectedAdvisories(args).sort());
        });
    }

    it("should report exactly the expected violations for an over-privileged variant", async () => {
        const resources = copyOf(await record({}));
        // 1. A wildcard statement added to ProcessOrder's policy.
        const policy = find(resources, AwsType.iamRolePolicy, "orders-process-policy");
        const document = JSON.parse(policy.inputs.policy);
        document.Statement.push({ Sid: "Everything", Effect: "Allow", Action: "dynamodb:*", Resource: "*" });
        setProperty(policy, "policy", JSON.stringify(document));
        // 2. GetOrder made to use SubmitOrder's role.
        const submitRole = find(resources, AwsType.iamRole, "orders-submit-role");
        setProperty(find(resources, AwsType.lambdaFunction, "orders-get"), "role", submitRole.state.arn);
        // 3. A visibility timeout shorter than ProcessOrder may hold a message (the component refuses such args).
        setProperty(find(resources, AwsType.sqsQueue, "orders-queue"), "visibilityTimeoutSeconds", 60);

        const violations = (await runPack(resources)).filter((v) => !isExpectedAdvisory(v, {}));
        expect(violations.map(({ policy, resource }) => `${policy} on ${resource}`)).to.deep.equal([
            "iam-no-wildcard-actions on orders-process-policy",
            "iam-no-wildcard-resources on orders-process-policy",
            "lambda-no-shared-roles on orders-submit-role",
            "sqs-visibility-timeout-covers-lambda on orders-queue",
        ]);
        expect(violations[0].message).to.contain('"dynamodb:*" in statement');
        expect(violations[0].message).to.contain('("Everything")');
        expect(violations[2].message).to.contain('"orders-get"').and.contain('"orders-submit"').and.contain('share IAM role "orders-submit-role"');
        expect(violations[3].message).to.contain("to at least 181 s");
    });
});
