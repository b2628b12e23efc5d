import { expect } from "chai";
import { lambdaRuntimeNotDeprecated } from "../../policies/lambda";
import { RUNTIME_DEPRECATION_DATES, runtimeDeprecatedOn } from "../../policies/lambda-runtimes";
import { AwsType } from "../../policies/support/resource-types";
import { messages, runResourcePolicy, UNKNOWN } from "./harness";

const fn = (props: Record<string, unknown>) => ({
    type: AwsType.lambdaFunction,
    name: "orders-process",
    props: { name: "orders-process", role: "arn:aws:iam::123456789012:role/orders-process-role", handler: "index.handler", runtime: "nodejs24.x", ...props },
});

describe("policies: Lambda", () => {
    describe("runtime deprecation table", () => {
        it("should count a runtime deprecated from its date on, and not the day before", () => {
            expect(runtimeDeprecatedOn("nodejs22.x", new Date("2027-04-29T23:59:59Z"))).to.equal(undefined);
            expect(runtimeDeprecatedOn("nodejs22.x", new Date("2027-04-30T00:00:00Z"))).to.equal("2027-04-30");
        });

        it("should list nodejs18.x and older and python3.8 and older as deprecated, and not know future runtimes", () => {
            const longAgo = new Date("2025-12-31T00:00:00Z");
            for (const runtime of ["nodejs18.x", "nodejs16.x", "nodejs14.x", "nodejs12.x", "python3.8", "python3.7", "python2.7", "go1.x"]) {
                expect(runtimeDeprecatedOn(runtime, longAgo), runtime).to.be.a("string");
            }
            expect(runtimeDeprecatedOn("nodejs24.x", longAgo)).to.equal(undefined);
            expect(runtimeDeprecatedOn("nodejs26.x", new Date("2099-01-01T00:00:00Z"))).to.equal(undefined);
        });

        it("should hold only well-formed dates", () => {
            for (const [runtime, date] of Object.entries(RUNTIME_DEPRECATION_DATES)) {
                expect(date, runtime).to.match(/^\d{4}-\d{2}-\d{2}$/);
                expect(Number.isNaN(Date.parse(date)), runtime).to.equal(false);
            }
        });
    });

    describe("lambda-runtime-not-deprecated", () => {
        const policy = lambdaRuntimeNotDeprecated;

        it("Compliance: nodejs24.x, the runtime the component deploys", async () => {
            expect(messages(await runResourcePolicy(policy, fn({})))).to.deep.equal([]);
        });

        it("Compliance: a container image function has no managed runtime", async () => {
            expect(messages(await runResourcePolicy(policy, fn({ runtime: undefined, packageType: "Image", imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1" })))).to.deep.equal([]);
        });

        it("Noncompliance 1: nodejs18.x", async () => {
            expect(messages(await runResourcePolicy(policy, fn({ runtime: "nodejs18.x" })))).to.deep.equal([
                'Move Lambda function "orders-process" from the runtime "nodejs18.x", deprecated since 2025-09-01, to "nodejs24.x".',
            ]);
        });

        it("Noncompliance 2: python3.8", async () => {
            expect(messages(await runResourcePolicy(policy, fn({ runtime: "python3.8" })))[0]).to.contain('"python3.8", deprecated since 2024-10-14, to the newest runtime of its language');
        });

        it("Noncompliance 3: a runtime the policy config refuses before AWS deprecates it", async () => {
            const outcome = await runResourcePolicy(policy, fn({ runtime: "nodejs24.x" }), { additionalDeprecatedRuntimes: ["nodejs24.x"] });
            expect(messages(outcome)[0]).to.contain("which the policy config refuses");
        });

        it("Preview: a runtime not known yet is left to the update", async () => {
            const outcome = await runResourcePolicy(policy, fn({ runtime: UNKNOWN.string }));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain(".runtime");
        });
    });
});
