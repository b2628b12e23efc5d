import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Lexer, type Tokens } from "marked";
import { MAX_BODY_BYTES } from "../../handlers/http/body";
import { PROBLEMS } from "../../handlers/http/problem";
import { IDEMPOTENCY_KEY_MAX_LENGTH } from "../../handlers/order/idempotency";
import { CustomerSchema, LineItemSchema, OrderSchema, TEXT_PATTERN } from "../../handlers/order/schema";
import { MAX_REPORTED_VIOLATIONS } from "../../handlers/order/validation";
import { RefundRequestSchema } from "../../handlers/refund/refund-request";
import { ROOT } from "./markdown";

/** The figures of docs/http-api.md come from the schemas and constants the handlers enforce. */
const page = fs.readFileSync(path.join(ROOT, "docs/http-api.md"), "utf8");

/** The rows of the table whose first column is headed `firstHeader`, each row's cells joined by " | " (digit groups without commas). */
function rowsOf(firstHeader: string): string[] {
    const table = Lexer.lex(page).find((t): t is Tokens.Table => t.type === "table" && t.header[0]?.text === firstHeader);
    if (!table) throw new Error(`docs/http-api.md has no table starting with a "${firstHeader}" column`);
    return table.rows.map((row) => row.map((cell) => cell.text).join(" | ").replace(/(\d),(?=\d{3})/g, "$1"));
}

/** The one row of the table that starts with `first`. */
function rowStartingWith(firstHeader: string, first: string): string | undefined {
    return rowsOf(firstHeader).find((row) => row.startsWith(`${first} | `));
}

/** A numeric JSON Schema keyword of a schema (`maxLength`, `minimum`, ...); it must be set. */
function limit(schema: object, keyword: string): number {
    const value = (schema as Record<string, unknown>)[keyword];
    if (typeof value !== "number") throw new Error(`the schema has no numeric ${keyword}`);
    return value;
}

/** `min to max` of a schema, with the two keywords named. */
const range = (schema: object, min: string, max: string) => `${limit(schema, min)} to ${limit(schema, max)}`;

describe("docs/http-api.md", () => {
    it("should show the order fields' limits that the order schema enforces", () => {
        const { email, name, id } = CustomerSchema.properties;
        const { sku, quantity, unitPrice } = LineItemSchema.properties;
        const items = OrderSchema.properties.items;
        const expected: Record<string, string> = {
            "`customer.email`": `at most ${limit(email, "maxLength")} characters`,
            "`customer.name`": `${range(name, "minLength", "maxLength")} characters`,
            "`customer.id` (optional)": `${range(id, "minLength", "maxLength")} visible ASCII`,
            "`items`": `${range(items, "minItems", "maxItems")} lines`,
            "`items[].sku`": `${range(sku, "minLength", "maxLength")} of`,
            "`items[].quantity`": `integer, ${range(quantity, "minimum", "maximum")}`,
            "`items[].unitPrice`": range(unitPrice, "minimum", "maximum"),
        };
        for (const [field, phrase] of Object.entries(expected)) {
            expect(rowStartingWith("field", field), field).to.be.a("string").and.include(phrase);
        }
    });

    it("should name every free-text field the schemas hold in the free-text rule, and only those", () => {
        const fields: string[] = [];
        const walk = (schema: any, path: string) => {
            if (schema?.pattern === TEXT_PATTERN) fields.push(path);
            for (const [key, child] of Object.entries(schema?.properties ?? {})) walk(child, path ? `${path}.${key}` : key);
        };
        walk(OrderSchema, "");
        walk(RefundRequestSchema, "");
        const paragraph = page.split("\n\n").find((p) => p.startsWith("Free text ("));
        expect(paragraph, "a paragraph starting 'Free text ('").to.be.a("string");
        const documented = [...paragraph!.slice(0, paragraph!.indexOf(")")).matchAll(/`([^`]+)`/g)].map((m) => m[1]);
        expect(documented.sort()).to.deep.equal(fields.sort());
        expect(paragraph).to.include("well-formed Unicode").and.include("at least one visible character").and.include("C1");
    });

    it("should list every problem type the API answers with, under its status", () => {
        const documented = rowsOf("status").map((row) => row.split(" | ").slice(0, 2).join(" ").replace(/`/g, ""));
        const api = Object.values(PROBLEMS).map((p) => `${p.status} ${p.slug}`);
        expect([...documented].sort()).to.deep.equal([...api].sort());
    });

    it("should give the body, Idempotency-Key, violation and refund-reason limits the handlers enforce", () => {
        const kib = MAX_BODY_BYTES / 1024;
        expect(page).to.include(`The body is at most ${kib} KiB.`);
        expect(rowStartingWith("status", "413")).to.include(`over ${kib} KiB (${MAX_BODY_BYTES} bytes)`);
        expect(page).to.include(`1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters`);
        expect(page).to.include(`(up to ${MAX_REPORTED_VIOLATIONS}, then \`errorsTruncated: true\`)`);
        const reason = RefundRequestSchema.properties.reason;
        expect(page).to.include(`\`reason\`: ${range(reason, "minLength", "maxLength")} characters`);
    });
});
