/**
 * IAM policy documents in one normal form, whatever shape they arrive in: a JSON string or an
 * object; `Statement` as one object or a list; `Action`/`Resource` as a string or a list, or their
 * negations `NotAction`/`NotResource`; `Principal` as `"*"`, `{ Service: "..." }`,
 * `{ Service: [...] }`, `{ AWS: ... }`, or `NotPrincipal`; condition values as strings, booleans,
 * numbers or lists. Parts unknown during preview are kept as {@link UnknownValue} markers.
 *
 * Grammar: IAM User Guide, "IAM JSON policy element reference".
 */
import { parseJsonObject } from "./json-object";
import { isUnknown, UnknownValue } from "./preview-values";

/** `Action`/`NotAction` or `Resource`/`NotResource` of a statement. */
export interface ValueList {
    /** True for `NotAction`/`NotResource`: the statement covers everything except `values`. */
    readonly negated: boolean;
    /** The known values, each a string. */
    readonly values: readonly string[];
    /** Set when the element, or one of its values, is unknown during preview. */
    readonly unknown?: UnknownValue;
}

/** `Principal`/`NotPrincipal` of a statement. */
export interface Principals {
    /** True for `NotPrincipal`. */
    readonly negated: boolean;
    /** True for `"*"` or a `"*"` under any principal kind (`{ AWS: "*" }` means everyone). */
    readonly anyone: boolean;
    /** Values by principal kind: `Service`, `AWS`, `Federated`, `CanonicalUser`. */
    readonly byKind: Readonly<Record<string, readonly string[]>>;
    /** Set when the element, or one of its values, is unknown during preview. */
    readonly unknown?: UnknownValue;
}

/** One condition: `{ "<operator>": { "<key>": <values> } }`. */
export interface ConditionEntry {
    readonly operator: string;
    readonly key: string;
    /** The known values as strings (`false` becomes `"false"`). */
    readonly values: readonly string[];
}

/** The `Condition` element of a statement. */
export interface Conditions {
    readonly entries: readonly ConditionEntry[];
    /** Set when the element, or a part of it, is unknown during preview. */
    readonly unknown?: UnknownValue;
}

/** One statement in normal form. */
export interface Statement {
    /** How messages name it: `statement 2 ("SendToQueue")`. */
    readonly label: string;
    readonly effect: "Allow" | "Deny" | UnknownValue;
    /** `Action` or `NotAction`; an empty list when neither is present. */
    readonly actions: ValueList;
    /** `Resource` or `NotResource`; undefined when neither is present (trust policies). */
    readonly resources: ValueList | undefined;
    /** `Principal` or `NotPrincipal`; undefined when neither is present (identity policies). */
    readonly principals: Principals | undefined;
    readonly conditions: Conditions;
}

/** A parsed policy document. */
export interface PolicyDocument {
    /** The statements that could be read. */
    readonly statements: readonly Statement[];
    /** Set when the whole document, its statement list or one of its statements is unknown. */
    readonly unknown?: UnknownValue;
    /** Set when the document is not a valid policy: says what is wrong, for a violation message. */
    readonly problem?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value) && !isUnknown(value);
}

/** Known values of a string-or-list element as strings, and the first unknown part, if any. */
function stringsOf(value: unknown): { values: string[]; unknown?: UnknownValue } {
    if (isUnknown(value)) return { values: [], unknown: value };
    const items = Array.isArray(value) ? value : [value];
    const values: string[] = [];
    let unknown: UnknownValue | undefined;
    for (const item of items) {
        if (isUnknown(item)) unknown ??= item;
        else if (item !== undefined && item !== null) values.push(String(item));
    }
    return unknown ? { values, unknown } : { values };
}

function valueList(statement: Record<string, unknown>, name: string): ValueList | undefined {
    const negatedName = `Not${name}`;
    if (statement[negatedName] !== undefined) return { negated: true, ...stringsOf(statement[negatedName]) };
    if (statement[name] !== undefined) return { negated: false, ...stringsOf(statement[name]) };
    return undefined;
}

function principalsOf(statement: Record<string, unknown>): Principals | undefined {
    const negated = statement.NotPrincipal !== undefined;
    const value = negated ? statement.NotPrincipal : statement.Principal;
    if (value === undefined) return undefined;
    if (isUnknown(value)) return { negated, anyone: false, byKind: {}, unknown: value };
    if (!isObject(value)) return { negated, anyone: String(value) === "*", byKind: {} };
    const byKind: Record<string, string[]> = {};
    let unknown: UnknownValue | undefined;
    for (const [kind, entry] of Object.entries(value)) {
        const strings = stringsOf(entry);
        byKind[kind] = strings.values;
        unknown ??= strings.unknown;
    }
    const anyone = Object.values(byKind).some((values) => values.includes("*"));
    return unknown ? { negated, anyone, byKind, unknown } : { negated, anyone, byKind };
}

function conditionsOf(statement: Record<string, unknown>): Conditions {
    const value = statement.Condition;
    if (value === undefined) return { entries: [] };
    if (isUnknown(value)) return { entries: [], unknown: value };
    if (!isObject(value)) return { entries: [] };
    const entries: ConditionEntry[] = [];
    let unknown: UnknownValue | undefined;
    for (const [operator, keys] of Object.entries(value)) {
        if (isUnknown(keys)) {
            unknown ??= keys;
            continue;
        }
        if (!isObject(keys)) continue;
        for (const [key, values] of Object.entries(keys)) {
            const strings = stringsOf(values);
            unknown ??= strings.unknown;
            entries.push({ operator, key, values: strings.values });
        }
    }
    return unknown ? { entries, unknown } : { entries };
}

function statementOf(value: Record<string, unknown>, index: number): Statement | string {
    const sid = typeof value.Sid === "string" && value.Sid !== "" ? ` ("${value.Sid}")` : "";
    const label = `statement ${index + 1}${sid}`;
    const effect = value.Effect;
    if (!isUnknown(effect) && effect !== "Allow" && effect !== "Deny") {
        return `${label} has Effect ${JSON.stringify(effect ?? null)}; it must be "Allow" or "Deny"`;
    }
    return {
        label,
        effect,
        actions: valueList(value, "Action") ?? { negated: false, values: [] },
        resources: valueList(value, "Resource"),
        principals: principalsOf(value),
        conditions: conditionsOf(value),
    };
}

/**
 * Parses a policy document (a JSON string or an object, possibly with {@link UnknownValue} parts,
 * as {@link readKnown} returns it) into statements in normal form. Never throws: a document that
 * is not a valid policy yields a `problem`.
 */
export function parsePolicyDocument(value: unknown): PolicyDocument {
    if (isUnknown(value)) return { statements: [], unknown: value };
    const document = parseJsonObject(value);
    if (typeof document === "string") return { statements: [], problem: document };
    const list = document.Statement;
    if (isUnknown(list)) return { statements: [], unknown: list };
    if (list === undefined) return { statements: [], problem: "it has no Statement" };
    const items = Array.isArray(list) ? list : [list];
    const statements: Statement[] = [];
    let unknown: UnknownValue | undefined;
    for (const [index, item] of items.entries()) {
        if (isUnknown(item)) {
            unknown ??= item;
            continue;
        }
        if (!isObject(item)) return { statements, problem: `statement ${index + 1} is not a JSON object` };
        const statement = statementOf(item, index);
        if (typeof statement === "string") return { statements, problem: statement };
        statements.push(statement);
    }
    return unknown ? { statements, unknown } : { statements };
}
