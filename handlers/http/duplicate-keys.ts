/** A key written twice in one JSON object, and the JSON Pointer of its second occurrence. */
export interface DuplicateKey {
    readonly key: string;
    readonly pointer: string;
}

function escapePointerToken(token: string): string {
    return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** One open object or array while scanning: the keys seen so far, and where the scan is inside it. */
interface Frame {
    readonly keys: Set<string> | undefined;
    /** The member key or array index the scan is at. */
    at: string | number;
    expectKey: boolean;
}

/**
 * Finds the first key written twice in one object of a JSON text that `JSON.parse` accepted.
 * JSON.parse keeps the last value silently (RFC 8259 leaves duplicate names to the parser), so a
 * client's `{"currency":"EUR",...,"currency":"USD"}` would mean something else to another parser;
 * the API refuses it instead. One pass, iterative (no recursion, whatever the nesting depth).
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
    const stack: Frame[] = [];
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const top = stack[stack.length - 1];
        switch (c) {
            case 0x7b: // {
                stack.push({ keys: new Set(), at: "", expectKey: true });
                break;
            case 0x5b: // [
                stack.push({ keys: undefined, at: 0, expectKey: false });
                break;
            case 0x7d: // }
            case 0x5d: // ]
                stack.pop();
                break;
            case 0x2c: // ,
                if (top?.keys) top.expectKey = true;
                else if (top) top.at = (top.at as number) + 1;
                break;
            case 0x3a: // :
                if (top) top.expectKey = false;
                break;
            case 0x22: {
                // A string: find its closing quote, skipping escaped characters.
                let end = i + 1;
                while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
                if (top?.keys && top.expectKey) {
                    const key = JSON.parse(text.slice(i, end + 1)) as string;
                    top.at = key;
                    if (top.keys.has(key)) return { key, pointer: stack.map((frame) => `/${escapePointerToken(String(frame.at))}`).join("") };
                    top.keys.add(key);
                }
                i = end;
                break;
            }
        }
    }
    return undefined;
}
