import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runBench, TINY_CONFIG, writeResults, type BenchRun } from "../../bench/run";

describe("npm run bench (tiny sizes)", function () {
    // Every benchmark once on tiny sizes: about 20 s on a quiet 2-core machine, minutes on a busy one.
    this.timeout(300_000);
    let run: BenchRun;
    let dir: string;

    before(async () => {
        run = await runBench(TINY_CONFIG);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-"));
        writeResults(run, dir);
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("should run every benchmark and give each figure a finite value and a count of runs", () => {
        expect(run.sections.map((s) => s.id)).to.deep.equal([
            "goals",
            "bundle-size",
            "cold-start",
            "submit-order",
            "validation",
            "process-order",
            "local-pipeline",
            "cost",
        ]);
        for (const section of run.sections) {
            expect(section.figures, section.id).to.not.be.empty;
            expect(section.method, section.id).to.match(/\w/);
            for (const figure of section.figures) {
                expect(Number.isFinite(figure.median), `${section.id}: ${figure.name}`).to.equal(true);
                expect(figure.runs, figure.name).to.match(/\w/);
            }
        }
    });

    it("should compare ours with the peer in every timed benchmark", () => {
        for (const id of ["cold-start", "submit-order", "validation", "process-order"]) {
            const figures = run.sections.find((s) => s.id === id)!.figures;
            expect(figures.some((f) => f.vsPeer !== undefined && Number.isFinite(f.vsPeer)), id).to.equal(true);
        }
    });

    it("should put each goal of the performance issue beside its figure, and itemise the idle month", () => {
        const goals = run.sections.find((s) => s.id === "goals")!.figures;
        expect(goals.map((f) => f.name)).to.deep.equal([
            "local pipeline, fixed offered rate: orders per second end to end",
            "local pipeline, fixed offered rate: 202 latency p99",
            "local pipeline, fixed offered rate and saturated: orders lost",
            "local pipeline, fixed offered rate: CPU per order",
            "validation of a rejected order (JSON text to problem)",
            "cost per 1M orders, email off, vs the floor",
            "log bytes per order",
            "idle cost per month with the defaults",
        ]);
        for (const figure of goals) expect(figure.detail, figure.name).to.match(/^goal .*: (met|NOT met);/);
        const idle = run.sections.find((s) => s.id === "cost")!.figures.filter((f) => f.name.startsWith("idle month: "));
        expect(idle.map((f) => f.name)).to.deep.equal([
            "idle month: alarms",
            "idle month: dashboard",
            "idle month: event source mapping's empty receives",
            "idle month: PITR and storage at zero orders",
            "idle month: total with the defaults",
        ]);
        expect(idle[4].median).to.be.closeTo(idle.slice(0, 4).reduce((n, f) => n + f.median, 0), 1e-9);
        expect(goals[7].median).to.equal(idle[4].median);
    });

    it("should lose no order in the local pipeline", () => {
        expect(run.local).to.not.be.empty;
        for (const level of run.local) {
            expect(level.accepted).to.be.greaterThan(0);
            expect(level.lost).to.equal(0);
            expect(level.non202).to.equal(0);
        }
    });

    it("should count at least the floor's one write per order for both designs", () => {
        const wcu = run.sections.find((s) => s.id === "process-order")!.figures.filter((f) => f.name.endsWith("DynamoDB write units per order"));
        expect(wcu).to.have.length(4);
        for (const figure of wcu) expect(figure.median, figure.name).to.be.at.least(1);
    });

    it("should write the JSON, the Markdown table and the SVG chart", () => {
        const json = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8"));
        expect(json.sections).to.have.length(run.sections.length);
        const markdown = fs.readFileSync(path.join(dir, "results.md"), "utf8");
        expect(markdown).to.include("| Figure | Median | p90 | p99 |").and.include("## How each figure was measured").and.include("summary.svg");
        const svg = fs.readFileSync(path.join(dir, "summary.svg"), "utf8");
        expect(svg.trimStart().startsWith("<svg")).to.equal(true);
        expect(svg.trimEnd().endsWith("</svg>")).to.equal(true);
    });
});
