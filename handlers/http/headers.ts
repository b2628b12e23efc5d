/**
 * Request headers keyed by lower-case name (HTTP header names are case-insensitive, RFC 9110
 * section 5.1). A Map, so that a header named `__proto__` or `constructor` is only a header.
 * Names that differ only in case are joined with ", ", as HTTP joins repeated fields.
 */
export function lowerCaseHeaders(headers: Readonly<Record<string, string | undefined>> | undefined): Map<string, string> {
    const result = new Map<string, string>();
    for (const [name, value] of Object.entries(headers ?? {})) {
        if (value === undefined) continue;
        const key = name.toLowerCase();
        const previous = result.get(key);
        result.set(key, previous === undefined ? value : `${previous}, ${value}`);
    }
    return result;
}
