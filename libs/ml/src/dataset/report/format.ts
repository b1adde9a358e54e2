// Figures for report sentences: the same in every locale the service runs in.
const COUNT = new Intl.NumberFormat('en-US');
const VALUE = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** A count with thousands separators: 1,023. */
export function formatCount(count: number): string {
  return COUNT.format(count);
}

/** A measured value to four significant digits: 3.2, 3,750, 0.0001234. */
export function formatValue(value: number): string {
  return VALUE.format(value);
}

/** A share as a percentage: 70%, 4.1%. */
export function formatShare(share: number): string {
  const percent = share * 100;
  return `${percent >= 10 || percent === 0 ? Math.round(percent) : percent.toFixed(1)}%`;
}
