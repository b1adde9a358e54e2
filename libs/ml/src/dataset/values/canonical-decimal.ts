// A decimal spelled exactly as JavaScript prints its number: no sign but "-", no leading or trailing zeros, no
// exponent, not "-0", not below 1e-6 (printed with an exponent). At most 15 characters, so at most 15 digits, which a
// double always round-trips; longer canonical spellings are not recognised, which only costs the fast path.
const CANONICAL = /^(?!-0$)-?(?:0(?!\.0{6})|[1-9]\d*)(?:\.\d*[1-9])?$/;
const MAX_CANONICAL_LENGTH = 15;

/**
 * The number a cell spells when `String(number)` gives the cell back unchanged, else undefined. A column whose cells
 * all pass can turn its numbers back into the exact text it read; checking this first also skips parseDecimal's
 * stricter test for the usual, canonical cells.
 */
export function parseCanonicalDecimal(text: string): number | undefined {
  return text.length <= MAX_CANONICAL_LENGTH && CANONICAL.test(text) ? Number(text) : undefined;
}
