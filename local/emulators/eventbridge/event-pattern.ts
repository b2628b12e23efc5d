/**
 * EventBridge event patterns, compiled and matched as the Amazon EventBridge User Guide describes
 * them ("Event patterns", "Comparison operators for use in event patterns", "Arrays in event
 * patterns", "Matching null values and empty strings"):
 *
 * - a pattern is a JSON object; its fields are ANDed; a field holds either a nested pattern or a
 *   non-empty array of match values, which are ORed;
 * - a match value is an exact JSON value (string, number compared by value, `true`, `false`,
 *   `null`; an empty string and null are different), or one object with one operator: `prefix`,
 *   `suffix` (each a string or `{"equals-ignore-case": ...}`), `equals-ignore-case`, `wildcard`,
 *   `anything-but` (a string, a number, a list of only strings or only numbers, or `{prefix}`,
 *   `{suffix}`, `{equals-ignore-case}`, `{wildcard}`), `numeric` (`=`, or a lower and/or an upper
 *   bound), `cidr` (IPv4 or IPv6) or `exists`;
 * - `"$or": [ {...}, {...} ]` (at least two patterns) ORs whole sub-patterns at its level;
 * - an array in the event matches when any of its elements matches; objects in an array are
 *   matched one element at a time, so two fields are never taken from different elements;
 * - operators apply to leaf values only: a field whose value is an object is, for a leaf match
 *   value, absent (so `{"exists": false}` matches it, as the guide's own example shows).
 *
 * Anything else (an unknown operator, two operators in one object, a numeric range out of
 * EventBridge's bounds, a malformed wildcard) is refused at compile time with an
 * {@link EventPatternError} that names the field: a local bus must never match differently from
 * EventBridge without saying so.
 */
import { BlockList, isIP } from "node:net";

/** A pattern EventBridge would refuse, or one this matcher cannot match faithfully. */
export class EventPatternError extends Error {
    override readonly name = "EventPatternError";
}

/** A compiled pattern. */
export interface EventPattern {
    /** The pattern as given. */
    readonly source: unknown;
    /** True when the event (an EventBridge event envelope, parsed) matches. */
    matches(event: unknown): boolean;
}

/** Numeric matching's bounds (EventBridge: values from -5.0e9 to +5.0e9 inclusive). */
export const NUMERIC_LIMIT = 5e9;

type Json = Record<string, unknown>;

/** A leaf event value: a string, number, boolean or null (objects and arrays are not leaves). */
type Leaf = string | number | boolean | null;

/** One match value of a field, compiled. */
interface LeafMatcher {
    /** Whether this matcher looks at the field's absence (`exists`) rather than at its values. */
    readonly onAbsence?: boolean;
    /** Matches one leaf value. */
    readonly test: (value: Leaf) => boolean;
}

/** A compiled (sub-)pattern: matches the object at its level. */
type ObjectMatcher = (value: Json) => boolean;

