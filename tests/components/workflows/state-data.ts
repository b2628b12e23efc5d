/**
 * Just enough of the Amazon States Language's data handling to follow a definition's data by
 * hand in tests: reference paths (`$.a.b`, `$$.Task.Token`), payload templates (keys ending in
 * `.$`), the intrinsics `States.Format` and `States.Array`, `ResultPath`, and the Choice
 * comparisons the definitions use. Like Step Functions, a path that selects nothing is an error.
 */
import type { ChoiceComparison, JsonValue, PayloadTemplate } from "../../../components/workflows/asl";

/** The context object (`$$`) a test provides. */
export type Context = Record<string, unknown>;

function select(path: string, data: unknown, context: Context): { found: boolean; value: unknown } {
    const [root, rest] = path.startsWith("$$") ? [context as unknown, path.slice(2)] : path.startsWith("$") ? [data, path.slice(1)] : [undefined, ""];
    if (root === undefined) throw new Error(`not a reference path: ${path}`);
    let value: unknown = root;
    for (const key of rest.split(".").filter(Boolean)) {
        if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return { found: false, value: undefined };
        value = (value as Record<string, unknown>)[key];
    }
    return { found: true, value };
}

/** The value at a reference path; throws (as a States.Runtime error would end the execution) if there is none. */
export function readPath(path: string, data: unknown, context: Context): unknown {
    const { found, value } = select(path, data, context);
    if (!found) throw new Error(`path ${path} selects nothing`);
    return value;
}

/** Splits intrinsic arguments on commas outside single-quoted strings. */
function splitArguments(text: string): string[] {
    const args: string[] = [];
    let current = "";
    let quoted = false;
    for (const char of text) {
        if (char === "'") quoted = !quoted;
        if (char === "," && !quoted) {
            args.push(current.trim());
            current = "";
        } else current += char;
    }
    if (current.trim() !== "") args.push(current.trim());
    return args;
}

/** Evaluates the value of a `.$` key: an intrinsic function call or a reference path. */
export function evaluate(expression: string, data: unknown, context: Context): unknown {
    const call = /^(States\.\w+)\((.*)\)$/s.exec(expression);
    if (!call) return readPath(expression, data, context);
    const args = splitArguments(call[2]).map((arg) => (arg.startsWith("'") ? arg.slice(1, -1) : evaluate(arg, data, context)));
    switch (call[1]) {
        case "States.Format": {
            const [template, ...values] = args as [string, ...unknown[]];
            const parts = template.split("{}");
            if (parts.length - 1 !== values.length) throw new Error(`States.Format: ${parts.length - 1} placeholders, ${values.length} values`);
            return parts.reduce((text, part, i) => text + String(values[i - 1]) + part);
        }
        case "States.Array":
            return args;
        default:
            throw new Error(`intrinsic ${call[1]} is not supported here`);
    }
}

/** Renders a payload template against the state's data and the context object. */
export function render(template: JsonValue | PayloadTemplate, data: unknown, context: Context): unknown {
    if (Array.isArray(template)) return template.map((item) => render(item, data, context));
    if (template === null || typeof template !== "object") return template;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
        if (key.endsWith(".$")) out[key.slice(0, -2)] = evaluate(value as string, data, context);
        else out[key] = render(value as JsonValue, data, context);
    }
    return out;
}

/** Applies `ResultPath`: the result placed into a copy of the input (`$.a.b`), or the input kept (null). */
export function applyResultPath(input: unknown, resultPath: string | null | undefined, result: unknown): unknown {
    if (resultPath === null) return input;
    if (resultPath === undefined || resultPath === "$") return result;
    const keys = resultPath.slice(2).split(".");
    const copy = structuredClone(input) as Record<string, unknown>;
    let target = copy;
    for (const key of keys.slice(0, -1)) {
        target[key] ??= {};
        target = target[key] as Record<string, unknown>;
    }
    target[keys.at(-1)!] = result;
    return copy;
}

/** Whether a Choice comparison holds for the data. */
export function matches(comparison: ChoiceComparison, data: unknown): boolean {
    if (comparison.And) return comparison.And.every((c) => matches(c, data));
    if (comparison.Or) return comparison.Or.some((c) => matches(c, data));
    if (comparison.Not) return !matches(comparison.Not, data);
    const { found, value } = select(comparison.Variable!, data, {});
    if (comparison.IsPresent !== undefined) return found === comparison.IsPresent;
    if (!found) throw new Error(`Choice: ${comparison.Variable} selects nothing`);
    if (comparison.IsString !== undefined) return (typeof value === "string") === comparison.IsString;
    if (comparison.StringEquals !== undefined) return value === comparison.StringEquals;
    throw new Error(`Choice comparison not supported here: ${JSON.stringify(comparison)}`);
}
