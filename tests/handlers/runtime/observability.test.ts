import { expect } from "chai";
import { sdkClientSettings, SDK_MAX_ATTEMPTS } from "../../../handlers/runtime/aws-clients";
import { createLogger, errorFields, redact } from "../../../handlers/runtime/log";
import { emitMetrics, METRICS_NAMESPACE, metricsFunctionName } from "../../../handlers/runtime/metrics";
import { lineCollector } from "../support/fixtures";

describe("logs and metrics", () => {
    it("should write one JSON line per event with time, level, message and fields, and no service name", () => {
        // Prepare
        const collector = lineCollector();

        // Act
        createLogger(collector.write).warn("order conflict", { orderId: "o-1", correlationId: "c-1", count: 2, skipped: undefined });

        // Assess
        expect(collector.lines).to.have.length(1);
        const line = JSON.parse(collector.lines[0]);
        expect(line).to.deep.equal({ timestamp: line.timestamp, level: "WARN", message: "order conflict", orderId: "o-1", correlationId: "c-1", count: 2 });
        expect(new Date(line.timestamp).toISOString()).to.equal(line.timestamp);
    });

    it("should remove email addresses from messages, fields and error texts", () => {
        const collector = lineCollector();
        createLogger(collector.write).error("send to ada@example.com failed", {
            ...errorFields(new Error("Email address is not verified. The following identities failed the check in region EU-WEST-1: ada@example.com, bob+x@mail.example.org")),
        });
        expect(collector.lines[0]).not.to.match(/ada@|bob\+x@/);
        expect(redact("to <ada.lovelace@example.com>; cc bob@example.org")).to.equal("to <[email]>; cc [email]");
    });

    it("should describe an error by name, message and HTTP status, without its stack", () => {
        const err = Object.assign(new Error("Throttled"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
        expect(errorFields(err)).to.deep.equal({ errorName: "ThrottlingException", errorMessage: "Throttled", errorHttpStatus: 400 });
        expect(errorFields("plain")).to.deep.equal({ errorName: "string", errorMessage: "plain" });
    });

    it("should write counts as one CloudWatch Embedded Metric Format line", () => {
        // Prepare
        const collector = lineCollector();

        // Act
        emitMetrics("orders-process", { processed: 3, failures: 1 }, collector.write, new Date(1_700_000_000_000));

        // Assess
        expect(JSON.parse(collector.lines[0])).to.deep.equal({
            _aws: {
                Timestamp: 1_700_000_000_000,
                CloudWatchMetrics: [
                    {
                        Namespace: METRICS_NAMESPACE,
                        Dimensions: [["FunctionName"]],
                        Metrics: [
                            { Name: "processed" },
                            { Name: "failures" },
                        ],
                    },
                ],
            },
            FunctionName: "orders-process",
            processed: 3,
            failures: 1,
        });
    });

    it("should write nothing when there is nothing to count", () => {
        const collector = lineCollector();
        emitMetrics("f", {}, collector.write);
        expect(collector.lines).to.deep.equal([]);
    });

    it("should file metrics under the Lambda function's name when running in Lambda", () => {
        expect(metricsFunctionName("submit-order", { AWS_LAMBDA_FUNCTION_NAME: "prod-submit-1a2b" })).to.equal("prod-submit-1a2b");
        expect(metricsFunctionName("submit-order", {})).to.equal("submit-order");
    });

    it("should give SDK clients connection and request timeouts that throw, and bounded retries", () => {
        expect(sdkClientSettings()).to.deep.equal({
            maxAttempts: SDK_MAX_ATTEMPTS,
            requestHandler: { connectionTimeout: 1000, requestTimeout: 3000, throwOnRequestTimeout: true },
        });
    });
});
