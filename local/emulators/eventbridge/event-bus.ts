/**
 * The rules, targets and archives of the local event bus, and the delivery of matched events:
 * what EventBridge does after PutEvents has accepted an entry. Each accepted entry becomes an
 * event envelope (`version`, `id`, `detail-type`, `source`, `account`, `time`, `region`,
 * `resources`, `detail`); every ENABLED rule of its bus whose pattern matches sends the envelope
 * to each of its targets, and every archive of the bus whose pattern matches (or that has none)
 * keeps it.
 *
 * Targets: SQS queues (sent with the real SQS SDK to the queue's endpoint, e.g. fauxqs), functions
 * (invoked through {@link EventBusOptions.invokeFunction}, as EventBridge invokes Lambda
 * asynchronously), and other buses of this emulator. A failed delivery is retried with backoff
 * up to the target's `RetryPolicy.MaximumRetryAttempts` (bounded locally by
 * {@link EventBusOptions.maxAttempts}), then goes to the target's dead-letter queue with the
 * attributes EventBridge adds (`RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`, `ERROR_MESSAGE`), or is
 * recorded as failed.
 */
import { GetQueueUrlCommand, SendMessageCommand, SQSClient, type MessageAttributeValue } from "@aws-sdk/client-sqs";
import { compileEventPattern, type EventPattern } from "./event-pattern";

/** An event as EventBridge delivers it to targets. */
export interface EventEnvelope {
    readonly version: "0";
    readonly id: string;
    readonly "detail-type": string;
    readonly source: string;
    readonly account: string;
    readonly time: string;
    readonly region: string;
    readonly resources: readonly string[];
    readonly detail: Record<string, unknown>;
}

/** A target of a rule, as PutTargets gives it. */
export interface RuleTarget {
    readonly id: string;
    readonly arn: string;
    /** `DeadLetterConfig.Arn`: an SQS queue for events that could not be delivered. */
    readonly deadLetterArn?: string;
    /** `RetryPolicy.MaximumRetryAttempts` (EventBridge's default is 185). */
    readonly maximumRetryAttempts?: number;
}

/** A rule on a bus. */
export interface BusRule {
    readonly name: string;
    readonly eventBusName: string;
    readonly arn: string;
    readonly eventPattern: string;
    readonly state: "ENABLED" | "DISABLED";
    readonly description?: string;
    readonly targets: readonly RuleTarget[];
}

/** An archive of a bus. */
export interface BusArchive {
    readonly name: string;
    readonly arn: string;
    readonly eventBusName: string;
    readonly eventPattern?: string;
    readonly retentionDays: number;
}

/** One delivery of one event to one target, once it has ended. */
export interface Delivery {
    readonly eventId: string;
    readonly ruleArn: string;
    readonly targetId: string;
    readonly targetArn: string;
    readonly attempts: number;
    /** Delivered, sent to the target's DLQ, or failed without a DLQ (or the DLQ failed too). */
    readonly outcome: "delivered" | "dead-lettered" | "failed";
    readonly error?: string;
}

/** Settings of {@link EventBus}. */
export interface EventBusOptions {
    readonly region: string;
    readonly accountId: string;
    /** The SQS endpoint queue targets and DLQs live on (e.g. fauxqs); without it, queue targets fail. */
    readonly sqsEndpoint?: string;
    /** Invokes a function target by ARN, or answers undefined when no such function runs here. */
    readonly invokeFunction?: (functionArn: string, event: EventEnvelope) => Promise<unknown> | undefined;
    /** Delivery attempts at most, whatever the retry policy says. Defaults to 3. */
    readonly maxAttempts?: number;
    /** First retry delay in ms, doubled each retry. Defaults to 100. */
    readonly retryDelayMs?: number;
}

/** A target kind the bus cannot deliver to, refused at PutTargets. */
export class UnsupportedTargetError extends Error {}

const SQS_ARN = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9$_-]+)?$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/([A-Za-z0-9._\-/]{1,256})$/;

/** The bus name of an `EventBusName` member: a name, an ARN, or absent ("default"). */
export function busNameOf(value: unknown): string {
    if (typeof value !== "string" || value === "") return "default";
    return BUS_ARN.exec(value)?.[1] ?? value;
}

/** The rules, archives and deliveries of every bus of one emulator. */
export class EventBus {
    private rules = new Map<string, BusRule & { readonly pattern: EventPattern }>();
    private archives = new Map<string, BusArchive & { readonly pattern?: EventPattern }>();
    private archived = new Map<string, EventEnvelope[]>();
    private finished: Delivery[] = [];
    private pending = new Set<Promise<void>>();
    private sqs: SQSClient | undefined;
    private queueUrls = new Map<string, string>();

    constructor(private readonly options: EventBusOptions) {}

