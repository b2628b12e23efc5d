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

    it("should list every configurable setting of the pack under its policy", () => {
        const documented = tableRows("policy").map(([policy, setting]) => `${unquote(policy)} ${/^`([^`]+)`/.exec(setting)?.[1]}`);
        const pack = allPolicies.flatMap((p) => Object.keys(p.configSchema?.properties ?? {}).map((key) => `${p.name} ${key}`));
        expect(pack.length).to.be.greaterThan(0);
        expect([...documented].sort()).to.deep.equal([...pack].sort());
    });
});
