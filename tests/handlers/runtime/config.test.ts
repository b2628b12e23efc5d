import { expect } from "chai";
import { ENV } from "../../../contract/environment";
import { ConfigurationError, readGetOrderConfig, readProcessOrderConfig, readRefundOrderConfig, readSubmitOrderConfig } from "../../../handlers/runtime/config";

const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders-queue";
const SHIPPING_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders-shipping";
const REFUND_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders-refund";

describe("handler configuration from the environment", () => {
    it("should read each handler's variables", () => {
        expect(readSubmitOrderConfig({ [ENV.queueUrl]: QUEUE_URL })).to.deep.equal({ queueUrl: QUEUE_URL, authEnabled: false });
        expect(readGetOrderConfig({ [ENV.tableName]: "orders-table", [ENV.authEnabled]: "true" })).to.deep.equal({ tableName: "orders-table", authEnabled: true });
        expect(readProcessOrderConfig({ [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "true", [ENV.emailSender]: "Shop <shop@example.com>" })).to.deep.equal({
            tableName: "orders-table",
            email: { enabled: true, sender: "Shop <shop@example.com>" },
            retry: undefined,
            eventBusName: undefined,
            shippingStateMachineArn: undefined,
        });
        expect(
            readProcessOrderConfig({
                [ENV.tableName]: "orders-table",
                [ENV.emailEnabled]: "true",
                [ENV.emailSender]: "shop@example.com",
                [ENV.emailConfigurationSet]: "orders-dev",
                [ENV.queueUrl]: QUEUE_URL,
                [ENV.retryBaseDelaySeconds]: "30",
                [ENV.retryMaxDelaySeconds]: "180",
            }),
        ).to.deep.include({
            email: { enabled: true, sender: "shop@example.com", configurationSetName: "orders-dev" },
            retry: { queueUrl: QUEUE_URL, policy: { baseDelaySeconds: 30, maxDelaySeconds: 180 } },
        });
        expect(
            readProcessOrderConfig({
                [ENV.tableName]: "orders-table",
                [ENV.emailEnabled]: "false",
                [ENV.eventBusName]: "orders-events",
                [ENV.shippingStateMachineArn]: SHIPPING_ARN,
            }),
        ).to.deep.include({ eventBusName: "orders-events", shippingStateMachineArn: SHIPPING_ARN });
        expect(readRefundOrderConfig({ [ENV.tableName]: "orders-table", [ENV.refundStateMachineArn]: REFUND_ARN })).to.deep.equal({
            tableName: "orders-table",
            refundStateMachineArn: REFUND_ARN,
            authEnabled: false,
        });
    });

    it("should need no sender when email is disabled", () => {
        expect(readProcessOrderConfig({ [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "FALSE" })).to.deep.include({ tableName: "orders-table", email: { enabled: false } });
    });

    for (const [name, read, env, message] of [
        ["a missing queue URL", readSubmitOrderConfig, {}, /ORDER_QUEUE_URL is required/],
        ["a blank queue URL", readSubmitOrderConfig, { [ENV.queueUrl]: "  " }, /ORDER_QUEUE_URL is required/],
        ["a queue URL that is an ARN", readSubmitOrderConfig, { [ENV.queueUrl]: "arn:aws:sqs:eu-west-1:123456789012:orders" }, /ORDER_QUEUE_URL must be an http\(s\) URL/],
        ["a missing table name", readGetOrderConfig, {}, /ORDERS_TABLE_NAME is required/],
        ["a table name with a slash", readGetOrderConfig, { [ENV.tableName]: "orders/table" }, /ORDERS_TABLE_NAME is not a valid DynamoDB table name/],
        ["EMAIL_ENABLED=1", readProcessOrderConfig, { [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "1" }, /EMAIL_ENABLED must be "true" or "false", not "1"/],
        ["a missing sender with email on", readProcessOrderConfig, { [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "true" }, /EMAIL_SENDER is required/],
        ["a sender without an address", readProcessOrderConfig, { [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "true", [ENV.emailSender]: "Shop" }, /EMAIL_SENDER is not an email address/],
        ["a bus name with a slash", readProcessOrderConfig, { [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "false", [ENV.eventBusName]: "a/b" }, /ORDER_EVENT_BUS_NAME is not a valid event bus name/],
        ["a shipping ARN of a queue", readProcessOrderConfig, { [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "false", [ENV.shippingStateMachineArn]: "arn:aws:sqs:eu-west-1:123456789012:q" }, /SHIPPING_STATE_MACHINE_ARN is not a state machine ARN/],
        ["a missing refund state machine", readRefundOrderConfig, { [ENV.tableName]: "orders-table" }, /REFUND_STATE_MACHINE_ARN is required/],
        ["a retry base without its maximum", readProcessOrderConfig, { [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "false", [ENV.queueUrl]: "https://sqs.eu-west-1.amazonaws.com/1/q", [ENV.retryBaseDelaySeconds]: "30" }, /RETRY_BASE_DELAY_SECONDS and RETRY_MAX_DELAY_SECONDS go together/],
        ["a retry delay that is not whole seconds", readProcessOrderConfig, { [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "false", [ENV.queueUrl]: "https://sqs.eu-west-1.amazonaws.com/1/q", [ENV.retryBaseDelaySeconds]: "1.5", [ENV.retryMaxDelaySeconds]: "180" }, /RETRY_BASE_DELAY_SECONDS must be a whole number of seconds/],
        ["retry delays without the queue URL", readProcessOrderConfig, { [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "false", [ENV.retryBaseDelaySeconds]: "30", [ENV.retryMaxDelaySeconds]: "180" }, /ORDER_QUEUE_URL is required/],
        ["a configuration set name with a space", readProcessOrderConfig, { [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "true", [ENV.emailSender]: "a@example.com", [ENV.emailConfigurationSet]: "a b" }, /EMAIL_CONFIGURATION_SET is not a valid configuration set name/],
        ["AUTH_ENABLED=yes", readGetOrderConfig, { [ENV.tableName]: "orders-table", [ENV.authEnabled]: "yes" }, /AUTH_ENABLED must be "true" or "false", not "yes"/],
    ] as const) {
        it(`should throw a ConfigurationError naming the variable for ${name}`, () => {
            expect(() => read(env)).to.throw(ConfigurationError, message);
        });
    }
});