    /** `arn:aws:events:<region>:<account>:event-bus/<name>`. */
    busArn(name: string): string {
        return `arn:aws:events:${this.options.region}:${this.options.accountId}:event-bus/${name}`;
    }

    /** A rule's ARN: `rule/<name>` on the default bus, `rule/<bus>/<name>` on any other. */
    ruleArn(eventBusName: string, name: string): string {
        const path = eventBusName === "default" ? name : `${eventBusName}/${name}`;
        return `arn:aws:events:${this.options.region}:${this.options.accountId}:rule/${path}`;
    }

    /** Creates or updates a rule (its targets stay). Throws an EventPatternError for a pattern it cannot match. */
    putRule(rule: { name: string; eventBusName: string; eventPattern: string; state?: "ENABLED" | "DISABLED"; description?: string }): BusRule {
        const pattern = compileEventPattern(rule.eventPattern);
        const key = `${rule.eventBusName}/${rule.name}`;
        const existing = this.rules.get(key);
        const stored = {
            name: rule.name,
            eventBusName: rule.eventBusName,
            arn: this.ruleArn(rule.eventBusName, rule.name),
            eventPattern: rule.eventPattern,
            state: rule.state ?? "ENABLED",
            ...(rule.description === undefined ? {} : { description: rule.description }),
            targets: existing?.targets ?? [],
            pattern,
        };
        this.rules.set(key, stored);
        return this.publicRule(stored);
    }

    /** The rule, or undefined. */
    rule(eventBusName: string, name: string): BusRule | undefined {
        const rule = this.rules.get(`${eventBusName}/${name}`);
        return rule && this.publicRule(rule);
    }

    /** The rules of a bus, by name. */
    listRules(eventBusName: string): BusRule[] {
        return [...this.rules.values()].filter((r) => r.eventBusName === eventBusName).sort((a, b) => a.name.localeCompare(b.name)).map((r) => this.publicRule(r));
    }

    /** Deletes a rule that has no targets left (EventBridge refuses otherwise). */
    deleteRule(eventBusName: string, name: string): void {
        const rule = this.rules.get(`${eventBusName}/${name}`);
        if (rule && rule.targets.length > 0) throw new Error("Rule can't be deleted since it has targets.");
        this.rules.delete(`${eventBusName}/${name}`);
    }

    /** Adds or replaces targets of a rule. Throws {@link UnsupportedTargetError} for a target this bus cannot deliver to. */
    putTarget(eventBusName: string, ruleName: string, target: RuleTarget): void {
        const key = `${eventBusName}/${ruleName}`;
        const rule = this.rules.get(key);
        if (!rule) throw new Error(`Rule ${ruleName} does not exist on EventBus ${eventBusName}.`);
        if (!SQS_ARN.test(target.arn) && !FUNCTION_ARN.test(target.arn) && !BUS_ARN.test(target.arn)) {
            throw new UnsupportedTargetError(`the local bus delivers to SQS queues, Lambda functions and event buses only, not to ${target.arn}`);
        }
        if (target.deadLetterArn !== undefined && !SQS_ARN.test(target.deadLetterArn)) throw new UnsupportedTargetError(`a dead-letter queue must be an SQS queue ARN, got ${target.deadLetterArn}`);
        this.rules.set(key, { ...rule, targets: [...rule.targets.filter((t) => t.id !== target.id), target] });
    }

    /** Removes targets by id. */
    removeTargets(eventBusName: string, ruleName: string, ids: readonly string[]): void {
        const key = `${eventBusName}/${ruleName}`;
        const rule = this.rules.get(key);
        if (!rule) throw new Error(`Rule ${ruleName} does not exist on EventBus ${eventBusName}.`);
        this.rules.set(key, { ...rule, targets: rule.targets.filter((t) => !ids.includes(t.id)) });
    }

    /** Creates an archive of a bus; with a pattern it keeps only the events that match it. */
    createArchive(archive: { name: string; eventBusName: string; eventPattern?: string; retentionDays?: number }): BusArchive {
        if (this.archives.has(archive.name)) throw new Error(`Archive ${archive.name} already exists.`);
        const stored = {
            name: archive.name,
            arn: `arn:aws:events:${this.options.region}:${this.options.accountId}:archive/${archive.name}`,
            eventBusName: archive.eventBusName,
            retentionDays: archive.retentionDays ?? 0,
            ...(archive.eventPattern === undefined ? {} : { eventPattern: archive.eventPattern, pattern: compileEventPattern(archive.eventPattern) }),
        };
        this.archives.set(archive.name, stored);
        this.archived.set(archive.name, []);
        const { pattern: _pattern, ...shown } = stored as typeof stored & { pattern?: EventPattern };
        return shown;
    }

    /** The events an archive kept, in arrival order. */
    archivedEvents(name: string): EventEnvelope[] {
        return [...(this.archived.get(name) ?? [])];
    }

