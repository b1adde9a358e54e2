import { ksStatistic, numericDrift, quantileBins, referenceCdf } from './numeric-drift';

// A uniform training distribution on [0, 10]: deciles 1 … 9.
const uniform = { min: 0, max: 10, quantiles: [1, 2, 3, 4, 5, 6, 7, 8, 9] };
const evenlySpread = (n: number, from: number, to: number) => Array.from({ length: n }, (_, i) => from + ((i + 0.5) / n) * (to - from));

describe('quantileBins', () => {
  it('gives ten bins of 10 % for distinct deciles', () => {
    const bins = quantileBins(uniform.quantiles);
    expect(bins.edges).toEqual(uniform.quantiles);
    expect(bins.expected).toHaveLength(10);
    for (const share of bins.expected) expect(share).toBeCloseTo(0.1, 12);
  });

  it('merges tied deciles into one bin holding their mass, so shares still add up to 1', () => {
    const bins = quantileBins([1.4, 1.4, 1.4, 1.5, 3, 4, 4.5, 5, 5.5]);
    expect(bins.edges).toEqual([1.4, 1.5, 3, 4, 4.5, 5, 5.5]);
    expect(bins.expected[0]).toBeCloseTo(0.3, 12);
    expect(bins.expected.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const share of bins.expected) expect(share).toBeGreaterThan(0);
  });
});

describe('referenceCdf', () => {
  it('interpolates linearly through min, the deciles and max', () => {
    const cdf = referenceCdf(uniform);
    expect(cdf(-1)).toBe(0);
    expect(cdf(0)).toBe(0);
    expect(cdf(2.5)).toBeCloseTo(0.25, 12);
    expect(cdf(9.5)).toBeCloseTo(0.95, 12);
    expect(cdf(10)).toBe(1);
  });
});

describe('ksStatistic', () => {
  it('measures the largest gap between the empirical and the reference CDF', () => {
    const cdf = (x: number) => Math.min(1, Math.max(0, x));
    // One observation at 0.5: the empirical CDF jumps from 0 to 1 where the reference is 0.5.
    expect(ksStatistic([0.5], cdf)).toBeCloseTo(0.5, 12);
    // Every observation at 0.9: the gap below the step is 0.9.
    expect(ksStatistic([0.9, 0.9, 0.9], cdf)).toBeCloseTo(0.9, 12);
  });
});

describe('numericDrift', () => {
  it('finds no drift in a sample spread like the training data', () => {
    const drift = numericDrift(uniform, evenlySpread(1_000, 0, 10));
    expect(drift.psi).toBeCloseTo(0, 6);
    expect(drift.ksStatistic).toBeLessThan(0.01);
    expect(drift.ksPValue).toBeGreaterThan(0.99);
    expect(drift.rows).toBe(1_000);
  });

  it('finds a shifted sample: PSI above the usual 0.2 and a tiny KS p-value', () => {
    const drift = numericDrift(uniform, evenlySpread(500, 5, 15));
    expect(drift.psi).toBeGreaterThan(0.2);
    // Half the sample lies above the training maximum: the CDFs differ by 0.5 at x = 10.
    expect(drift.ksStatistic).toBeCloseTo(0.5, 2);
    expect(drift.ksPValue).toBeLessThan(1e-6);
  });

  it('grows with the size of the shift', () => {
    const psis = [0.5, 1, 2, 4].map((shift) => numericDrift(uniform, evenlySpread(1_000, shift, 10 + shift)).psi);
    for (let i = 1; i < psis.length; i++) expect(psis[i]).toBeGreaterThan(psis[i - 1] as number);
  });
});
