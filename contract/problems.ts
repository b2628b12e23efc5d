/**
 * One way to collect argument problems and to check a number against its range, so that every
 * option, the component and local mode report the same errors in the same words.
 */

/** A number's valid range, and where that range comes from (an AWS limit, a rule of ours). */
export interface Range {
    readonly min: number;
    readonly max: number;
    /** Whether only whole numbers are valid. */
    readonly integer: boolean;
    /** Whether `min` itself is refused (a rate must be above 0). */
    readonly exclusiveMin?: boolean;
    /** Why the range is what it is, shown after it in an error, e.g. " (Lambda's range for SQS)". */
    readonly why?: string;
}

/** An integer range. */
export function integerRange(min: number, max: number, why?: string): Range {
    return { min, max, integer: true, ...(why === undefined ? {} : { why }) };
}

/** A range of numbers that need not be whole. */
export function numberRange(min: number, max: number, options: { exclusiveMin?: boolean; why?: string } = {}): Range {
    return { min, max, integer: false, ...options };
}

/** Whether `value` is a number within `range`. */
export function inRange(value: unknown, range: Range): value is number {
    return (
        typeof value === "number" &&
        Number.isFinite(value) &&
        (!range.integer || Number.isInteger(value)) &&
        (range.exclusiveMin ? value > range.min : value >= range.min) &&
        value <= range.max
    );
}

/** The range in words: "an integer from 1 to 10", "a number above 0 and at most 10000". */
export function describeRange(range: Range): string {
    const kind = range.integer ? "an integer" : "a number";
    return range.exclusiveMin ? `${kind} above ${range.min} and at most ${range.max}` : `${kind} from ${range.min} to ${range.max}`;
}

/** Thrown when OrderPipeline arguments are invalid; lists every problem, one per line. */
export class OrderPipelineArgsError extends Error {
    /** Each problem, starting with the argument it concerns. */
    readonly problems: readonly string[];
    constructor(name: string, problems: readonly string[]) {
        super(`Invalid arguments for OrderPipeline "${name}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "OrderPipelineArgsError";
        this.problems = problems;
    }
}

/** Collects problems; each check names the argument it concerns. */
export class Problems {
    readonly list: string[] = [];

    add(problem: string): void {
        this.list.push(problem);
    }

    /** A number within its range; an unset value (undefined) is fine, the default applies. */
    range(arg: string, value: unknown, range: Range): void {
        if (value === undefined || inRange(value, range)) return;
        this.add(`${arg} must be ${describeRange(range)}${range.why ?? ""}, got ${typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value))}`);
    }

    /** One of a fixed set of values. */
    oneOf(arg: string, value: unknown, allowed: readonly unknown[], why = ""): void {
        if (value === undefined || allowed.includes(value)) return;
        this.add(`${arg} must be one of ${allowed.join(", ")}${why}, got ${JSON.stringify(value)}`);
    }

    /** true or false. */
    boolean(arg: string, value: unknown): void {
        if (value === undefined || typeof value === "boolean") return;
        this.add(`${arg} must be true or false, got ${JSON.stringify(value)}`);
    }

    /** A plain string that must match a pattern; a deferred value is checked by AWS at deployment. */
    pattern(arg: string, value: unknown, pattern: RegExp, expected: string): void {
        if (typeof value === "string" && !pattern.test(value)) {
            this.add(`${arg} must be ${expected}, got "${value}"`);
        }
    }

    /** Throws every problem at once as an {@link OrderPipelineArgsError}. */
    throwIfAny(name: string): void {
        if (this.list.length > 0) throw new OrderPipelineArgsError(name, this.list);
    }
}
