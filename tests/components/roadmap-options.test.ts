import { expect } from "chai";
import { recordPipeline, T, valueOf, type RecordedPipeline } from "./pipeline-fixture";

const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const AUTHORIZER = "aws:apigatewayv2/authorizer:Authorizer";
const BUS = "aws:cloudwatch/eventBus:EventBus";

/** The environment variables of a function. */
const env = (r: RecordedPipeline, role: string): Record<string, string> => r.get(T.function, `orders-${role}`).inputs.environment.variables;

describe("OrderPipeline options workflows, events and auth: what each adds to the functions and the API", () => {
    it("should add nothing of them by default: no state machine, bus, authorizer, refund function or variable", async () => {
        const r = await recordPipeline();

        const types = r.resources.map((x) => x.type);
        for (const type of [STATE_MACHINE, BUS, AUTHORIZER, "aws:cognito/userPool:UserPool"]) expect(types, type).not.to.include(type);
        expect(r.resources.some((x) => x.name === "orders-refund")).to.equal(false);
        for (const role of ["submit", "process", "get"]) {
            for (const name of ["ORDER_EVENT_BUS_NAME", "SHIPPING_STATE_MACHINE_ARN", "AUTH_ENABLED"]) expect(env(r, role), `${role} ${name}`).not.to.have.property(name);
        }
        expect(r.pipeline.refundStateMachineArn).to.equal(undefined);
        expect(r.pipeline.functions.refund).to.equal(undefined);
    });

    describe("workflows", () => {
        let r: RecordedPipeline;
        before(async () => {
            r = await recordPipeline({ workflows: {} });
        });

        it("should let ProcessOrder start the shipping state machine and nothing else of Step Functions", async () => {
            const shippingArn = await valueOf(r.pipeline.shippingStateMachineArn!);
            expect(env(r, "process").SHIPPING_STATE_MACHINE_ARN).to.equal(shippingArn);
            expect(r.statements("process").find((s) => s.Sid === "StartShipping")).to.deep.equal({
                Sid: "StartShipping",
                Effect: "Allow",
                Action: ["states:StartExecution"],
                Resource: shippingArn,
            });
        });

        it("should add RefundOrder behind POST /orders/{orderId}/refund with a role that may update orders and start refunds only", async () => {
            const refundArn = await valueOf(r.pipeline.refundStateMachineArn!);
            const tableArn = await valueOf(r.pipeline.table.arn);
            expect(env(r, "refund")).to.deep.equal({ ORDERS_TABLE_NAME: await valueOf(r.pipeline.tableName), REFUND_STATE_MACHINE_ARN: refundArn });
            expect(r.statements("refund").filter((s) => s.Sid !== "WriteOwnLogGroup")).to.deep.equal([
                { Sid: "RequestRefunds", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: tableArn },
                { Sid: "StartRefund", Effect: "Allow", Action: ["states:StartExecution"], Resource: refundArn },
            ]);
            expect(r.get(T.route, "orders-refund-route").inputs.routeKey).to.equal("POST /orders/{orderId}/refund");
            expect(r.get(T.function, "orders-refund").inputs.timeout).to.equal(10);
            expect(r.get(T.alarm, "orders-refund-errors-alarm")).to.exist;
            expect(Object.keys(await valueOf(r.pipeline.functionNames))).to.deep.equal(["submit", "process", "get", "refund"]);
        });

        it("should publish the workflows' outputs", async () => {
            expect(await valueOf(r.pipeline.shipmentQueueUrl!)).to.equal(await valueOf(r.pipeline.workflows!.shipmentQueues.queue.url));
            expect(await valueOf(r.pipeline.refundStateMachineArn!)).to.equal(r.get(STATE_MACHINE, "orders-refund-sm").state.arn);
        });
    });

    it("events: should give ProcessOrder the bus name and PutEvents on that bus only", async () => {
        const r = await recordPipeline({ events: {} });

        const busArn = await valueOf(r.pipeline.events!.busArn);
        expect(env(r, "process").ORDER_EVENT_BUS_NAME).to.equal(await valueOf(r.pipeline.eventBusName!));
        const statement = r.statements("process").find((s) => [s.Action].flat().includes("events:PutEvents"));
        expect(statement.Resource).to.equal(busArn);
        for (const role of ["submit", "get"]) expect(r.statements(role).some((s) => [s.Action].flat().includes("events:PutEvents")), role).to.equal(false);
    });

    it("auth with workflows: should put the JWT authorizer on every route, refund included, and tell the API functions", async () => {
        const r = await recordPipeline({ auth: { cognito: {} }, workflows: {} });

        const authorizerId = r.get(AUTHORIZER, "orders-authorizer").state.id;
        for (const route of ["orders-submit-route", "orders-get-route", "orders-refund-route"]) {
            expect(r.get(T.route, route).inputs, route).to.deep.include({ authorizationType: "JWT", authorizerId });
        }
        for (const role of ["submit", "get", "refund"]) expect(env(r, role).AUTH_ENABLED, role).to.equal("true");
        expect(env(r, "process")).not.to.have.property("AUTH_ENABLED");
        expect(await valueOf(r.pipeline.userPoolId!)).to.equal(await valueOf(r.pipeline.auth!.userPool!.id));
    });
});

describe("OrderPipeline with every option and the longest name", () => {
    it("should keep every auto-named IAM role within IAM's 64 characters and every logical name unique", async () => {
        const name = `a${"b".repeat(39)}`;
        const r = await recordPipeline({ workflows: {}, events: {}, auth: { cognito: {} } }, name);

        const roles = r.resources.filter((x) => x.type === T.role);
        expect(roles.length).to.be.greaterThan(5);
        // Pulumi names an IAM role `<logical name>-<7 random characters>`.
        for (const role of roles) expect(role.name.length + 8, role.name).to.be.at.most(64);
        const urns = r.resources.map((x) => x.urn);
        expect(new Set(urns).size).to.equal(urns.length);
    });
});
