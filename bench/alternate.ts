/**
 * Runs `run` for every variant in each round, rotating which variant goes first, so that the
 * variants share the machine's good and bad moments alike: drift over the run shows up in every
 * variant's samples, not in one. Rounds run one after the other; variants never overlap.
 */
export async function alternate<K>(
    variants: readonly K[],
    rounds: number,
    run: (variant: K, round: number) => Promise<void>,
): Promise<void> {
    for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < variants.length; i++) {
            await run(variants[(round + i) % variants.length], round);
        }
    }
}
