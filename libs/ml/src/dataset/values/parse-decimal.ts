// Stricter than Number(): no hex/binary literals, no "Infinity", and "" is not 0.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The finite number a trimmed CSV cell spells, or undefined when it is not a plain decimal. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
