/** Whose bar: colours tell the designs apart in every panel. */
export type Tone = "floor" | "ours" | "peer";

/** One bar; with segments it is stacked, and the segments add up to its value. */
export interface Bar {
    readonly label: string;
    readonly value: number;
    readonly tone: Tone;
    readonly segments?: readonly { readonly name: string; readonly value: number }[];
}

/** One horizontal bar chart. */
export interface Panel {
    readonly title: string;
    /** Printed after each value, e.g. "ms"; "$" is printed before it. */
    readonly unit: string;
    readonly bars: readonly Bar[];
    /** Decimals of the printed values. */
    readonly decimals?: number;
}

const TONES: Readonly<Record<Tone, string>> = { floor: "#8a94a6", ours: "#2463b0", peer: "#d9731a" };
const SEGMENT_COLORS = ["#2463b0", "#4f8fd6", "#7fb0e6", "#16a085", "#8e44ad", "#c0392b", "#f1c40f", "#7f8c8d"];

const WIDTH = 820;
const LABEL_WIDTH = 330;
const BAR_AREA = 380;
const ROW = 24;
const TITLE = 34;
const FONT = "font-family=\"-apple-system, Segoe UI, Helvetica, Arial, sans-serif\"";

function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function renderPanel(panel: Panel, top: number): { svg: string; height: number } {
    const parts: string[] = [];
    const max = Math.max(...panel.bars.map((b) => b.value), Number.EPSILON);
    const segmentNames = [...new Set(panel.bars.flatMap((b) => (b.segments ?? []).map((s) => s.name)))];
    parts.push(`<text x="10" y="${top + 22}" font-size="15" font-weight="600" ${FONT}>${escapeXml(panel.title)}</text>`);
    let y = top + TITLE;
    for (const bar of panel.bars) {
        parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + 16}" font-size="12" text-anchor="end" ${FONT}>${escapeXml(bar.label)}</text>`);
        let x = LABEL_WIDTH;
        if (bar.segments && bar.segments.length > 0) {
            for (const segment of bar.segments) {
                const w = (segment.value / max) * BAR_AREA;
                const color = SEGMENT_COLORS[segmentNames.indexOf(segment.name) % SEGMENT_COLORS.length];
                parts.push(`<rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" fill="${color}"><title>${escapeXml(`${segment.name}: ${segment.value.toFixed(panel.decimals ?? 1)} ${panel.unit}`)}</title></rect>`);
                x += w;
            }
            // The design's colour as a thin outline keeps ours and the peer apart in stacked panels.
            parts.push(`<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${(x - LABEL_WIDTH).toFixed(1)}" height="${ROW - 8}" fill="none" stroke="${TONES[bar.tone]}" stroke-width="2"/>`);
        } else {
            const w = (bar.value / max) * BAR_AREA;
            parts.push(`<rect x="${x}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" fill="${TONES[bar.tone]}"/>`);
            x += w;
        }
        const value = bar.value.toFixed(panel.decimals ?? 0);
        parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + 16}" font-size="12" ${FONT}>${escapeXml(panel.unit === "$" ? `$${value}` : `${value} ${panel.unit}`)}</text>`);
        y += ROW;
    }
    if (segmentNames.length > 0) {
        // Equal slots, as wide as the longest name at a generous 7.5 px a character (11 px
        // capitals run wider than the average), wrapped at the right edge: no label can overlap
        // the next, whatever font the viewer substitutes.
        const slot = 24 + Math.max(...segmentNames.map((name) => name.length)) * 7.5;
        const perRow = Math.max(1, Math.floor((WIDTH - 10 - LABEL_WIDTH) / slot));
        y += 6;
        for (const [i, name] of segmentNames.entries()) {
            const x = LABEL_WIDTH + (i % perRow) * slot;
            const rowY = y + Math.floor(i / perRow) * 16;
            parts.push(`<rect x="${x.toFixed(1)}" y="${rowY}" width="10" height="10" fill="${SEGMENT_COLORS[i % SEGMENT_COLORS.length]}"/>`);
            parts.push(`<text x="${(x + 14).toFixed(1)}" y="${rowY + 9}" font-size="11" ${FONT}>${escapeXml(name)}</text>`);
        }
        y += 2 + Math.ceil(segmentNames.length / perRow) * 16;
    }
    return { svg: parts.join("\n"), height: y - top + 10 };
}

/** An SVG document with the panels one under the other, a legend of the designs, and a footnote. */
export function renderChart(panels: readonly Panel[], footnote: string): string {
    const bodies: string[] = [];
    let top = 0;
    for (const panel of panels) {
        const rendered = renderPanel(panel, top);
        bodies.push(rendered.svg);
        top += rendered.height;
    }
    const legendY = top + 8;
    const legend = (["ours", "peer", "floor"] as const)
        .map((tone, i) => {
            const x = 10 + i * 220;
            const label = tone === "ours" ? "order-pipeline" : tone === "peer" ? "peer (Powertools for AWS Lambda)" : "floor";
            return `<rect x="${x}" y="${legendY}" width="12" height="12" fill="${TONES[tone]}"/><text x="${x + 18}" y="${legendY + 11}" font-size="12" ${FONT}>${label}</text>`;
        })
        .join("\n");
    const height = legendY + 40;
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
        `<rect width="100%" height="100%" fill="#ffffff"/>`,
        ...bodies,
        legend,
        `<text x="10" y="${legendY + 32}" font-size="11" fill="#555555" ${FONT}>${escapeXml(footnote)}</text>`,
        "</svg>",
        "",
    ].join("\n");
}
