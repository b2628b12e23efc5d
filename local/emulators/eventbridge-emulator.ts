/**
 * A minimal EventBridge on 127.0.0.1 for tests and local mode: the PutEvents action of the AWS
 * JSON 1.1 protocol (`X-Amz-Target: AWSEvents.PutEvents`), answered the way EventBridge answers
 * it, so the real `@aws-sdk/client-eventbridge` can talk to it. It validates requests and entries
 * as EventBridge does, gives every accepted event an id, records it, and can be told to fail
 * chosen entries so that partial failures can be tested.
 *
 * Rules, targets and archives (PutRule, PutTargets, RemoveTargets, DeleteRule, DescribeRule,
 * ListRules, ListTargetsByRule, CreateArchive, TestEventPattern) route each accepted event as
 * EventBridge does: see `eventbridge/event-bus.ts` for delivery and `eventbridge/event-pattern.ts`
 * for matching. A rule whose pattern the local matcher cannot match is refused
 * (InvalidEventPatternException), never matched differently.
 *
 * Point a client at it with `endpoint: emulator.endpoint` (or `AWS_ENDPOINT_URL_EVENTBRIDGE`).
 */
import { randomUUID } from "node:crypto";
import { AwsApiError, isPlainObject, startAwsJsonServer } from "./aws-json-server";
import { PUT_EVENTS_MAX_BYTES, PUT_EVENTS_MAX_ENTRIES, putEventsEntrySize } from "../../handlers/events/put-events-limits";
import { busNameOf, EventBus, UnsupportedTargetError, type BusArchive, type BusRule, type Delivery, type EventBusOptions, type EventEnvelope } from "./eventbridge/event-bus";
import { compileEventPattern, EventPatternError } from "./eventbridge/event-pattern";

/** One event the emulator accepted. */
export interface RecordedEvent {
    /** The id the emulator gave it (a UUID, as EventBridge gives). */
    readonly id: string;
    readonly source: string;
    readonly detailType: string;
    /** The detail, parsed. */
    readonly detail: Record<string, unknown>;
    /** `EventBusName` as sent, or "default" when the entry named none. */
    readonly eventBusName: string;
    /** `Time` as sent (ISO 8601), or when the emulator received it. */
    readonly time: string;
    readonly resources: readonly string[];
}

/** A running emulator. */
export interface EventBridgeEmulator {
    /** `http://127.0.0.1:<port>`. */
    readonly endpoint: string;
    /** Every accepted event, in arrival order (a copy). */
    events(): RecordedEvent[];
    /** Every PutEvents request that reached validation, with its number of entries, in order. */
    requests(): { readonly entryCount: number }[];
    /**
     * Makes the next `count` otherwise valid entries fail with `errorCode` (default
     * `InternalFailure`, a transient EventBridge error) instead of being accepted.
     */
    failNextEntries(count: number, errorCode?: string, errorMessage?: string): void;
    /** Forgets recorded events and requests, pending failures, ended deliveries and archived events; keeps rules and archives. */
    reset(): void;
    /** The rules of a bus (default "default"), with their targets. */
    rules(eventBusName?: string): BusRule[];
    /** Deliveries to targets that have ended, in the order they ended. */
    deliveries(): Delivery[];
    /** The events an archive kept. */
    archivedEvents(archiveName: string): EventEnvelope[];
    /** Resolves when every delivery started so far has ended. */
    idle(): Promise<void>;
    /** `arn:aws:events:<region>:<account>:event-bus/<name>`. */
    busArn(eventBusName: string): string;
    /** Stops listening and closes open connections. */
    stop(): Promise<void>;
}

/** Request bodies larger than this are refused before parsing (well above 10 entries of 256 KiB in JSON). */
const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

/** A `Time` member as the SDK sends it (epoch seconds) or as a string; undefined when absent. */
function timeOf(value: unknown): string | undefined {
    if (typeof value === "number") return new Date(value * 1000).toISOString();
    if (typeof value === "string") return new Date(value).toISOString();
    return undefined;
}

