/**
 * The mocked provider gives every resource the identifiers AWS would, so that a test asserting on
 * an ARN (an IAM statement's Resource, an alarm's dimension, a rule's source) means something.
 * The shapes are those of the AWS service authorization reference ("Resource types defined by
 * <service>") and of the provider's import ids.
 */
import { expect } from "chai";
import { recordPipeline, type RecordedPipeline } from "./pipeline-fixture";
import { MOCK_ACCOUNT_ID as ACCOUNT, MOCK_REGION as REGION, MOCKED_TYPES } from "../support/pulumi-mocks";

const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT}:billing-inbox`;
const FUNCTION = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:notifier`;
const OTHER_BUS = `arn:aws:events:${REGION}:210987654321:event-bus/analytics`;

/** The ARN (or id) each type must have: `arn` is matched against the resource's `arn`, `id` against its id. */
const SHAPES: Record<string, { readonly arn?: (name: string, r: RecordedPipeline["resources"][number]) => string; readonly id?: RegExp }> = {
    "aws:cloudwatch/eventBus:EventBus": { arn: (name) => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}` },
    "aws:cloudwatch/eventRule:EventRule": { arn: (name, r) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${r.inputs.eventBusName}/${name}` },
    "aws:cloudwatch/eventArchive:EventArchive": { arn: (name) => `arn:aws:events:${REGION}:${ACCOUNT}:archive/${name}` },
    "aws:sfn/stateMachine:StateMachine": { arn: (name) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}` },
    "aws:cloudwatch/logGroup:LogGroup": { arn: (name) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}` },
    "aws:sqs/queue:Queue": { arn: (name) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}` },
    "aws:sns/topic:Topic": { arn: (name) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}` },
    "aws:dynamodb/table:Table": { arn: (name) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}` },
    "aws:iam/role:Role": { arn: (name) => `arn:aws:iam::${ACCOUNT}:role/${name}` },
    "aws:lambda/function:Function": { arn: (name) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}` },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { arn: (name) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}` },
    "aws:cognito/userPool:UserPool": { arn: (_name, r) => `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${r.id}`, id: new RegExp(`^${REGION}_[0-9A-Z]{9}$`) },
    "aws:cognito/userPoolClient:UserPoolClient": { id: /^[a-z0-9]{26}$/ },
    "aws:apigatewayv2/api:Api": { arn: (_name, r) => `arn:aws:apigateway:${REGION}::/apis/${r.id}` },
    "aws:sqs/queuePolicy:QueuePolicy": { id: new RegExp(`^https://sqs\\.${REGION}\\.amazonaws\\.com/${ACCOUNT}/`) },
    "aws:cloudwatch/eventTarget:EventTarget": { id: /^orders-bus-[0-9a-f]{7}-(billing|notify|analytics)-(billing|notify|analytics)$/ },
};

describe("Pulumi mocks: every resource gets the identifiers AWS would give it", () => {
    let r: RecordedPipeline;
    before(async () => {
        r = await recordPipeline({
            email: { sender: "orders@example.com" },
            workflows: {},
            auth: { cognito: {} },
            events: {
                subscribers: [
                    { name: "billing", pattern: { "detail-type": ["OrderPlaced"] }, target: { queueArn: QUEUE } },
                    { name: "notify", pattern: { "detail-type": ["OrderShipped"] }, target: { functionArn: FUNCTION } },
                    { name: "analytics", pattern: { source: ["order-pipeline"] }, target: { eventBusArn: OTHER_BUS } },
                ],
            },
        });
    });

    it("should have a provider shape for every type the pipeline with every option registers", () => {
        const types = new Set(r.resources.filter((x) => x.custom).map((x) => x.type));
        for (const type of types) expect(MOCKED_TYPES, `${type} has no mocked shape in tests/support/pulumi-mocks.ts`).to.include(type);
    });

    for (const [type, shape] of Object.entries(SHAPES)) {
        it(`should give ${type.split(":").at(-1)} the ${shape.arn ? "ARN" : "id"} AWS would`, () => {
            const found = r.resources.filter((x) => x.type === type);
            expect(found, type).not.to.be.empty;
            for (const resource of found) {
                const name = resource.state.name;
                if (shape.arn) expect(resource.state.arn, resource.name).to.equal(shape.arn(name, resource));
                if (shape.id) expect(resource.id, resource.name).to.match(shape.id);
            }
        });
    }

    it("should name the bus, not CloudWatch, in the rule and state machine ARNs the IAM statements and events use", () => {
        const bus = r.resources.find((x) => x.type === "aws:cloudwatch/eventBus:EventBus")!;
        const rule = r.resources.find((x) => x.type === "aws:cloudwatch/eventRule:EventRule" && x.name.includes("billing"))!;
        expect(rule.state.arn).to.equal(`arn:aws:events:${REGION}:${ACCOUNT}:rule/${bus.state.name}/billing`);
        const ship = r.resources.find((x) => x.type === "aws:sfn/stateMachine:StateMachine" && x.name === "orders-ship-sm")!;
        expect(ship.id).to.equal(ship.state.arn);
        expect(JSON.stringify(r.resources.map((x) => x.state))).not.to.match(/arn:aws:(cloudwatch|sfn|cognito):[^"]*(bus|stateMachine|userpool)/i);
    });
});
