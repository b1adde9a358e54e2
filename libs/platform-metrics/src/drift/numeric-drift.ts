import { ksPValue } from './distribution-tests';
import { populationStabilityIndex } from './population-stability';

/** What the transform artifact saved about a numeric training column (deciles, range). */
export interface NumericReference {
  min: number;
  max: number;
  /** Evenly spaced quantiles of the training split, ascending: deciles 0.1 … 0.9. */
  quantiles: readonly number[];
}

export interface NumericDrift {
  psi: number;
  ksStatistic: number;
  ksPValue: number;
  rows: number;
}

interface Bins {
  /** Right-closed upper edges; a last open bin follows. */
  edges: number[];
  expected: number[];
}

/**
 * PSI bins from the training quantiles: each quantile is an upper edge holding its level of the training mass.
 * Tied quantiles (a value repeated across deciles) merge into one edge that holds the highest of their levels,
 * so no bin is both empty in training and expected to hold 10 %.
 */
export function quantileBins(quantiles: readonly number[]): Bins {
  const levelOf = (index: number) => (index + 1) / (quantiles.length + 1);
  const edges: number[] = [];
  const levels: number[] = [];
  quantiles.forEach((value, index) => {
    if (edges.length > 0 && edges[edges.length - 1] === value) levels[levels.length - 1] = levelOf(index);
    else {
      edges.push(value);
      levels.push(levelOf(index));
    }
  });
  const expected = levels.map((level, i) => level - (i === 0 ? 0 : (levels[i - 1] ?? 0)));
  expected.push(1 - (levels[levels.length - 1] ?? 0));
  return { edges, expected };
}

/**
 * The training CDF, piecewise linear through (min, 0), the quantiles at their levels and (max, 1): the saved
 * statistics are all that is left of the training data, so the KS test compares against this interpolation.
 */
export function referenceCdf(reference: NumericReference): (x: number) => number {
  const xs = [reference.min, ...reference.quantiles, reference.max];
  const ys = xs.map((_, i) => i / (xs.length - 1));
  return (x) => {
    if (x < reference.min) return 0;
    if (x >= reference.max) return 1;
    let i = 0;
    while (i + 1 < xs.length && (xs[i + 1] ?? Infinity) <= x) i++;
    const x0 = xs[i] ?? 0;
    const x1 = xs[i + 1] ?? x0;
    const y0 = ys[i] ?? 0;
    const y1 = ys[i + 1] ?? 1;
    return x1 > x0 ? y0 + ((y1 - y0) * (x - x0)) / (x1 - x0) : y1;
  };
}

/** Largest distance between the sample's empirical CDF and `cdf` (ties handled by checking both sides of each step). */
export function ksStatistic(values: readonly number[], cdf: (x: number) => number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, j) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs((j + 1) / n - f), Math.abs(j / n - f));
  });
  return d;
}

export function numericDrift(reference: NumericReference, values: readonly number[]): NumericDrift {
  const bins = quantileBins(reference.quantiles);
  const counts = new Array<number>(bins.expected.length).fill(0);
  for (const value of values) {
    let bin = bins.edges.findIndex((edge) => value <= edge);
    if (bin === -1) bin = bins.edges.length;
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  const d = ksStatistic(values, referenceCdf(reference));
  return { psi: populationStabilityIndex(bins.expected, counts), ksStatistic: d, ksPValue: ksPValue(d, values.length), rows: values.length };
}
