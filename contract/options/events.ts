/**
 * The `events` option's arguments: their types, defaults and resolution. Pure: the resources are
 * made by `components/events.ts`.
 */
import type { NumberSetting } from "../defaults";
import { isDeferred, type Deferred } from "../deferred";
import type { Array as List } from "../list";
import { integerRange, Problems } from "../problems";

/** The number settings of the `events` option, with their defaults and ranges. */
export const EVENTS_SETTINGS = {
    /**
     * Days the event archive keeps events: longer than a subscriber's DLQ keeps them (14 days), so
     * an event lost past its DLQ can still be replayed. 1 day to 10 years; EventBridge's 0 (forever)
     * is refused: an archive that never expires grows without bound.
     */
    archiveRetentionDays: { default: 30, ...integerRange(1, 3650) },
    /** Delivery retries of a subscriber's target (EventBridge RetryPolicy: 0 to 185; 185 is its default). */
    maximumRetryAttempts: { default: 185, ...integerRange(0, 185) },
    /** How long EventBridge keeps retrying a subscriber's target (RetryPolicy: 60 s to 24 h; 24 h is its default). */
    maximumEventAgeSeconds: { default: 86_400, ...integerRange(60, 86_400) },
} as const satisfies Record<string, NumberSetting>;

/** EventBridge's default quota on the length of an event pattern (raisable to 4096 on request). */
export const EVENT_PATTERN_MAX_LENGTH = 2048;
/** Subscriber names: the rule's name on the bus and part of every child's name, so short and plain. */
export const SUBSCRIBER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,23}$/;

const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;
const EVENT_BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]{1,256}$/;

/**
 * Where a subscriber's events go: set exactly one of the three ARNs (checked when the component is
 * built). One object with three optional fields rather than a union of three shapes, so that every
 * Pulumi language can express it; `{ queueArn }`, `{ functionArn }` and `{ eventBusArn }` are
 * values of it as they were of the union.
 */
export interface EventsTarget<S = Deferred<string>> {
    /**
     * ARN of an SQS queue. Its owner must allow EventBridge to send to it (see `queueTargetStatement`); the component never replaces the policy of a queue it does not own.
     * Exactly one of `queueArn`, `functionArn` and `eventBusArn` is required.
     */
    readonly queueArn?: S;
    /**
     * ARN of a Lambda function (unqualified or qualified); the component adds the invoke permission for this rule.
     * Exactly one of `queueArn`, `functionArn` and `eventBusArn` is required.
     */
    readonly functionArn?: S;
    /**
     * ARN of another event bus (e.g. in another account); the component creates the role EventBridge uses to put events there.
     * Exactly one of `queueArn`, `functionArn` and `eventBusArn` is required.
     */
    readonly eventBusArn?: S;
}

/** One consumer of the order events. `Target` lets a caller name its own type for the target. */
export interface EventsSubscriber<S = Deferred<string>, Target = EventsTarget<S>> {
    /** Unique among subscribers; letters, digits and hyphens, at most 24 characters. Names the rule on the bus. */
    readonly name: string;
    /**
     * The EventBridge event pattern the rule matches, as an object, e.g. `{ "detail-type": ["OrderPlaced"] }`.
     * Required, non-empty.
     */
    // `any`, not `unknown`: the pattern grammar is open, and Pulumi's schema inference reads an
    // `any` map as a map of free-form values (pulumi.json#/Any) where it refuses `unknown`.
    readonly pattern: Record<string, any>;
    /** Where matched events go. */
    readonly target: Target;
    /** Delivery retries before the event goes to the subscriber's DLQ, 0 to 185. Defaults to 185. */
    readonly maximumRetryAttempts?: number;
    /** Seconds EventBridge keeps retrying, 60 to 86400. Defaults to 86400 (24 h). */
    readonly maximumEventAgeSeconds?: number;
}

/**
 * The `events` option of OrderPipeline: a custom bus the pipeline publishes its order events on.
 * `Subscriber` lets a caller name its own type for the subscribers.
 */
export interface EventsArgs<S = Deferred<string>, Subscriber = EventsSubscriber<S>> {
    /** Days the bus archive keeps every event for replay, 1 to 3650. Defaults to 30. */
    readonly archiveRetentionDays?: number;
    /** Rules and targets to create on the bus. Defaults to none (consumers may add their own rules). */
    readonly subscribers?: List<Subscriber>;
}

/** A subscriber with every default applied. */
export interface SubscriberSettings<S = Deferred<string>> {
    readonly name: string;
    /** The pattern as the JSON text the rule stores. */
    readonly eventPattern: string;
    readonly target: { readonly kind: "queue" | "function" | "eventBus"; readonly arn: S };
    readonly maximumRetryAttempts: number;
    readonly maximumEventAgeSeconds: number;
}

/** The `events` option with every default applied. */
export interface EventsSettings<S = Deferred<string>> {
    readonly archiveRetentionDays: number;
    readonly subscribers: readonly SubscriberSettings<S>[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value) && !isDeferred(value);
}

/**
 * Where an event pattern breaks EventBridge's grammar: every field maps to an array of match
 * values or to a nested object of fields ("Event patterns": values are always in arrays).
 */
