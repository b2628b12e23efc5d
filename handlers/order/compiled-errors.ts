import type { ErrorObject, ValidateFunction } from "ajv";
import type { TSchema } from "typebox";
import { Format } from "typebox/format";
import { Locale } from "typebox/system";
import { TEXT_PATTERN, TEXT_PATTERN_DETAIL } from "./free-text";
import type { Violation } from "./violation";

/**
 * The error path of a schema, compiled: Ajv (allErrors) compiles the same JSON Schema that typebox
 * checks, and walks a rejected value in generated code, where typebox's Errors() interprets the
 * schema for every value (about 8 times the cost of the peer's zod on a rejected order). The
 * messages are typebox's own (its en_US locale over the same keyword and parameters), so the
 * problem body does not change with the walker.
 */
export type ErrorWalk = (value: unknown) => Violation[];

function escapePointerToken(token: string): string {
    return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** One Ajv error as the violations the API reports (the same pointers and details as before). */
function toViolations(error: ErrorObject): Violation[] {
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
        case "additionalProperties":
            // Ajv reports it at the parent; the API points at the unknown property itself.
            return [{ pointer: `${error.instancePath}/${escapePointerToken(String(params.additionalProperty))}`, detail: "is not an allowed property" }];
        case "enum":
            // The allowed values are in the schema; listing 250 country codes helps no one.
            return [{ pointer: error.instancePath, detail: "must be one of the values the schema allows" }];
        case "required":
            return [{ pointer: `${error.instancePath}/${escapePointerToken(String(params.missingProperty))}`, detail: "is required" }];
        case "pattern":
            if (params.pattern === TEXT_PATTERN) return [{ pointer: error.instancePath, detail: TEXT_PATTERN_DETAIL }];
            return [{ pointer: error.instancePath, detail: Locale.en_US({ keyword: error.keyword, params } as never) }];
        default:
            return [{ pointer: error.instancePath, detail: Locale.en_US({ keyword: error.keyword, params } as never) }];
    }
}

/**
 * Compiles the error walk of a schema. Ajv is loaded on the first call, not at module load: a
 * handler's cold start pays nothing for it until the first rejected request.
 */
export function compileErrorWalk(schema: TSchema): ErrorWalk {
    let validate: ValidateFunction | undefined;
    return (value) => {
        validate ??= compile(schema);
        validate(value);
        return (validate.errors ?? []).flatMap(toViolations);
    };
}

function compile(schema: TSchema): ValidateFunction {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose (see above)
    const { default: Ajv } = require("ajv") as typeof import("ajv");
    // Code points for lengths and "u" regular expressions, as typebox counts and matches; typebox's
    // own format checks, so that both walk to the same verdict.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true, formats: Object.fromEntries(Format.Entries()) });
    // Plain JSON Schema: typebox's schemas also carry keys of its own, which Ajv need not see.
    return ajv.compile(JSON.parse(JSON.stringify(schema)));
}
