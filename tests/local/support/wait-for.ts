/**
 * Polls a condition until it holds, or fails after `timeoutMs` naming what it waited for. Tests use
 * it to wait for asynchronous effects (a message processed, an email sent) without sleeping a
 * fixed time; the bound only keeps a broken pipeline from hanging the run.
 */
export async function waitFor(
    condition: () => boolean | Promise<boolean>,
    what: string,
    { timeoutMs = 30_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (await condition()) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
}
