/**
 * `npx tsx bench/email-events-cost.ts [--rounds <n>] [--seconds <s>] [--connections <c>]`: what
 * SES's Delivery events for ordinary recipients cost local mode. Runs the local pipeline with email
 * on (as `npm start` does), sample orders to ordinary addresses, in two ways that take turns round
 * after round: `ordinaryRecipients: "ignore"` (the email-events path idle) and `"deliver"` (one
 * Delivery event per order through the simulator, SNS, the email-events queue and function).
 * Prints each round and the medians: orders per second end to end (until every order is stored and
 * every event handled) and CPU per order.
 */
import { parseArgs } from "node:util";
import { measureLocalPipeline, type LevelResult } from "./local-pipeline";
import { median } from "./stats";

const MODES = ["ignore", "deliver"] as const;

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { rounds: { type: "string" }, seconds: { type: "string" }, connections: { type: "string" } } });
    const rounds = Number(values.rounds ?? 3);
    const seconds = Number(values.seconds ?? 10);
    const connections = Number(values.connections ?? 50);
    const results: Record<(typeof MODES)[number], LevelResult[]> = { ignore: [], deliver: [] };
    for (let round = 1; round <= rounds; round++) {
        for (const mode of round % 2 === 1 ? MODES : [...MODES].reverse()) {
            const { levels } = await measureLocalPipeline({
                concurrencies: [connections],
                seconds,
                drainTimeoutSeconds: 120,
                pipeline: { args: { email: { sender: "orders@example.com" } }, ordinaryRecipients: mode },
            });
            const level = levels[0];
            results[mode].push(level);
            process.stdout.write(
                `round ${round} ${mode.padEnd(7)}: ${level.endToEndPerSecond.toFixed(0)} orders/s end to end, ${level.cpuMsPerOrder.process.toFixed(2)} ms CPU per order ` +
                    `(main thread ${level.cpuMsPerOrder.mainThread.toFixed(2)}), ${level.accepted} orders, lost ${level.lost}\n`,
            );
        }
    }
    const summary = (mode: (typeof MODES)[number]) => ({
        perSecond: median(results[mode].map((l) => l.endToEndPerSecond)),
        cpu: median(results[mode].map((l) => l.cpuMsPerOrder.process)),
    });
    const ignore = summary("ignore");
    const deliver = summary("deliver");
    process.stdout.write(
        `\nmedian of ${rounds} rounds, ${connections} connections, ${seconds} s each, email on:\n` +
            `  ignore  (no event for ordinary recipients): ${ignore.perSecond.toFixed(0)} orders/s end to end, ${ignore.cpu.toFixed(2)} ms CPU per order\n` +
            `  deliver (a Delivery event for each order):  ${deliver.perSecond.toFixed(0)} orders/s end to end, ${deliver.cpu.toFixed(2)} ms CPU per order\n` +
            `  deliver / ignore: throughput x${(deliver.perSecond / ignore.perSecond).toFixed(2)}, CPU per order x${(deliver.cpu / ignore.cpu).toFixed(2)}\n`,
    );
}

main().catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
});
