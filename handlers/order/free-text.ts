import { Type } from "typebox";

/**
 * Free text (names, address lines, a refund reason), one rule for every such field:
 * - well-formed Unicode: no lone or reversed UTF-16 surrogate (`\p{Cs}` in a `u` pattern matches only
 *   an unpaired one), which has no UTF-8 form and cannot be put in an email or a request;
 * - no control characters, C0, DEL or C1 (`\p{Cc}`), and no line or paragraph separators, which
 *   have no place in a name and would break a mail body;
 * - at least one visible character: not only spaces, format characters (zero-width, bidi marks),
 *   default-ignorable characters (Hangul fillers, variation selectors), combining marks or the
 *   braille blank.
 * Linear-time pattern (anchored look-ahead, one character class each), so long input cannot make it
 * slow. Patterns are matched with the `u` flag by typebox and by the compiled error walk alike.
 */
export const TEXT_PATTERN =
    "^(?![\\s\\p{Cf}\\p{Default_Ignorable_Code_Point}\\p{M}\\u2800]*$)[^\\p{Cc}\\p{Cs}\\u2028\\u2029]+$";

/** What a violation of {@link TEXT_PATTERN} says, in both error walks (the pattern itself helps no client). */
export const TEXT_PATTERN_DETAIL = "must be well-formed text with a visible character and no control characters";

/** A free-text string of 1 to `maxLength` characters under {@link TEXT_PATTERN}. */
export function freeText(maxLength: number, description: string) {
    return Type.String({ minLength: 1, maxLength, pattern: TEXT_PATTERN, description });
}
