/** A DynamoDB attribute value as it travels in the JSON wire protocol (binary as base64 text). */
export interface WireAttributeValue {
    readonly S?: string;
    readonly N?: string;
    readonly B?: string;
    readonly BOOL?: boolean;
    readonly NULL?: boolean;
    readonly SS?: readonly string[];
    readonly NS?: readonly string[];
    readonly BS?: readonly string[];
    readonly L?: readonly WireAttributeValue[];
    readonly M?: WireItem;
}

/** A DynamoDB item in the JSON wire protocol. */
export type WireItem = { readonly [name: string]: WireAttributeValue };

/**
 * The size in bytes of a DynamoDB item by the rules of "Item sizes and formats" in the DynamoDB
 * Developer Guide: attribute names and strings count their UTF-8 bytes; a number about one byte per
 * two significant digits plus one; binary its bytes; null and boolean one byte; a list or map
 * 3 bytes of overhead plus one byte per element plus its contents; a set the sum of its members.
 */
export function itemSize(item: WireItem): number {
    let size = 0;
    for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name, "utf8") + valueSize(value);
    return size;
}

function numberSize(text: string): number {
    // Leading and trailing zeroes are trimmed; sign, point and exponent are not digits.
    const mantissa = text.replace(/^[+-]/, "").split(/[eE]/)[0];
    const digits = mantissa.replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
    return digits.length === 0 ? 1 : Math.ceil(digits.length / 2) + 1;
}

function valueSize(value: WireAttributeValue): number {
    if (value.S !== undefined) return Buffer.byteLength(value.S, "utf8");
    if (value.N !== undefined) return numberSize(value.N);
    if (value.B !== undefined) return Buffer.from(value.B, "base64").length;
    if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
    if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, "utf8"), 0);
    if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
    if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + Buffer.from(b, "base64").length, 0);
    if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
    if (value.M !== undefined) return 3 + Object.keys(value.M).length + itemSize(value.M);
    throw new Error(`unknown DynamoDB attribute value ${JSON.stringify(value)}`);
}

/** Write units for one successful write: 1 per KB of the larger of the item before and after, at least 1. */
export function writeUnits(sizeBefore: number, sizeAfter: number): number {
    return Math.max(1, Math.ceil(Math.max(sizeBefore, sizeAfter) / 1024));
}

/**
 * Write units for a conditional write whose condition failed: DynamoDB still charges, by the size
 * of the existing item (a minimum of 1) ("Conditional writes", DynamoDB Developer Guide).
 */
export function failedConditionWriteUnits(sizeExisting: number): number {
    return Math.max(1, Math.ceil(sizeExisting / 1024));
}

/**
 * Read units for one GetItem: 1 per 4 KB for a strongly consistent read, half of that for an
 * eventually consistent one; a missing item still costs the minimum.
 */
export function readUnits(size: number, consistent: boolean): number {
    const units = Math.max(1, Math.ceil(size / 4096));
    return consistent ? units : units / 2;
}
