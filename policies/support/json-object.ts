/** JSON documents that arrive either as a JSON string or as an already-parsed object. */
import { isUnknown } from "./preview-values";

/**
 * The JSON object in `value` (a JSON string, or an object as it is), or a sentence saying what is
 * wrong with it, for a violation message.
 */
export function parseJsonObject(value: unknown): Record<string, unknown> | string {
    let parsed = value;
    if (typeof value === "string") {
        try {
            parsed = JSON.parse(value);
        } catch (error) {
            return `it is not valid JSON (${(error as Error).message})`;
        }
    }
    const isObject = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) && !isUnknown(parsed);
    return isObject ? (parsed as Record<string, unknown>) : "it is not a JSON object";
}
