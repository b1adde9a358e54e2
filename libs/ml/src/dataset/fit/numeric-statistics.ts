import type { NumericStatistics } from '@slipway/contracts';

const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Count, range, mean, population std and deciles (the drift-detection bins) of values sorted ascending. */
export function numericStatistics(sorted: Float64Array, missing: number): NumericStatistics {
  let sum = 0;
  for (const value of sorted) sum += value;
  const mean = sum / sorted.length;
  let squares = 0;
  for (const value of sorted) squares += (value - mean) ** 2;
  return {
    count: sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean,
    std: Math.sqrt(squares / sorted.length),
    quantiles: DECILES.map((p) => quantile(sorted, p)),
    missing,
  };
}

/** Linear interpolation between closest ranks (the default of R and NumPy). */
export function quantile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
}

/** Standardisation divides by the std, or by 1 when the values do not vary. */
export function scaleOf(std: number): number {
  return std > 0 ? std : 1;
}
