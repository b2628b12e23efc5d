import type { Static, TSchema } from "typebox";
import { Compile } from "typebox/compile";
import type { TLocalizedValidationError } from "typebox/error";
import { Settings } from "typebox/system";
import { compileErrorWalk } from "./compiled-errors";
import { TEXT_PATTERN, TEXT_PATTERN_DETAIL } from "./free-text";
import type { Violation } from "./violation";

export type { Violation } from "./violation";

/** The outcome of validating a value: the typed value, or every violation found. */
export type ValidationResult<T> =
    | { readonly ok: true; readonly value: T }
    | { readonly ok: false; readonly violations: readonly Violation[]; readonly truncated: boolean };

/**
 * At most this many violations are reported for one value. A 64 KiB body can hold thousands of
 * faults (10,000 unknown keys); a client needs the first ones, not a response larger than its request.
 */
export const MAX_REPORTED_VIOLATIONS = 100;

// typebox stops collecting errors after `maxErrors` (8 by default). An unknown property yields two
// raw errors (at the property, and a summary at its parent), so collect twice the report size,
// plus one to know whether anything was left out. (typebox's walk is the fallback, see below.)
const MAX_COLLECTED_ERRORS = 2 * MAX_REPORTED_VIOLATIONS + 1;
Settings.Set({ maxErrors: MAX_COLLECTED_ERRORS });

function escapePointerToken(token: string): string {
    return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Turns typebox's errors into violations, one per fault, each at the pointer of the faulty value. */
function toViolations(errors: readonly TLocalizedValidationError[]): Violation[] {
    const violations: Violation[] = [];
    for (const error of errors) {
        switch (error.keyword) {
            case "additionalProperties":
                // The same unknown properties are reported one by one as "boolean" errors below.
                break;
            case "boolean":
                // `additionalProperties: false` reports each unknown property as "schema is false",
                // at the property's own pointer.
                violations.push({
                    pointer: error.instancePath,
                    detail: error.schemaPath.endsWith("/additionalProperties") ? "is not an allowed property" : error.message,
                });
                break;
            case "enum":
                // The allowed values are in the schema; listing 250 country codes helps no one.
                violations.push({ pointer: error.instancePath, detail: "must be one of the values the schema allows" });
                break;
            case "required":
                // Point at each missing property rather than at its parent.
                for (const name of error.params.requiredProperties) {
                    violations.push({ pointer: `${error.instancePath}/${escapePointerToken(name)}`, detail: "is required" });
                }
                break;
            case "pattern":
                // The free-text rule in words: its pattern is no help to a client.
                violations.push({ pointer: error.instancePath, detail: error.params.pattern === TEXT_PATTERN ? TEXT_PATTERN_DETAIL : error.message });
                break;
            default:
                violations.push({ pointer: error.instancePath, detail: error.message });
        }
    }
    return violations;
}

/** Every violation typebox's own (interpreted) error walk finds, and whether it stopped early. */
export function typeboxViolations(compiled: ReturnType<typeof Compile>, value: unknown): { violations: Violation[]; stoppedEarly: boolean } {
    const errors = compiled.Errors(value);
    return { violations: toViolations(errors), stoppedEarly: errors.length >= MAX_COLLECTED_ERRORS };
}

/**
 * Compiles a schema once and returns a function that checks values against it. The fast path
 * (a valid value) runs only the compiled check; errors are computed only for invalid values, by
 * the compiled error walk, or by typebox's own walk if that one finds nothing to say.
 */
export function createValidator<S extends TSchema>(schema: S): (value: unknown) => ValidationResult<Static<S>> {
    const compiled = Compile(schema);
    const walk = compileErrorWalk(schema);
    return (value) => {
        if (compiled.Check(value)) return { ok: true, value: value as Static<S> };
        let violations = walk(value);
        let stoppedEarly = false;
        if (violations.length === 0) ({ violations, stoppedEarly } = typeboxViolations(compiled, value));
        // Never answer "invalid" without saying where.
        if (violations.length === 0) violations.push({ pointer: "", detail: "does not match the schema" });
        const truncated = violations.length > MAX_REPORTED_VIOLATIONS || stoppedEarly;
        return { ok: false, violations: violations.slice(0, MAX_REPORTED_VIOLATIONS), truncated };
    };
}

/**
 * {@link createValidator}, compiled on first use rather than at module load: a handler that loads
 * a schema it may never check (a consumer's message schema, an option's event schemas) does not
 * pay for compiling it in its cold start.
 */
export function createLazyValidator<S extends TSchema>(schema: S): (value: unknown) => ValidationResult<Static<S>> {
    type Validate = (value: unknown) => ValidationResult<Static<S>>;
    let validate: Validate | undefined;
    return (value) => {
        // The type argument is spelled out: inferring it here cost the type checker many seconds.
        validate ??= createValidator<S>(schema);
        return validate(value);
    };
}
