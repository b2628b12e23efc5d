import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Lexer, type Tokens } from "marked";
import { allPolicies } from "../../policies/all-policies";
import { ROOT } from "./markdown";

const readme = fs.readFileSync(path.join(ROOT, "policies/README.md"), "utf8");

/** The rows of the first table whose header starts with `firstHeader`, as the cells' text. */
function tableRows(firstHeader: string): string[][] {
    const table = Lexer.lex(readme).find((t): t is Tokens.Table => t.type === "table" && t.header[0]?.text === firstHeader);
    if (!table) throw new Error(`policies/README.md has no table starting with a "${firstHeader}" column`);
    return table.rows.map((row) => row.map((cell) => cell.text));
}

/** `` `iam-no-wildcard-actions` `` -> `iam-no-wildcard-actions`. */
const unquote = (cell: string) => cell.replace(/^`|`$/g, "");

describe("policies/README.md", () => {
    it("should list every rule of the pack once, with its enforcement level", () => {
        const documented = tableRows("rule").map(([rule, level]) => `${unquote(rule)} ${level}`);
        const pack = allPolicies.map((p) => `${p.name} ${p.enforcementLevel}`);
        expect([...documented].sort()).to.deep.equal([...pack].sort());
    });

    it("should hold the pack against cdk-nag: every applicable rule covered by a rule of ours that names it, or a reason it does not apply", () => {
        const rows = tableRows("cdk-nag rule").map(([cdkNag, , ours, note]) => ({ cdkNag, rules: [...ours.matchAll(/`([^`]+)`/g)].map((m) => m[1]), note }));
        const pack = new Map(allPolicies.map((p) => [p.name, p]));
        for (const row of rows) {
            if (row.rules.length === 0) {
                expect(row.note, row.cdkNag).to.match(/^(does not apply|not a rule):/);
                continue;
            }
            for (const rule of row.rules) {
                expect(pack.has(rule), `${row.cdkNag}: ${rule} is not a rule of the pack`).to.equal(true);
                if (rule !== "lambda-runtime-not-deprecated") expect(pack.get(rule)!.framework?.reference.split(", "), `${rule} framework`).to.include(row.cdkNag);
            }
        }
        // The rules the pack is held to, each covered by a rule of ours.
        const covered = rows.filter((r) => r.rules.length > 0).map((r) => r.cdkNag);
        const required = ["APIG1", "APIG4", "COG4", "COG1", "COG2", "DDB3", "EVB1", "IAM4", "IAM5", "L1", "SF1", "SF2", "SNS3", "SQS2", "SQS3", "SQS4"].map((id) => `AwsSolutions-${id}`);
        expect(covered).to.include.members([...required, "Serverless-APIGWDefaultThrottling", "Serverless-APIGWStructuredLogging", "Serverless-CloudWatchLogGroupRetentionPeriod"]);
        // And every cdk-nag rule a rule of ours names is in the table.
        const named = allPolicies.flatMap((p) => p.framework?.reference.split(", ") ?? []);
        expect(covered).to.include.members(named);
    });

    it("should list every configurable setting of the pack under its policy", () => {
        const documented = tableRows("policy").map(([policy, setting]) => `${unquote(policy)} ${/^`([^`]+)`/.exec(setting)?.[1]}`);
        const pack = allPolicies.flatMap((p) => Object.keys(p.configSchema?.properties ?? {}).map((key) => `${p.name} ${key}`));
        expect(pack.length).to.be.greaterThan(0);
        expect([...documented].sort()).to.deep.equal([...pack].sort());
    });
});
