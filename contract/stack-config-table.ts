/**
 * The table of stack configuration keys that docs/configuration.md shows, made from
 * {@link STACK_CONFIG_KEYS} so that the page cannot drift from the code (`npm run docs:config`
 * writes it; a test checks it).
 */
import { CONFIG_NAMESPACE, STACK_CONFIG_KEYS, type StackConfigKey } from "./stack-config";

/** The markers between which the table stands in the page. */
export const TABLE_BEGIN = "<!-- stack-keys:begin -->";
export const TABLE_END = "<!-- stack-keys:end -->";

function cell(text: string): string {
    return text.replace(/\|/g, "\\|");
}

/** The markdown table: key, type, default, argument, meaning. */
export function stackConfigTable(): string {
    const rows = Object.entries(STACK_CONFIG_KEYS).map(([key, spec]: [string, StackConfigKey]) =>
        `| \`${CONFIG_NAMESPACE}:${key}\` | ${spec.type} | ${cell(spec.default)} | ${spec.arg === undefined ? "" : `\`${spec.arg}\``} | ${cell(spec.description)} |`,
    );
    return ["| key | type | default | argument | meaning |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}

/** `page` with the text between the markers replaced by the current table. */
export function withStackConfigTable(page: string): string {
    const begin = page.indexOf(TABLE_BEGIN);
    const end = page.indexOf(TABLE_END);
    if (begin < 0 || end < begin) throw new Error(`the page has no ${TABLE_BEGIN} ... ${TABLE_END} section`);
    return `${page.slice(0, begin + TABLE_BEGIN.length)}\n${stackConfigTable()}\n${page.slice(end)}`;
}
