import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { sentEmails } from "../../local/emulators/email-store";
import { createLocalClients } from "../../local/pipeline/local-clients";
import type { LocalPipeline } from "../../local/pipeline/pipeline";
import { fuzzInputArb, INPUT_CLASSES, type FuzzInput, type InputClass } from "./fuzz-inputs";

/** What one fuzz run found: inputs by class, outcomes, and every broken expectation. */
export interface FuzzReport {
    readonly seed: number;
    readonly runs: number;
    readonly inputs: Record<InputClass, number>;
    /** HTTP answers by status code. */
    readonly statuses: Record<string, number>;
    /** 202 answers whose order ended CONFIRMED with exactly one well-formed email. */
    readonly confirmed: number;
    /** Confirmation emails found for the accepted orders. */
    readonly emails: number;
    /** Broken expectations; empty when the pipeline held. */
    readonly problems: string[];
}

/** How long the accepted orders may take to be confirmed once every request is answered. */
const SETTLE_TIMEOUT_MS = 120_000;

/** Control characters an email text must not hold (its line feeds aside), and unpaired surrogates. */
const BAD_EMAIL_TEXT = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029]|\p{Surrogate}/u;

/** Sends one input to `POST /orders` and checks the answer's shape; resolves to the order id of a 202. */
async function send(apiUrl: string, input: FuzzInput, statuses: Record<string, number>, problems: string[]): Promise<string | undefined> {
    const response = await fetch(`${apiUrl}/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: input.body });
    const text = await response.text();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    const where = `${input.inputClass} ${JSON.stringify(input.body.slice(0, 120))}`;
    if (response.status === 202) {
        const body = JSON.parse(text) as { orderId?: string; status?: string };
        if (body.status !== "ACCEPTED" || typeof body.orderId !== "string") problems.push(`202 without an order id: ${where}`);
        return body.orderId;
    }
    if (response.status >= 400 && response.status < 500) {
        const type = response.headers.get("content-type") ?? "";
        let problem: { type?: unknown; status?: unknown } = {};
        try {
            problem = JSON.parse(text);
        } catch {
            // Reported below.
        }
        if (!type.startsWith("application/problem+json") || problem.status !== response.status || typeof problem.type !== "string") {
            problems.push(`${response.status} without a problem body (${type}): ${where}`);
        }
        return undefined;
    }
    problems.push(`answered ${response.status}: ${where}`);
    return undefined;
}

/**
 * Fuzzes the whole path of local mode: fast-check draws request bodies (hostile Unicode, numbers at
 * every boundary, deep nesting, duplicate keys, random JSON and text) and posts each to the running
 * pipeline's `POST /orders`, through SubmitOrder, the queue, ProcessOrder and the emulators. Each
 * answer must be a 4xx problem body or a 202; then every 202 must end CONFIRMED with exactly one
 * email whose text is well-formed, the DLQ must be empty, and the table must hold exactly the
 * accepted orders (a refused request enqueued nothing). The pipeline should be a fresh one.
 */
export async function runOrderFuzz(pipeline: LocalPipeline, options: { readonly seed: number; readonly runs: number }): Promise<FuzzReport> {
    const inputs = Object.fromEntries(INPUT_CLASSES.map((c) => [c, 0])) as Record<InputClass, number>;
    const statuses: Record<string, number> = {};
    const problems: string[] = [];
    const accepted: string[] = [];

    await fc.assert(
        fc.asyncProperty(fuzzInputArb, async (input) => {
            inputs[input.inputClass]++;
            const orderId = await send(pipeline.apiUrl, input, statuses, problems);
            if (orderId !== undefined) accepted.push(orderId);
        }),
        { seed: options.seed, numRuns: options.runs, endOnFailure: true },
    );

    const clients = createLocalClients(pipeline.endpoints);
    const doc = DynamoDBDocumentClient.from(clients.dynamodb);
    let confirmed = 0;
    let emails = 0;
    try {
        // Every accepted order settles: CONFIRMED (or, wrongly, anything else) once the queue is empty.
        const deadline = Date.now() + SETTLE_TIMEOUT_MS;
        let items: Array<Record<string, unknown>> = [];
        for (;;) {
            items = await scanAll(doc, pipeline.resources.tableName);
            const settled = items.filter((item) => item.status !== "STORED").length;
            if (items.length >= accepted.length && settled === items.length) break;
            if (Date.now() > deadline) {
                problems.push(`after ${SETTLE_TIMEOUT_MS} ms: ${items.length} of ${accepted.length} accepted orders stored, ${items.length - settled} still STORED`);
                break;
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const byId = new Map(items.map((item) => [String(item.orderId), item]));
        const sender = pipeline.emailSender;
        const mail = (await sentEmails(pipeline.endpoints.ses)).filter((email) => sender === undefined || email.from === sender);
        for (const orderId of accepted) {
            const item = byId.get(orderId);
            const own = mail.filter((email) => email.subject.includes(orderId));
            emails += own.length;
            if (item?.status !== "CONFIRMED") {
                problems.push(`order ${orderId} is ${String(item?.status ?? "missing")}${item?.failureReason ? ` (${String(item.failureReason)})` : ""}`);
            } else if (sender !== undefined && own.length !== 1) {
                problems.push(`order ${orderId} has ${own.length} emails`);
            } else if (own.some((email) => BAD_EMAIL_TEXT.test(`${email.subject}${email.body.text ?? ""}${email.body.html ?? ""}`))) {
                problems.push(`order ${orderId}'s email holds a control character or an unpaired surrogate`);
            } else {
                confirmed++;
            }
        }
        if (byId.size !== accepted.length) problems.push(`the table holds ${byId.size} orders for ${accepted.length} 202 answers`);
        const dlq = await clients.sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: pipeline.resources.dlqUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }),
        );
        const dead = Number(dlq.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(dlq.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
        if (dead > 0) problems.push(`${dead} message(s) in the DLQ`);
    } finally {
        clients.destroy();
    }
    return { seed: options.seed, runs: options.runs, inputs, statuses, confirmed, emails, problems };
}

async function scanAll(doc: DynamoDBDocumentClient, tableName: string): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
        const page = await doc.send(new ScanCommand({ TableName: tableName, ProjectionExpression: "orderId, #s, failureReason", ExpressionAttributeNames: { "#s": "status" }, ExclusiveStartKey: start }));
        items.push(...((page.Items ?? []) as Array<Record<string, unknown>>));
        start = page.LastEvaluatedKey;
    } while (start);
    return items;
}

/** The report as the lines `npm run fuzz` prints. */
export function formatFuzzReport(report: FuzzReport): string {
    const byStatus = Object.entries(report.statuses)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([status, count]) => `${status} ${count}`)
        .join(", ");
    const inputs = Object.entries(report.inputs)
        .map(([name, count]) => `${name} ${count}`)
        .join(", ");
    return [
        `seed ${report.seed}, runs ${report.runs}`,
        `inputs: ${inputs}`,
        `answers: ${byStatus}`,
        `202 confirmed with one well-formed email: ${report.confirmed}; emails: ${report.emails}`,
        report.problems.length === 0 ? "problems: none" : `problems (${report.problems.length}):\n  ${report.problems.slice(0, 20).join("\n  ")}`,
    ].join("\n");
}
