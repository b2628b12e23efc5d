import { CURRENCY_MINOR_UNITS } from "./currencies";

/**
 * Formats an amount in minor units for people, e.g. (123450, "EUR") -> "EUR 1,234.50" and
 * (1500, "JPY") -> "JPY 1,500". Integer arithmetic only: no floating-point rounding.
 */
export function formatMoney(minorUnits: number, currency: string): string {
    const digits = CURRENCY_MINOR_UNITS[currency];
    if (digits === undefined) throw new RangeError(`unknown currency ${currency}`);
    const sign = minorUnits < 0 ? "-" : "";
    const text = String(Math.abs(minorUnits)).padStart(digits + 1, "0");
    const major = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+$)/g, ",");
    const minor = digits > 0 ? `.${text.slice(text.length - digits)}` : "";
    return `${currency} ${sign}${major}${minor}`;
}
