import { performance } from "node:perf_hooks";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { bundleHandler } from "../components/bundling";
import { alternate } from "./alternate";
import { loadBundle } from "./bundle-module";
import type { Figure, Section } from "./figures";
import { postOrderEvent, sampleOrder, seededRandom } from "./orders";
import { pairedRatio, summarize } from "./stats";

/** Options of {@link measureValidation}. */
export interface ValidationOptions {
    readonly rounds: number;
    /** Passes over the inputs per block. */
    readonly passes: number;
    /** Distinct inputs of each kind. */
    readonly inputs: number;
}

/** A body with three faults: a quantity of 0, an unknown property, an unknown country. */
function faulty(random: () => number, n: number): unknown {
    const order = sampleOrder(random, n) as unknown as Record<string, any>;
    order.items[0].quantity = 0;
    order.customer.nickname = "ada";
    order.shippingAddress.country = "XX";
    return order;
}

/** The contenders, as the bundle a Lambda function would load (see {@link loadContenders}). */
type Contenders = typeof import("./validation-contenders").CONTENDERS;
type Contender = keyof Contenders;

/**
 * The contenders as esbuild bundles them for Lambda, both sides alike, not as this process loaded
 * their sources: typebox is ESM-only, and reached from CommonJS through Node's require(esm) every
 * access to its modules' exports goes through namespace getters, which made our error path look
 * about 4 times slower than in a deployed bundle.
 */
function loadContenders(): Contenders {
    return (loadBundle(bundleHandler("bench/validation-contenders.ts", { bundleAwsSdk: true }).code, "validation-contenders") as typeof import("./validation-contenders")).CONTENDERS;
}

/**
 * Validation cost alone: our typebox validator (compiled once, as SubmitOrder uses it) against
 * the peer's zod schema through Powertools Parser, on the same valid and faulty orders. "schema":
 * JSON text to validated order; "event": the whole HTTP API event to validated order, the way
 * each SubmitOrder does it (ours: content type, size, UTF-8 and JSON checks, then the schema;
 * the peer: the ApiGatewayV2Envelope, which also validates the event's own shape).
 */
export function measureValidation(options: ValidationOptions): Promise<Section> {
    const CONTENDERS = loadContenders();
    const random = seededRandom(7);
    const valid = Array.from({ length: options.inputs }, (_, n) => JSON.stringify(sampleOrder(random, n)));
    const invalid = Array.from({ length: options.inputs }, (_, n) => JSON.stringify(faulty(random, n)));
    const inputs = { valid, invalid };
    const events = { valid: valid.map((b) => postOrderEvent(b)), invalid: invalid.map((b) => postOrderEvent(b)) };

    // Both sides must reach the same verdict on every input, or the comparison is void.
    for (const kind of ["valid", "invalid"] as const) {
        inputs[kind].forEach((text, i) => {
            const verdicts = [
                CONTENDERS["ours/schema"](text),
                CONTENDERS["peer/schema"](text),
                CONTENDERS["ours/event"](events[kind][i]),
                CONTENDERS["peer/event"](events[kind][i]),
            ];
            if (verdicts.some((v) => v !== (kind === "valid"))) {
                throw new Error(`validators disagree on ${kind} input ${i}: ${JSON.stringify(verdicts)}: ${text}`);
            }
        });
    }
    return runValidation(CONTENDERS, options, inputs, events);
}

async function runValidation(
    CONTENDERS: Contenders,
    options: ValidationOptions,
    inputs: Record<"valid" | "invalid", string[]>,
    events: Record<"valid" | "invalid", APIGatewayProxyEventV2[]>,
): Promise<Section> {
    const nsPerOp = new Map<string, number[]>();
    const figures: Figure[] = [];
    for (const kind of ["valid", "invalid"] as const) {
        const contenders = Object.keys(CONTENDERS) as Contender[];
        for (const c of contenders) nsPerOp.set(`${c}/${kind}`, []);
        // Warm-up: let the JIT settle for every contender before timing.
        for (const c of contenders) block(c, kind, 1);
        await alternate(contenders, options.rounds, async (c) => {
            nsPerOp.get(`${c}/${kind}`)!.push(block(c, kind, options.passes));
        });
    }

    function block(c: Contender, kind: "valid" | "invalid", passes: number): number {
        const list: readonly unknown[] = c.endsWith("/event") ? events[kind] : inputs[kind];
        const fn = CONTENDERS[c] as (input: unknown) => boolean;
        let accepted = 0;
        const start = performance.now();
        for (let p = 0; p < passes; p++) for (const input of list) if (fn(input)) accepted++;
        const elapsedNs = (performance.now() - start) * 1e6;
        if (accepted !== (kind === "valid" ? passes * list.length : 0)) throw new Error(`${c} changed its verdict mid-run`);
        return elapsedNs / (passes * list.length);
    }

    const runs = `${options.rounds} alternating blocks x ${options.passes * options.inputs} validations`;
    for (const kind of ["valid", "invalid"] as const) {
        for (const scope of ["schema", "event"] as const) {
            for (const side of ["ours", "peer"] as const) {
                const samples = nsPerOp.get(`${side}/${scope}/${kind}`)!;
                const s = summarize(samples.map((ns) => ns / 1000));
                figures.push({
                    name: `${side === "ours" ? "ours (typebox check, compiled error walk)" : "peer (zod via Powertools Parser)"}: ${scope === "schema" ? "JSON text" : "HTTP API event"} to order, ${kind} orders`,
                    unit: "µs per request",
                    median: s.median,
                    p90: s.p90,
                    p99: s.p99,
                    ...(side === "ours" ? { vsPeer: pairedRatio(samples, nsPerOp.get(`peer/${scope}/${kind}`)!) } : {}),
                    runs,
                    better: "lower",
                });
            }
        }
    }
    const invalidRatio = pairedRatio(nsPerOp.get("ours/schema/invalid")!, nsPerOp.get("peer/schema/invalid")!);
    const validRatio = pairedRatio(nsPerOp.get("ours/schema/valid")!, nsPerOp.get("peer/schema/valid")!);
    return {
        id: "validation",
        notes: [
            `Valid orders: ours takes ${validRatio.toFixed(2)}x the peer's time. Rejected orders: ${invalidRatio.toFixed(2)}x (goal: at most 1.0x), ` +
                "with the same problem details: typebox's compiled check, then the compiled error walk (Ajv over the same schema, typebox's messages) instead of typebox's interpreted Errors().",
        ],
        title: "Validation cost",
        method:
            `Same ${options.inputs} valid sample orders (1-5 lines) and ${options.inputs} faulty ones (3 faults each), both sides giving the same ` +
            `verdict on every input (checked first). Both sides run from one esbuild bundle made like a handler's, as Lambda loads them ` +
            `(SDK included; no file is written). Time per request, in this process after a warm-up pass; ${runs}, ` +
            "contenders taking turns. Ratio: median of per-round ratios ours / peer.",
        figures,
        data: Object.fromEntries(nsPerOp),
    };
}