    /** Archives the event and starts its deliveries; they run in the background. */
    route(eventBusName: string, event: EventEnvelope): void {
        for (const archive of this.archives.values()) {
            if (archive.eventBusName === eventBusName && (!archive.pattern || archive.pattern.matches(event))) this.archived.get(archive.name)!.push(event);
        }
        for (const rule of this.rules.values()) {
            if (rule.eventBusName !== eventBusName || rule.state !== "ENABLED" || !rule.pattern.matches(event)) continue;
            for (const target of rule.targets) this.track(this.deliver(rule.arn, target, event));
        }
    }

    /** Deliveries that have ended, in the order they ended. */
    deliveries(): Delivery[] {
        return [...this.finished];
    }

    /** Resolves when every delivery started so far has ended. */
    async idle(): Promise<void> {
        while (this.pending.size > 0) await Promise.all([...this.pending]);
    }

    /** Forgets ended deliveries and archived events; keeps rules, targets and archives. */
    reset(): void {
        for (const name of this.archived.keys()) this.archived.set(name, []);
        this.finished = [];
    }

    /** Waits for deliveries in progress, then closes the SQS client. */
    async close(): Promise<void> {
        await this.idle();
        this.sqs?.destroy();
        this.sqs = undefined;
    }

    private publicRule(rule: BusRule & { pattern?: EventPattern }): BusRule {
        const { pattern: _pattern, ...shown } = rule;
        return { ...shown, targets: [...rule.targets] };
    }

    private track(work: Promise<void>): void {
        this.pending.add(work);
        void work.finally(() => this.pending.delete(work));
    }

    private sqsClient(): SQSClient {
        if (!this.options.sqsEndpoint) throw new Error("no SQS endpoint is configured for queue targets");
        this.sqs ??= new SQSClient({
            region: this.options.region,
            endpoint: this.options.sqsEndpoint,
            credentials: { accessKeyId: "local", secretAccessKey: "local" },
            maxAttempts: 1,
            requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
        });
        return this.sqs;
    }

    private async queueUrl(arn: string): Promise<string> {
        const cached = this.queueUrls.get(arn);
        if (cached) return cached;
        const [, , account, name] = SQS_ARN.exec(arn)!;
        const { QueueUrl } = await this.sqsClient().send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
        if (!QueueUrl) throw new Error(`queue ${arn} has no URL`);
        this.queueUrls.set(arn, QueueUrl);
        return QueueUrl;
    }

    private async sendToQueue(arn: string, body: string, attributes?: Record<string, MessageAttributeValue>): Promise<void> {
        const url = await this.queueUrl(arn);
        await this.sqsClient().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, ...(attributes ? { MessageAttributes: attributes } : {}) }));
    }

    private async deliverOnce(target: RuleTarget, event: EventEnvelope): Promise<void> {
        if (SQS_ARN.test(target.arn)) return this.sendToQueue(target.arn, JSON.stringify(event));
        const bus = BUS_ARN.exec(target.arn);
        if (bus) {
            this.route(bus[1], event);
            return;
        }
        const invoked = this.options.invokeFunction?.(target.arn, event);
        if (invoked === undefined) throw new Error(`no local function ${target.arn}`);
        await invoked;
    }

    private async deliver(ruleArn: string, target: RuleTarget, event: EventEnvelope): Promise<void> {
        const attemptsAllowed = Math.min(1 + (target.maximumRetryAttempts ?? 185), this.options.maxAttempts ?? 3);
        let delay = this.options.retryDelayMs ?? 100;
        let lastError: Error | undefined;
        let attempts = 0;
        while (attempts < attemptsAllowed) {
            attempts++;
            try {
                await this.deliverOnce(target, event);
                this.finished.push({ eventId: event.id, ruleArn, targetId: target.id, targetArn: target.arn, attempts, outcome: "delivered" });
                return;
            } catch (err) {
                lastError = err as Error;
                if (attempts < attemptsAllowed) await new Promise((resolve) => setTimeout(resolve, delay));
                delay *= 2;
            }
        }
        const error = lastError?.message ?? "unknown error";
        const base = { eventId: event.id, ruleArn, targetId: target.id, targetArn: target.arn, attempts, error };
        if (target.deadLetterArn === undefined) {
            this.finished.push({ ...base, outcome: "failed" });
            return;
        }
        try {
            const text = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: value });
            await this.sendToQueue(target.deadLetterArn, JSON.stringify(event), {
                RULE_ARN: text(ruleArn),
                TARGET_ARN: text(target.arn),
                ERROR_CODE: text("SDK_CLIENT_ERROR"),
                ERROR_MESSAGE: text(error.slice(0, 256)),
            });
            this.finished.push({ ...base, outcome: "dead-lettered" });
        } catch (dlqError) {
            this.finished.push({ ...base, outcome: "failed", error: `${error}; dead-letter queue: ${(dlqError as Error).message}` });
        }
    }
}