const OPERATORS = new Set(["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "cidr", "exists"]);

function isObject(value: unknown): value is Json {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function fail(path: string, message: string): never {
    throw new EventPatternError(`event pattern${path === "" ? "" : ` ${path}`}: ${message}`);
}

function describe(value: unknown): string {
    return JSON.stringify(value) ?? String(value);
}

/** A string operand, or `{"equals-ignore-case": string}` when `ignoreCaseAllowed`. */
function stringOperand(path: string, operand: unknown, ignoreCaseAllowed: boolean): { text: string; ignoreCase: boolean } {
    if (typeof operand === "string") return { text: operand, ignoreCase: false };
    if (ignoreCaseAllowed && isObject(operand) && Object.keys(operand).length === 1 && typeof operand["equals-ignore-case"] === "string") {
        return { text: operand["equals-ignore-case"] as string, ignoreCase: true };
    }
    return fail(path, `expects a string${ignoreCaseAllowed ? ' or {"equals-ignore-case": "<string>"}' : ""}, got ${describe(operand)}`);
}

/** Compiles a wildcard value: `*` matches any run of characters, `\*` a star, `\\` a backslash. */
export function compileWildcard(path: string, wildcard: unknown): (text: string) => boolean {
    if (typeof wildcard !== "string") return fail(path, `wildcard expects a string, got ${describe(wildcard)}`);
    let source = "";
    for (let i = 0; i < wildcard.length; i++) {
        const c = wildcard[i];
        if (c === "\\") {
            const next = wildcard[i + 1];
            if (next !== "*" && next !== "\\") fail(path, `wildcard ${describe(wildcard)}: a backslash may only escape "*" or "\\"`);
            source += `\\${next}`;
            i++;
        } else if (c === "*") {
            if (wildcard[i + 1] === "*") fail(path, `wildcard ${describe(wildcard)}: consecutive wildcard characters are not allowed`);
            source += "[\\s\\S]*";
        } else {
            source += c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
        }
    }
    const regex = new RegExp(`^${source}$`, "u");
    return (text) => regex.test(text);
}

/** Compiles `numeric: [op, n, (op, n)]`. */
function compileNumeric(path: string, operand: unknown): (value: number) => boolean {
    if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
        return fail(path, `numeric expects [op, number] or [lower op, number, upper op, number], got ${describe(operand)}`);
    }
    const checks: Array<(v: number) => boolean> = [];
    let lower: number | undefined;
    let upper: number | undefined;
    let equals = false;
    for (let i = 0; i < operand.length; i += 2) {
        const op = operand[i];
        const n = operand[i + 1];
        if (typeof n !== "number" || !Number.isFinite(n)) fail(path, `numeric needs a number after ${describe(op)}, got ${describe(n)}`);
        if (n < -NUMERIC_LIMIT || n > NUMERIC_LIMIT) fail(path, `numeric value ${n} is outside EventBridge's range -5.0e9 to +5.0e9`);
        switch (op) {
            case "=":
                if (operand.length !== 2) fail(path, `numeric "=" cannot be combined with another comparison`);
                equals = true;
                checks.push((v) => v === n);
                break;
            case ">":
            case ">=":
                if (lower !== undefined) fail(path, "numeric has two lower bounds");
                lower = n;
                checks.push(op === ">" ? (v) => v > n : (v) => v >= n);
                break;
            case "<":
            case "<=":
                if (upper !== undefined) fail(path, "numeric has two upper bounds");
                upper = n;
                checks.push(op === "<" ? (v) => v < n : (v) => v <= n);
                break;
            default:
                fail(path, `numeric operator ${describe(op)} is not one of =, <, <=, >, >=`);
        }
    }
    if (!equals && lower !== undefined && upper !== undefined && lower >= upper) fail(path, `numeric range ${describe(operand)} is empty (its bottom must be below its top)`);
    return (v) => checks.every((check) => check(v));
}

/** Compiles `cidr: "<address>/<bits>"` for IPv4 or IPv6. */
function compileCidr(path: string, operand: unknown): (value: string) => boolean {
    const match = typeof operand === "string" ? /^([^/]+)\/(\d{1,3})$/.exec(operand) : null;
    const family = match ? isIP(match[1]) : 0;
    const bits = match ? Number(match[2]) : NaN;
    if (!match || family === 0 || bits > (family === 4 ? 32 : 128)) return fail(path, `cidr expects an IPv4 or IPv6 block such as "10.0.0.0/24", got ${describe(operand)}`);
    const type = family === 4 ? "ipv4" : "ipv6";
    const block = new BlockList();
    block.addSubnet(match[1], bits, type);
    return (value) => isIP(value) === family && block.check(value, type);
}

/** The values an anything-but list or single value excludes: only strings or only numbers. */
function anythingButValues(path: string, operand: unknown): (value: Leaf) => boolean {
    const list = Array.isArray(operand) ? operand : [operand];
    if (list.length === 0) fail(path, "anything-but needs at least one value");
    const allStrings = list.every((v) => typeof v === "string");
    const allNumbers = list.every((v) => typeof v === "number" && Number.isFinite(v));
    if (!allStrings && !allNumbers) fail(path, `anything-but takes a string, a number, or a list of only strings or only numbers, got ${describe(operand)}`);
    const excluded = new Set<unknown>(list);
    return (value) => !excluded.has(value);
}

/** Compiles `{"anything-but": ...}`: matches a present leaf value that is not excluded. */
function compileAnythingBut(path: string, operand: unknown): (value: Leaf) => boolean {
    if (!isObject(operand)) return anythingButValues(path, operand);
    const keys = Object.keys(operand);
    if (keys.length !== 1) return fail(path, `anything-but takes one of prefix, suffix, equals-ignore-case, wildcard, got ${describe(operand)}`);
    const [kind] = keys;
    const inner = operand[kind];
    const strings = (what: string, allowList: boolean): string[] => {
        const list = allowList && Array.isArray(inner) ? inner : [inner];
        if (list.length === 0 || !list.every((v) => typeof v === "string")) fail(path, `anything-but ${what} expects ${allowList ? "a string or a list of strings" : "a string"}, got ${describe(inner)}`);
        return list as string[];
    };
    let excluded: (text: string) => boolean;
    switch (kind) {
        case "prefix": {
            const [prefix] = strings("prefix", false);
            excluded = (t) => t.startsWith(prefix);
            break;
        }
        case "suffix": {
            const [suffix] = strings("suffix", false);
            excluded = (t) => t.endsWith(suffix);
            break;
        }
        case "equals-ignore-case": {
            const lowered = new Set(strings("equals-ignore-case", true).map((s) => s.toLowerCase()));
            excluded = (t) => lowered.has(t.toLowerCase());
            break;
        }
        case "wildcard": {
            const tests = strings("wildcard", true).map((w) => compileWildcard(path, w));
            excluded = (t) => tests.some((test) => test(t));
            break;
        }
        default:
            return fail(path, `anything-but does not support ${describe(kind)} (only prefix, suffix, equals-ignore-case, wildcard)`);
    }
    // Only a string can be excluded by a string form; any other present value is "anything but".
    return (value) => typeof value !== "string" || !excluded(value);
}

/** Compiles one match value of a field's array. */
function compileLeafMatcher(path: string, value: unknown): LeafMatcher {
    if (value === null || typeof value === "string" || typeof value === "boolean") return { test: (v) => v === value };
    if (typeof value === "number") {
        if (!Number.isFinite(value)) fail(path, `${value} is not a JSON number`);
        return { test: (v) => v === value };
    }
    if (Array.isArray(value)) return fail(path, `a match value cannot be an array: ${describe(value)}`);
    if (!isObject(value)) return fail(path, `unsupported match value ${describe(value)}`);
    const keys = Object.keys(value);
    if (keys.length !== 1) return fail(path, `a match object holds exactly one operator, got ${describe(value)}`);
    const [operator] = keys;
    const operand = value[operator];
    const onStrings = (test: (text: string) => boolean): LeafMatcher => ({ test: (v) => typeof v === "string" && test(v) });
    switch (operator) {
        case "prefix": {
            const { text, ignoreCase } = stringOperand(`${path}.prefix`, operand, true);
            const lowered = text.toLowerCase();
            return onStrings(ignoreCase ? (t) => t.toLowerCase().startsWith(lowered) : (t) => t.startsWith(text));
        }
        case "suffix": {
            const { text, ignoreCase } = stringOperand(`${path}.suffix`, operand, true);
            const lowered = text.toLowerCase();
            return onStrings(ignoreCase ? (t) => t.toLowerCase().endsWith(lowered) : (t) => t.endsWith(text));
        }
        case "equals-ignore-case": {
            const { text } = stringOperand(`${path}.equals-ignore-case`, operand, false);
            const lowered = text.toLowerCase();
            return onStrings((t) => t.toLowerCase() === lowered);
        }
        case "wildcard":
            return onStrings(compileWildcard(path, operand));
        case "anything-but":
            return { test: compileAnythingBut(`${path}.anything-but`, operand) };
        case "numeric": {
            const test = compileNumeric(`${path}.numeric`, operand);
            return { test: (v) => typeof v === "number" && test(v) };
        }
        case "cidr":
            return onStrings(compileCidr(`${path}.cidr`, operand));
        case "exists":
            if (typeof operand !== "boolean") fail(`${path}.exists`, `expects true or false, got ${describe(operand)}`);
            return { onAbsence: true, test: () => operand as boolean };
        default:
            return fail(path, `the operator ${describe(operator)} is not supported${OPERATORS.has(operator) ? "" : " (EventBridge knows prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, cidr, exists)"}`);
    }
}

/** The leaf values of an event field: a leaf itself, or the leaves of an array (nested arrays flattened). */
function leavesOf(value: unknown): Leaf[] {
    if (Array.isArray(value)) return value.flatMap(leavesOf);
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return [value];
    return [];
}

/** The objects of an event field: an object itself, or the objects of an array (nested arrays flattened). */
function objectsOf(value: unknown): Json[] {
    if (Array.isArray(value)) return value.flatMap(objectsOf);
    return isObject(value) ? [value] : [];
}

/** Compiles a field's array of match values. */
function compileField(path: string, values: unknown[]): (fieldValue: unknown, present: boolean) => boolean {
    if (values.length === 0) fail(path, "must list at least one match value");
    const matchers = values.map((v, i) => compileLeafMatcher(`${path}[${i}]`, v));
    return (fieldValue, present) => {
        const leaves = present ? leavesOf(fieldValue) : [];
        // exists only looks at leaves: a field holding an object or an empty array is absent.
        const exists = leaves.length > 0;
        return matchers.some((m) => (m.onAbsence ? m.test(null) === exists : leaves.some((leaf) => m.test(leaf))));
    };
}

/** Compiles an object of fields (and `$or`) into a matcher of the event object at that level. */
function compileObject(path: string, pattern: unknown): ObjectMatcher {
    if (!isObject(pattern)) return fail(path, `must be a JSON object, got ${describe(pattern)}`);
    const entries = Object.entries(pattern);
    if (entries.length === 0) return fail(path, "must not be empty");
    const parts: ObjectMatcher[] = entries.map(([key, value]): ObjectMatcher => {
        const at = path === "" ? key : `${path}.${key}`;
        if (key === "$or") {
            if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) fail(at, "$or takes a list of at least two patterns");
            const alternatives = value.map((alt, i) => compileObject(`${at}[${i}]`, alt));
            return (obj) => alternatives.some((alt) => alt(obj));
        }
        if (Array.isArray(value)) {
            const field = compileField(at, value);
            return (obj) => field(obj[key], Object.hasOwn(obj, key));
        }
        if (isObject(value)) {
            const nested = compileObject(at, value);
            return (obj) => {
                const objects = objectsOf(obj[key]);
                // No object here: every leaf below is absent (an `exists: false` may still match).
                return objects.length === 0 ? nested({}) : objects.some(nested);
            };
        }
        return fail(at, `must be an array of match values or a nested pattern, got ${describe(value)}`);
    });
    return (obj) => parts.every((part) => part(obj));
}

/**
 * Compiles an event pattern (a JSON text or the parsed object). Throws an {@link EventPatternError}
 * naming the field for anything EventBridge would refuse or this matcher cannot match.
 */
export function compileEventPattern(pattern: unknown): EventPattern {
    let parsed = pattern;
    if (typeof pattern === "string") {
        try {
            parsed = JSON.parse(pattern);
        } catch {
            throw new EventPatternError("event pattern: not valid JSON");
        }
    }
    const root = compileObject("", parsed);
    return { source: parsed, matches: (event) => isObject(event) && root(event) };
}
