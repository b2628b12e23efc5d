/**
 * Glue between the rules and the policy server: typed resource filters, preview-aware verdicts,
 * and policy config with defaults.
 */
import type {
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidation,
    StackValidationArgs,
} from "@pulumi/policy";
import { readKnown, Undecided } from "./preview-values";
import type { AwsTypeToken } from "./resource-types";

/** The body of a resource rule: reports what it can judge, notes what it cannot. */
export type ResourceCheck = (args: ResourceValidationArgs, report: ReportViolation, undecided: Undecided) => void;

/** The body of a stack rule: reports what it can judge, notes what it cannot. */
export type StackCheck = (args: StackValidationArgs, report: ReportViolation, undecided: Undecided) => void;

/**
 * A resource validation that runs `check` on resources of the given types and marks the policy
 * not applicable to any other. Verdicts left open by unknown values are handed to the server once
 * the rest has been reported (see `Undecided.finish`).
 */
export function validateTypes(types: readonly AwsTypeToken[], check: ResourceCheck): ResourceValidation {
    const validation: ResourceValidation = (args, report) => {
        if (!(types as readonly string[]).includes(args.type)) {
            return args.notApplicable(`Policy only applies to resources of type ${types.join(", ")}`);
        }
        const undecided = new Undecided();
        check(args, report, undecided);
        undecided.finish();
    };
    // The same marker `validateResourceOfType` sets: it lets the server skip other types unasked.
    if (types.length === 1) Object.assign(validation, { __pulumiType: types[0] });
    return validation;
}

/** A stack validation that runs `check` and then hands open verdicts to the server. */
export function validateStackWith(check: StackCheck): StackValidation {
    return (args, report) => {
        const undecided = new Undecided();
        check(args, report, undecided);
        undecided.finish();
    };
}

/** Reads one property of a resource as plain data with unknown parts marked (see `readKnown`). */
export function readProperty(props: Record<string, unknown>, name: string): unknown {
    return readKnown(() => props[name]);
}

/** Quotes a name or value for a message: `"orders-queue"`. */
export function quote(value: string): string {
    return JSON.stringify(value);
}

/** Quotes and joins values for a message: `"a", "b"`. */
export function quoteAll(values: readonly string[]): string {
    return values.map(quote).join(", ");
}

/** A config schema with one list-of-strings property and its default. */
export function stringListSchema(property: string, description: string, defaults: readonly string[]): PolicyConfigSchema {
    return {
        properties: {
            [property]: { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true, default: [...defaults], description },
        },
    };
}

/**
 * A list-of-strings setting from the policy's config, or `defaults` when it is not set. The CLI
 * validates config against the policy's schema first; this check guards callers that bypass it.
 */
export function stringListConfig(
    args: { getConfig<T extends object>(): T },
    policyName: string,
    property: string,
    defaults: readonly string[],
): readonly string[] {
    const value: unknown = args.getConfig<Record<string, unknown>>()[property];
    if (value === undefined) return defaults;
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
        throw new Error(`Policy ${policyName}: config "${property}" must be a list of strings, got ${JSON.stringify(value)}`);
    }
    return value;
}
