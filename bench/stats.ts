/** Summary statistics of one set of samples, in the samples' unit. */
export interface Summary {
    /** Number of samples. */
    readonly n: number;
    readonly median: number;
    readonly p90: number;
    readonly p99: number;
    readonly min: number;
    readonly max: number;
}

/**
 * The q-quantile (0..1) by the nearest-rank method on sorted samples: a value that was actually
 * measured, never an interpolation between two runs.
 */
export function quantile(sorted: readonly number[], q: number): number {
    if (sorted.length === 0) throw new Error("quantile of no samples");
    const rank = Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Median, p90, p99, min and max of the samples. */
export function summarize(samples: readonly number[]): Summary {
    const sorted = [...samples].sort((a, b) => a - b);
    return {
        n: sorted.length,
        median: quantile(sorted, 0.5),
        p90: quantile(sorted, 0.9),
        p99: quantile(sorted, 0.99),
        min: sorted[0],
        max: sorted[sorted.length - 1],
    };
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
    return quantile([...values].sort((a, b) => a - b), 0.5);
}

/**
 * The median of the per-round ratios a[i] / b[i] of two paired sample lists: each round measured
 * both sides back to back, so machine drift between rounds cancels out of the ratio.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
    const rounds = Math.min(a.length, b.length);
    if (rounds === 0) throw new Error("paired ratio of no rounds");
    const ratios: number[] = [];
    for (let i = 0; i < rounds; i++) ratios.push(a[i] / b[i]);
    return median(ratios);
}
