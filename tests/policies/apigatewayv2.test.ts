import { expect } from "chai";
import { apigatewayv2StageAccessLogs, apigatewayv2StageThrottled } from "../../policies/apigatewayv2";
import { AwsType } from "../../policies/support/resource-types";
import { messages, runResourcePolicy, UNKNOWN } from "./harness";

/** The pipeline's `$default` stage with `change` applied to its inputs. */
const stage = (change: (props: Record<string, any>) => void = () => undefined) => {
    const props: Record<string, any> = {
        apiId: "a1b2c3d4e5",
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: { throttlingBurstLimit: 100, throttlingRateLimit: 50 },
        accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/orders-api", format: '{"requestId":"$context.requestId"}' },
    };
    change(props);
    return { type: AwsType.apigatewayv2Stage, name: "orders-stage", props };
};

describe("policies: API Gateway v2", () => {
    describe("apigatewayv2-stage-throttled", () => {
        const policy = apigatewayv2StageThrottled;

        it("Compliance: burst and rate limits", async () => {
            expect(messages(await runResourcePolicy(policy, stage()))).to.deep.equal([]);
        });

        it("Noncompliance 1: no default route settings", async () => {
            expect(messages(await runResourcePolicy(policy, stage((p) => delete p.defaultRouteSettings)))).to.deep.equal([
                'Throttle API Gateway stage "orders-stage": set defaultRouteSettings.throttlingBurstLimit and defaultRouteSettings.throttlingRateLimit to a limit above zero.',
            ]);
        });

        it("Noncompliance 2: a zero burst limit", async () => {
            const [message] = messages(await runResourcePolicy(policy, stage((p) => (p.defaultRouteSettings.throttlingBurstLimit = 0))));
            expect(message).to.contain("set defaultRouteSettings.throttlingBurstLimit to a limit above zero");
        });

        it("Noncompliance 3: no rate limit", async () => {
            const [message] = messages(await runResourcePolicy(policy, stage((p) => delete p.defaultRouteSettings.throttlingRateLimit)));
            expect(message).to.contain("set defaultRouteSettings.throttlingRateLimit to");
        });

        it("Preview: a limit not known yet is left to the update", async () => {
            const outcome = await runResourcePolicy(policy, stage((p) => (p.defaultRouteSettings.throttlingRateLimit = UNKNOWN.number)));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.contain("throttlingRateLimit");
        });
    });

    describe("apigatewayv2-stage-access-logs", () => {
        const policy = apigatewayv2StageAccessLogs;

        it("Compliance: a destination and a format", async () => {
            expect(messages(await runResourcePolicy(policy, stage()))).to.deep.equal([]);
        });

        it("Compliance (preview): a destination log group not created yet", async () => {
            const outcome = await runResourcePolicy(policy, stage((p) => (p.accessLogSettings.destinationArn = UNKNOWN.string)));
            expect(outcome.violations).to.deep.equal([]);
            expect(outcome.previewNote).to.equal(undefined);
        });

        it("Noncompliance 1: no access log settings", async () => {
            expect(messages(await runResourcePolicy(policy, stage((p) => delete p.accessLogSettings)))).to.deep.equal([
                'Turn on access logs for API Gateway stage "orders-stage": set accessLogSettings.destinationArn and accessLogSettings.format.',
            ]);
        });

        it("Noncompliance 2: an empty format", async () => {
            expect(messages(await runResourcePolicy(policy, stage((p) => (p.accessLogSettings.format = ""))))[0]).to.contain("set accessLogSettings.format.");
        });
    });
});
