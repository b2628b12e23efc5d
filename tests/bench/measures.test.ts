import { expect } from "chai";
import { BATCH_SIZE } from "../../contract/defaults";
import { costPerMillionOrders, floorUsage } from "../../bench/cost";
import { failedConditionWriteUnits, itemSize, readUnits, writeUnits } from "../../bench/item-size";
import { PRICES } from "../../bench/prices";
import { pairedRatio, quantile, summarize } from "../../bench/stats";
import { formatNumber, formatRatio } from "../../bench/report";
import { renderChart } from "../../bench/chart";
import { mergeCostRun, type BenchRun } from "../../bench/run";
import type { Section } from "../../bench/figures";

describe("bench measures", () => {
    describe("statistics", () => {
        it("should take percentiles by nearest rank, never between two runs", () => {
            const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
            expect(quantile(sorted, 0.5)).to.equal(5);
            expect(quantile(sorted, 0.9)).to.equal(9);
            expect(quantile(sorted, 0.99)).to.equal(10);
            expect(summarize([3, 1, 2])).to.include({ n: 3, median: 2, min: 1, max: 3 });
        });

        it("should pair ratios round by round so that drift between rounds cancels", () => {
            // Each round the machine got slower, but ours stayed at half the peer's time.
            expect(pairedRatio([1, 2, 4, 8], [2, 4, 8, 16])).to.equal(0.5);
        });
    });

    describe("DynamoDB units", () => {
        it("should size items by DynamoDB's rules: UTF-8 names and strings, numbers by digits, maps and lists with overhead", () => {
            // "id"(2) + "abc"(3) = 5; "n"(1) + 12345 (5 digits: 3 + 1) = 5; "é"(2) + "ü"(2) = 4
            expect(itemSize({ id: { S: "abc" } })).to.equal(5);
            expect(itemSize({ n: { N: "12345" } })).to.equal(5);
            expect(itemSize({ "é": { S: "ü" } })).to.equal(4);
            // "m"(1) + map: 3 + 1 element + ("k"(1) + true(1)) = 7
            expect(itemSize({ m: { M: { k: { BOOL: true } } } })).to.equal(7);
            // "l"(1) + list: 3 + 2 x (1 + 1-byte string) = 8
            expect(itemSize({ l: { L: [{ S: "a" }, { S: "b" }] } })).to.equal(8);
        });

        it("should bill writes per started KB of the larger image, failed conditions by the stored item, reads per 4 KB", () => {
            expect(writeUnits(0, 100)).to.equal(1);
            expect(writeUnits(1024, 0)).to.equal(1);
            expect(writeUnits(600, 1025)).to.equal(2);
            expect(failedConditionWriteUnits(0)).to.equal(1);
            expect(failedConditionWriteUnits(2049)).to.equal(3);
            expect(readUnits(100, true)).to.equal(1);
            expect(readUnits(100, false)).to.equal(0.5);
            expect(readUnits(4097, true)).to.equal(2);
        });
    });

    describe("cost model", () => {
        it("should price the floor from the price table: one API request, the invocations, SQS, one WCU and the email", () => {
            const floor = costPerMillionOrders(floorUsage(500, 600, true));
            expect(floor.apiGateway).to.be.closeTo(PRICES.httpApiPerMillionRequests, 1e-9);
            expect(floor.dynamoDb).to.be.closeTo(PRICES.dynamoDbPerMillionWriteUnits, 1e-9);
            expect(floor.ses).to.be.closeTo(1000 * PRICES.sesPerThousandEmails, 1e-9);
            // One send per order plus one receive and one delete per batch.
            expect(floor.sqs).to.be.closeTo((1 + 2 / BATCH_SIZE) * PRICES.sqsPerMillionRequests, 1e-9);
            expect(floor.lambdaRequests).to.be.closeTo((1 + 1 / BATCH_SIZE) * PRICES.lambdaPerMillionRequests, 1e-9);
            expect(floor.logs).to.equal(0);
            expect(costPerMillionOrders(floorUsage(500, 600, false)).total).to.be.closeTo(floor.total - floor.ses, 1e-9);
        });

        it("should bill the handlers' log bytes and the platform records' alike, per GB ingested", () => {
            const floor = floorUsage(500, 600, false);
            const handlersOnly = costPerMillionOrders({ ...floor, logBytes: 400 });
            const withPlatform = costPerMillionOrders({ ...floor, logBytes: 400, platformLogBytes: 550 });
            expect(handlersOnly.logs).to.be.closeTo((400e6 / 1024 ** 3) * PRICES.cloudWatchLogsPerGbIngested, 1e-9);
            expect(withPlatform.logs - handlersOnly.logs).to.be.closeTo((550e6 / 1024 ** 3) * PRICES.cloudWatchLogsPerGbIngested, 1e-9);
            expect(floor.platformLogBytes).to.equal(0);
        });

        it("should bill a message above 64 KB as two SQS requests", () => {
            const small = costPerMillionOrders(floorUsage(500, 60_000, false));
            const large = costPerMillionOrders(floorUsage(500, 70_000, false));
            expect(large.sqs).to.be.greaterThan(small.sqs);
            expect(large.sqs - small.sqs).to.be.closeTo(PRICES.sqsPerMillionRequests, 0.1);
        });
    });

    describe("cost-only runs", () => {
        const figure = (name: string, median: number) => ({ name, unit: "x", median, runs: "1", better: "lower" as const });
        const section = (id: string, ...figures: ReturnType<typeof figure>[]): Section => ({ id, title: id, method: id, figures });

        it("should replace the sections and goal rows the run measured and keep every other one as it was", () => {
            const previous = {
                sections: [
                    section("goals", figure("npm test wall time", 111), figure("log bytes per order", 912)),
                    section("bundle-size", figure("empty handler", 540)),
                    section("cost", figure("order-pipeline, email off", 3.02)),
                ],
            };
            const run = { sections: [section("goals", figure("log bytes per order", 700)), section("cost", figure("order-pipeline, email off", 2.5))] } as unknown as BenchRun;
            const merged = mergeCostRun(previous, run);
            expect(merged.map((s) => s.id)).to.deep.equal(["goals", "bundle-size", "cost"]);
            expect(merged[0].figures.map((f) => [f.name, f.median])).to.deep.equal([
                ["npm test wall time", 111],
                ["log bytes per order", 700],
            ]);
            expect(merged[1]).to.equal(previous.sections[1]);
            expect(merged[2].figures[0].median).to.equal(2.5);
        });
    });

    describe("report and chart", () => {
        it("should format numbers and ratios for people", () => {
            expect(formatNumber(645630, "bytes")).to.equal("645,630");
            expect(formatNumber(12.345, "ms")).to.equal("12.3");
            expect(formatNumber(0.5, "WCU/order")).to.equal("0.50");
            expect(formatRatio(0.4213)).to.equal("0.42x");
            expect(formatRatio(undefined)).to.equal("");
        });

        it("should draw bars proportional to their values and escape labels", () => {
            const svg = renderChart(
                [{ title: "t", unit: "ms", bars: [{ label: "a<b", value: 10, tone: "ours" }, { label: "c", value: 5, tone: "peer" }] }],
                "note & more",
            );
            expect(svg.startsWith("<svg")).to.equal(true);
            expect(svg).to.include("a&lt;b").and.include("note &amp; more");
            const widths = [...svg.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)" height="16"/g)].map((m) => Number(m[1]));
            expect(widths).to.have.length(2);
            expect(widths[0]).to.be.closeTo(2 * widths[1], 0.2);
        });

        it("should give every segment's legend label room of its own, inside the chart", () => {
            const names = ["API Gateway", "Lambda", "SQS", "DynamoDB", "Logs"];
            const svg = renderChart(
                [{ title: "cost", unit: "$", bars: [{ label: "x", value: 5, tone: "ours", segments: names.map((name) => ({ name, value: 1 })) }] }],
                "",
            );
            const labels = [...svg.matchAll(/<text x="([\d.]+)" y="(\d+)" font-size="11"[^>]*>([^<]+)<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), name: m[3] }));
            expect(labels.map((l) => l.name)).to.deep.equal(names);
            // 7.5 px a character is wider than 11 px sans-serif text runs, capitals included.
            const end = (l: { x: number; name: string }) => l.x + l.name.length * 7.5;
            for (const label of labels) expect(end(label), label.name).to.be.at.most(820);
            for (const [i, a] of labels.entries()) {
                for (const b of labels.slice(i + 1)) {
                    if (a.y === b.y) expect(Math.max(a.x, b.x) - Math.min(a.x, b.x), `${a.name} / ${b.name}`).to.be.at.least((a.x < b.x ? a : b).name.length * 7.5 + 14);
                }
            }
        });
    });
});
