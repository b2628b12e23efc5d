import { expect } from "chai";
import { ENV } from "../../../components/defaults";
import { ConfigurationError, readGetOrderConfig, readProcessOrderConfig, readSubmitOrderConfig } from "../../../handlers/runtime/config";

const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders-queue";

describe("handler configuration from the environment", () => {
    it("should read each handler's variables", () => {
        expect(readSubmitOrderConfig({ [ENV.queueUrl]: QUEUE_URL })).to.deep.equal({ queueUrl: QUEUE_URL });
        expect(readGetOrderConfig({ [ENV.tableName]: "orders-table" })).to.deep.equal({ tableName: "orders-table" });
        expect(readProcessOrderConfig({ [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "true", [ENV.emailSender]: "Shop <shop@example.com>" })).to.deep.equal({
            tableName: "orders-table",
            email: { enabled: true, sender: "Shop <shop@example.com>" },
        });
    });

    it("should need no sender when email is disabled", () => {
        expect(readProcessOrderConfig({ [ENV.tableName]: "orders-table", [ENV.emailEnabled]: "FALSE" })).to.deep.equal({ tableName: "orders-table", email: { enabled: false } });
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
    ] as const) {
        it(`should throw a ConfigurationError naming the variable for ${name}`, () => {
            expect(() => read(env)).to.throw(ConfigurationError, message);
        });
    }
});
