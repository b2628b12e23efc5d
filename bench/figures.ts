/** Which way is better for a figure. */
export type Better = "lower" | "higher";

/** One line of the results table. */
export interface Figure {
    /** What is measured, e.g. "SubmitOrder, SDK bundled". */
    readonly name: string;
    /** Unit of median/p90/p99, e.g. "ms", "bytes", "orders/s", "$ / 1M orders". */
    readonly unit: string;
    /** The main value: the median where there are several runs, else the single value. */
    readonly median: number;
    readonly p90?: number;
    readonly p99?: number;
    /** This figure divided by the floor's. */
    readonly vsFloor?: number;
    /** Ours divided by the peer's (on our rows only). */
    readonly vsPeer?: number;
    /** How many runs or samples the figure comes from, e.g. "20 fresh processes". */
    readonly runs: string;
    /** Anything else worth a glance, e.g. "import 31 ms + answer 18 ms". */
    readonly detail?: string;
    readonly better: Better;
}

/** The result of one benchmark: its figures and how they were measured. */
export interface Section {
    readonly id: string;
    readonly title: string;
    /** How the figures were measured: what is timed, on what, how many runs, how ratios are formed. */
    readonly method: string;
    readonly figures: readonly Figure[];
    /** Findings worth stating in words (e.g. waste found, a decision taken from the figures). */
    readonly notes?: readonly string[];
    /** Raw data for the JSON file. */
    readonly data?: unknown;
}
