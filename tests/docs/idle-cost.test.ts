import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
// First: loading the mocks module installs the mocks before the component is loaded.
import { recordProgram } from "../support/pulumi-mocks";
import { OrderPipeline } from "../../components";
import { idleMonthCost } from "../../bench/cost";
import { IDLE_ESM_POLLERS, IDLE_ESM_WAIT_SECONDS, PRICES } from "../../bench/prices";
import { ROOT } from "./markdown";

/** The rows of the idle-cost table in docs/operations.md: item -> [what bills, dollars]. */
function idleTable(): Map<string, [string, string]> {
    const page = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
    const section = page.split("## What an idle deployment costs")[1].split("\n## ")[0];
    const rows = section.split("\n").filter((line) => /^\| [a-zA-Z]/.test(line) && !line.startsWith("| item"));
    return new Map(rows.map((line) => line.split("|").map((cell) => cell.trim())).map((cells) => [cells[1], [cells[2], cells[3]]]));
}

describe("docs/operations.md: the idle month", () => {
    it("should show the figures the cost model gives for the resources a default OrderPipeline registers", async () => {
        const resources = await recordProgram(() => new OrderPipeline("orders", {}));
        const count = (type: string) => resources.filter((r) => r.type === type).length;
        const tables = resources.filter((r) => r.type === "aws:dynamodb/table:Table");
        const inventory = {
            alarms: count("aws:cloudwatch/metricAlarm:MetricAlarm"),
            alarmMetrics: count("aws:cloudwatch/metricAlarm:MetricAlarm"),
            dashboards: count("aws:cloudwatch/dashboard:Dashboard"),
            eventSourceMappings: count("aws:lambda/eventSourceMapping:EventSourceMapping"),
            tables: tables.length,
            tablesWithPitr: tables.filter((t) => t.inputs.pointInTimeRecovery?.enabled === true).length,
        };
        const idle = idleMonthCost(inventory);
        const table = idleTable();

        expect([...table.keys()]).to.deep.equal(["alarms", "dashboard", "empty receives", "PITR and storage", "total"]);
        expect(table.get("alarms")).to.deep.equal([
            `${inventory.alarms} alarms watching ${inventory.alarmMetrics} metrics, $${PRICES.cloudWatchAlarmPerMetricMonth.toFixed(2)} per alarm metric`,
            idle.alarms.toFixed(2),
        ]);
        expect(table.get("dashboard")![0]).to.match(new RegExp(`^${inventory.dashboards} dashboard, \\$${PRICES.cloudWatchDashboardPerMonth.toFixed(2)}; off unless \`dashboard\` is set`));
        // The defaults keep an idle month within a dollar (every alarm metric and dashboard is billed).
        expect(idle.total).to.be.at.most(1);
        expect(table.get("dashboard")![1]).to.equal(idle.dashboards.toFixed(2));
        expect(table.get("empty receives")![0]).to.include(`${IDLE_ESM_POLLERS} pollers, each long-polling ${IDLE_ESM_WAIT_SECONDS} s`);
        expect(table.get("empty receives")![0]).to.include(`about ${Math.round(idle.receivesPerMonth).toLocaleString("en-US")} ReceiveMessage`);
        expect(table.get("empty receives")![1]).to.equal(idle.emptyReceives.toFixed(2));
        expect(table.get("PITR and storage")![1]).to.equal((idle.pitr + idle.storage).toFixed(2));
        expect(table.get("total")![1]).to.equal(idle.total.toFixed(2));
        const page = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
        expect(page).to.include(`the same month costs $${idle.totalWithinFreeTier.toFixed(2)}.`);
    });
});
