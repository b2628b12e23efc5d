/**
 * The cold-start floor: a handler that loads nothing and answers at once. What a fresh Node
 * process costs before any handler code runs; every other figure is compared against it.
 */
/** Answers 200 without doing anything. */
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });
