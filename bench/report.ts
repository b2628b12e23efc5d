import type { Figure, Section } from "./figures";

/** A number as people read it: integers with separators, otherwise 3 significant digits. */
export function formatNumber(value: number | undefined, unit = ""): string {
    if (value === undefined || Number.isNaN(value)) return "";
    if (unit === "bytes" || (Number.isInteger(value) && Math.abs(value) >= 1000)) return Math.round(value).toLocaleString("en-US");
    if (unit.startsWith("$")) return value.toFixed(2);
    const abs = Math.abs(value);
    if (abs >= 100) return value.toFixed(0);
    if (abs >= 10) return value.toFixed(1);
    return value.toFixed(2);
}

/** A ratio as "0.42x". */
export function formatRatio(value: number | undefined): string {
    return value === undefined || !Number.isFinite(value) ? "" : `${value.toFixed(2)}x`;
}

const HEADERS = ["Figure", "Median", "p90", "p99", "Unit", "vs floor", "ours / peer", "Runs", "Detail"] as const;

function cells(figure: Figure): string[] {
    return [
        figure.name,
        formatNumber(figure.median, figure.unit),
        formatNumber(figure.p90, figure.unit),
        formatNumber(figure.p99, figure.unit),
        figure.unit,
        formatRatio(figure.vsFloor),
        formatRatio(figure.vsPeer),
        figure.runs,
        figure.detail ?? "",
    ];
}

/** The whole result as one plain-text table, sections as group rows, for the terminal. */
export function textTable(sections: readonly Section[]): string {
    const rows: string[][] = [[...HEADERS]];
    const groups: number[] = [];
    for (const section of sections) {
        groups.push(rows.length);
        rows.push([`== ${section.title} ==`]);
        for (const figure of section.figures) rows.push(cells(figure));
    }
    // The detail column is left unpadded: it is long, and last.
    const widths = HEADERS.map((_, c) => (c === HEADERS.length - 1 ? 0 : Math.max(...rows.filter((r) => r.length > 1).map((r) => r[c].length))));
    return rows
        .map((row, i) => {
            if (groups.includes(i)) return `\n${row[0]}`;
            return row
                .map((cell, c) => (c === 0 || c >= 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
                .join("  ")
                .trimEnd();
        })
        .join("\n");
}

function escapeMarkdown(text: string): string {
    return text.replace(/\|/g, "\\|");
}

/** The whole result as Markdown: one table, then how each section was measured, then findings. */
export function markdownReport(
    sections: readonly Section[],
    meta: { readonly date: string; readonly machine: string; readonly durationSeconds: number; readonly chart: string; readonly rerun?: string },
): string {
    const lines: string[] = [];
    lines.push("# Benchmark results", "");
    lines.push(`Run on ${meta.date}, ${meta.machine}; the whole bench took ${meta.durationSeconds.toFixed(0)} s (\`npm run bench\`).`, "");
    if (meta.rerun) lines.push(meta.rerun, "");
    lines.push(`![Benchmark summary](${meta.chart})`, "");
    lines.push(`| ${HEADERS.join(" | ")} |`);
    lines.push(`|${HEADERS.map((_, i) => (i >= 1 && i <= 3 ? "---:" : "---")).join("|")}|`);
    for (const section of sections) {
        lines.push(`| **${escapeMarkdown(section.title)}** |${" |".repeat(HEADERS.length - 1)}`);
        for (const figure of section.figures) lines.push(`| ${cells(figure).map(escapeMarkdown).join(" | ")} |`);
    }
    lines.push("", "Ratios: *vs floor* divides a figure by the floor's; *ours / peer* divides ours by the peer's (below 1 is less for us, which is better for times, sizes and costs and worse for rates).", "");
    lines.push("## How each figure was measured", "");
    for (const section of sections) lines.push(`- **${section.title}.** ${section.method}`);
    const notes = sections.flatMap((s) => (s.notes ?? []).map((n) => `- **${s.title}:** ${n}`));
    if (notes.length > 0) lines.push("", "## Findings", "", ...notes);
    return `${lines.join("\n")}\n`;
}