/** The per-entry error EventBridge answers for an invalid entry, or undefined when it is valid. */
function entryError(entry: Record<string, unknown>): { ErrorCode: string; ErrorMessage: string } | undefined {
    for (const member of ["Source", "DetailType", "Detail"]) {
        const value = entry[member];
        if (typeof value !== "string" || value === "") {
            return { ErrorCode: "InvalidArgument", ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.` };
        }
    }
    let detail: unknown;
    try {
        detail = JSON.parse(entry.Detail as string);
    } catch {
        return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    }
    if (!isPlainObject(detail)) return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    return undefined;
}

/** Options of {@link startEventBridgeEmulator}: where targets are, and how deliveries retry. */
export type EventBridgeEmulatorOptions = Partial<EventBusOptions>;

/** Region and account of the emulator's ARNs unless told otherwise. */
const DEFAULT_REGION = "us-east-1";
const DEFAULT_ACCOUNT = "000000000000";

/** Names of rules, targets and archives: EventBridge's pattern for them. */
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

function requiredName(input: Record<string, unknown>, member: string): string {
    const value = input[member];
    if (typeof value !== "string" || !NAME.test(value)) {
        throw new AwsApiError(400, "ValidationException", `1 validation error detected: Value ${JSON.stringify(value ?? null)} at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`);
    }
    return value;
}

function patternFrom(input: Record<string, unknown>, member: string): string {
    const text = input[member];
    if (typeof text !== "string") throw new AwsApiError(400, "ValidationException", `${member} is required`);
    try {
        compileEventPattern(text);
    } catch (err) {
        if (err instanceof EventPatternError) throw new AwsApiError(400, "InvalidEventPatternException", `Event pattern is not valid. Reason: ${err.message}`);
        throw err;
    }
    return text;
}

/** Starts an emulator on 127.0.0.1 on a port the OS chooses. */
export async function startEventBridgeEmulator(options: EventBridgeEmulatorOptions = {}): Promise<EventBridgeEmulator> {
    const region = options.region ?? DEFAULT_REGION;
    const accountId = options.accountId ?? DEFAULT_ACCOUNT;
    const bus = new EventBus({ ...options, region, accountId });
    let recorded: RecordedEvent[] = [];
    let requests: { entryCount: number }[] = [];
    let failures: { errorCode: string; errorMessage: string }[] = [];

    function putEvents(input: Record<string, unknown>): unknown {
        const entries = input.Entries;
        if (!Array.isArray(entries) || entries.length < 1 || entries.length > PUT_EVENTS_MAX_ENTRIES) {
            const count = Array.isArray(entries) ? entries.length : 0;
            const constraint = count < 1 ? "greater than or equal to 1" : `less than or equal to ${PUT_EVENTS_MAX_ENTRIES}`;
            throw new AwsApiError(400, "ValidationException", `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${constraint}`);
        }
        if (!entries.every(isPlainObject)) throw new AwsApiError(400, "SerializationException", "Each entry must be a JSON object");
        const total = entries.reduce(
            (sum, entry) =>
                sum +
                putEventsEntrySize({
                    Source: entry.Source as string | undefined,
                    DetailType: entry.DetailType as string | undefined,
                    Detail: entry.Detail as string | undefined,
                    Resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : undefined,
                    Time: entry.Time === undefined ? undefined : new Date(0),
                }),
            0,
        );
        if (total > PUT_EVENTS_MAX_BYTES) throw new AwsApiError(400, "ValidationException", "Total size of the entries in the request is over the limit.");
        requests.push({ entryCount: entries.length });

        const results = entries.map((entry) => {
            const invalid = entryError(entry);
            if (invalid) return invalid;
            const failure = failures.shift();
            if (failure) return { ErrorCode: failure.errorCode, ErrorMessage: failure.errorMessage };
            const id = randomUUID();
            const event: RecordedEvent = {
                id,
                source: entry.Source as string,
                detailType: entry.DetailType as string,
                detail: JSON.parse(entry.Detail as string),
                eventBusName: typeof entry.EventBusName === "string" && entry.EventBusName !== "" ? entry.EventBusName : "default",
                time: timeOf(entry.Time) ?? new Date().toISOString(),
                resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
            };
            recorded.push(event);
            bus.route(busNameOf(event.eventBusName), {
                version: "0",
                id,
                "detail-type": event.detailType,
                source: event.source,
                account: accountId,
                // EventBridge's envelope carries the time to the second.
                time: event.time.replace(/\.\d{3}Z$/, "Z"),
                region,
                resources: event.resources,
                detail: event.detail,
            });
            return { EventId: id };
        });
        return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
    }

    const busOf = (input: Record<string, unknown>) => busNameOf(input.EventBusName);
    const describeRule = (rule: BusRule) => ({
        Name: rule.name,
        Arn: rule.arn,
        EventBusName: rule.eventBusName,
        EventPattern: rule.eventPattern,
        State: rule.state,
        ...(rule.description === undefined ? {} : { Description: rule.description }),
    });
    const existingRule = (input: Record<string, unknown>): BusRule => {
        const name = requiredName(input, input.Rule !== undefined ? "Rule" : "Name");
        const rule = bus.rule(busOf(input), name);
        if (!rule) throw new AwsApiError(400, "ResourceNotFoundException", `Rule ${name} does not exist on EventBus ${busOf(input)}.`);
        return rule;
    };

    const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
        PutEvents: putEvents,
        PutRule(input) {
            const name = requiredName(input, "Name");
            if (input.ScheduleExpression !== undefined) throw new AwsApiError(400, "ValidationException", "Scheduled rules are not emulated by the local bus.");
            const state = input.State ?? "ENABLED";
            if (state !== "ENABLED" && state !== "DISABLED") throw new AwsApiError(400, "ValidationException", `State must be ENABLED or DISABLED, got ${JSON.stringify(state)}`);
            const rule = bus.putRule({
                name,
                eventBusName: busOf(input),
                eventPattern: patternFrom(input, "EventPattern"),
                state,
                ...(typeof input.Description === "string" ? { description: input.Description } : {}),
            });
            return { RuleArn: rule.arn };
        },
        DescribeRule: (input) => describeRule(existingRule(input)),
        ListRules: (input) => ({
            Rules: bus
                .listRules(busOf(input))
                .filter((r) => typeof input.NamePrefix !== "string" || r.name.startsWith(input.NamePrefix))
                .map(describeRule),
        }),
        DeleteRule(input) {
            const rule = existingRule(input);
            try {
                bus.deleteRule(rule.eventBusName, rule.name);
            } catch (err) {
                throw new AwsApiError(400, "ValidationException", (err as Error).message);
            }
            return {};
        },
        PutTargets(input) {
            const rule = existingRule(input);
            const targets = input.Targets;
            if (!Array.isArray(targets) || targets.length < 1 || targets.length > 10) throw new AwsApiError(400, "ValidationException", "Targets must list 1 to 10 targets");
            const failed: { TargetId: unknown; ErrorCode: string; ErrorMessage: string }[] = [];
            for (const target of targets as Record<string, unknown>[]) {
                const unsupported = ["Input", "InputPath", "InputTransformer", "SqsParameters", "HttpParameters"].find((m) => target[m] !== undefined);
                if (typeof target.Id !== "string" || !NAME.test(target.Id) || typeof target.Arn !== "string") {
                    failed.push({ TargetId: target.Id, ErrorCode: "ValidationException", ErrorMessage: "Each target needs an Id and an Arn" });
                } else if (unsupported) {
                    failed.push({ TargetId: target.Id, ErrorCode: "ValidationException", ErrorMessage: `${unsupported} is not emulated by the local bus: it delivers the event itself` });
                } else {
                    const retry = target.RetryPolicy as { MaximumRetryAttempts?: number } | undefined;
                    const dlq = target.DeadLetterConfig as { Arn?: string } | undefined;
                    try {
                        bus.putTarget(rule.eventBusName, rule.name, {
                            id: target.Id,
                            arn: target.Arn,
                            ...(dlq?.Arn !== undefined ? { deadLetterArn: dlq.Arn } : {}),
                            ...(retry?.MaximumRetryAttempts !== undefined ? { maximumRetryAttempts: retry.MaximumRetryAttempts } : {}),
                        });
                    } catch (err) {
                        if (!(err instanceof UnsupportedTargetError)) throw err;
                        failed.push({ TargetId: target.Id, ErrorCode: "ValidationException", ErrorMessage: err.message });
                    }
                }
            }
            return { FailedEntryCount: failed.length, FailedEntries: failed };
        },
        ListTargetsByRule: (input) => ({
            Targets: existingRule(input).targets.map((t) => ({
                Id: t.id,
                Arn: t.arn,
                ...(t.deadLetterArn === undefined ? {} : { DeadLetterConfig: { Arn: t.deadLetterArn } }),
                ...(t.maximumRetryAttempts === undefined ? {} : { RetryPolicy: { MaximumRetryAttempts: t.maximumRetryAttempts } }),
            })),
        }),
        RemoveTargets(input) {
            const rule = existingRule(input);
            const ids = Array.isArray(input.Ids) ? input.Ids.map(String) : [];
            bus.removeTargets(rule.eventBusName, rule.name, ids);
            return { FailedEntryCount: 0, FailedEntries: [] };
        },
        CreateArchive(input) {
            const name = requiredName(input, "ArchiveName");
            const source = input.EventSourceArn;
            if (typeof source !== "string" || !source.includes(":event-bus/")) throw new AwsApiError(400, "ValidationException", "EventSourceArn must be an event bus ARN");
            let archive: BusArchive;
            try {
                archive = bus.createArchive({
                    name,
                    eventBusName: busNameOf(source),
                    ...(input.EventPattern !== undefined ? { eventPattern: patternFrom(input, "EventPattern") } : {}),
                    ...(typeof input.RetentionDays === "number" ? { retentionDays: input.RetentionDays } : {}),
                });
            } catch (err) {
                if (err instanceof AwsApiError) throw err;
                throw new AwsApiError(400, "ResourceAlreadyExistsException", (err as Error).message);
            }
            return { ArchiveArn: archive.arn, State: "ENABLED", CreationTime: Date.now() / 1000 };
        },
        TestEventPattern(input) {
            const pattern = compileEventPattern(patternFrom(input, "EventPattern"));
            let event: unknown;
            try {
                event = JSON.parse(String(input.Event));
            } catch {
                throw new AwsApiError(400, "InvalidEventPatternException", "Event is not valid JSON");
            }
            return { Result: pattern.matches(event) };
        },
    };

    const server = await startAwsJsonServer({
        targetPrefix: "AWSEvents",
        contentType: "application/x-amz-json-1.1",
        maxBodyBytes: MAX_REQUEST_BODY_BYTES,
        operations,
    });

    return {
        endpoint: server.endpoint,
        events: () => [...recorded],
        requests: () => [...requests],
        failNextEntries(count, errorCode = "InternalFailure", errorMessage = "Internal service error (injected by the emulator).") {
            if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
            for (let i = 0; i < count; i++) failures.push({ errorCode, errorMessage });
        },
        reset() {
            recorded = [];
            requests = [];
            failures = [];
            bus.reset();
        },
        rules: (eventBusName = "default") => bus.listRules(eventBusName),
        deliveries: () => bus.deliveries(),
        archivedEvents: (name) => bus.archivedEvents(name),
        idle: () => bus.idle(),
        busArn: (name) => bus.busArn(name),
        async stop() {
            await server.stop();
            await bus.close();
        },
    };
}