function patternProblems(field: string, pattern: Record<string, unknown>): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(pattern)) {
        if (Array.isArray(value)) {
            if (value.length === 0) problems.push(`${field}.${key} must list at least one match value`);
        } else if (isPlainObject(value)) {
            if (Object.keys(value).length === 0) problems.push(`${field}.${key} must not be an empty object`);
            else problems.push(...patternProblems(`${field}.${key}`, value));
        } else {
            problems.push(`${field}.${key} must be an array of match values or a nested object (EventBridge matches values in arrays), got ${JSON.stringify(value)}`);
        }
    }
    return problems;
}

/** The target's kind and ARN, or the problems with it. */
function resolveTarget<S>(field: string, target: unknown): SubscriberSettings<S>["target"] | string[] {
    if (!isPlainObject(target)) return [`${field} must be one of { queueArn }, { functionArn }, { eventBusArn }`];
    const kinds = ([["queueArn", "queue", SQS_ARN], ["functionArn", "function", FUNCTION_ARN], ["eventBusArn", "eventBus", EVENT_BUS_ARN]] as const).filter(
        ([key]) => target[key] !== undefined,
    );
    if (kinds.length !== 1) {
        const given = kinds.map(([key]) => key).join(" and ") || "none";
        return [`${field} must set exactly one of queueArn, functionArn, eventBusArn (got ${given})`];
    }
    const [key, kind, shape] = kinds[0];
    const arn = target[key] as S;
    // An Output is known only at deployment; a plain string is checked now.
    if (typeof arn === "string" && !shape.test(arn)) return [`${field}.${key} must be an ARN of that kind, got ${JSON.stringify(arn)}`];
    if (typeof arn !== "string" && !isDeferred(arn)) return [`${field}.${key} must be an ARN`];
    return { kind, arn };
}

/**
 * Applies the defaults of the `events` option and lists every problem, each naming its field
 * (`events.subscribers[1].name ...`), so that the caller can report them all at once.
 */
export function resolveEventsArgs<S>(args: EventsArgs<S>): { settings: EventsSettings<S>; problems: string[] } {
    const checks = new Problems();
    const problems = checks.list;
    const retention = args.archiveRetentionDays ?? EVENTS_SETTINGS.archiveRetentionDays.default;
    checks.range("events.archiveRetentionDays", args.archiveRetentionDays, EVENTS_SETTINGS.archiveRetentionDays);

    const given = args.subscribers ?? [];
    if (!Array.isArray(given)) problems.push("events.subscribers must be a list");
    const seen = new Set<string>();
    const subscribers: SubscriberSettings<S>[] = [];
    (Array.isArray(given) ? given : []).forEach((subscriber: EventsSubscriber<S>, index) => {
        const field = `events.subscribers[${index}]`;
        const before = problems.length;
        if (typeof subscriber?.name !== "string" || !SUBSCRIBER_NAME_PATTERN.test(subscriber.name)) {
            problems.push(`${field}.name must be 1-24 letters, digits or hyphens, starting with a letter or digit, got ${JSON.stringify(subscriber?.name)}`);
        } else if (seen.has(subscriber.name.toLowerCase())) {
            problems.push(`${field}.name ${JSON.stringify(subscriber.name)} is used by another subscriber (names are compared ignoring case)`);
        } else {
            seen.add(subscriber.name.toLowerCase());
        }
        let eventPattern = "";
        if (!isPlainObject(subscriber?.pattern) || Object.keys(subscriber.pattern).length === 0) {
            problems.push(`${field}.pattern must be a non-empty event pattern object, e.g. { "detail-type": ["OrderPlaced"] }`);
        } else {
            problems.push(...patternProblems(`${field}.pattern`, subscriber.pattern));
            eventPattern = JSON.stringify(subscriber.pattern);
            if (eventPattern.length > EVENT_PATTERN_MAX_LENGTH) {
                problems.push(`${field}.pattern is ${eventPattern.length} characters as JSON; EventBridge's default limit is ${EVENT_PATTERN_MAX_LENGTH}`);
            }
        }
        const target = resolveTarget<S>(`${field}.target`, subscriber?.target);
        if (Array.isArray(target)) problems.push(...target);
        checks.range(`${field}.maximumRetryAttempts`, subscriber?.maximumRetryAttempts, EVENTS_SETTINGS.maximumRetryAttempts);
        checks.range(`${field}.maximumEventAgeSeconds`, subscriber?.maximumEventAgeSeconds, EVENTS_SETTINGS.maximumEventAgeSeconds);
        if (problems.length > before || Array.isArray(target)) return;
        subscribers.push({
            name: subscriber.name,
            eventPattern,
            target,
            maximumRetryAttempts: subscriber.maximumRetryAttempts ?? EVENTS_SETTINGS.maximumRetryAttempts.default,
            maximumEventAgeSeconds: subscriber.maximumEventAgeSeconds ?? EVENTS_SETTINGS.maximumEventAgeSeconds.default,
        });
    });
    return { settings: { archiveRetentionDays: retention, subscribers }, problems };
}
