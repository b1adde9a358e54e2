import type { DriftReferenceFeature } from '@slipway/contracts';
import { featureDrift, type RawFeatureValue } from './feature-drift';
import { spread } from './testing/sampled-rows';

// An imported model's reference: X[0] spread evenly over 0–10, X[1] a category; X[2] is in the reference but not logged.
const reference: DriftReferenceFeature[] = [
  { name: 'X[0]', kind: 'numeric', statistics: { count: 100, min: 0, max: 10, mean: 5, std: 2.9, quantiles: [1, 2, 3, 4, 5, 6, 7, 8, 9], missing: 0 } },
  { name: 'X[1]', kind: 'categorical', statistics: { count: 100, frequencies: { a: 50, b: 50 }, missing: 0 } },
  { name: 'X[2]', kind: 'numeric', statistics: { count: 100, min: 0, max: 1, mean: 0.5, std: 0.3, quantiles: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], missing: 0 } },
];
const window = (columns: Record<string, RawFeatureValue[]>) => new Map(Object.entries(columns));
const alternating = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b'));

describe('featureDrift', () => {
  it('judges each reference feature that has live values, numeric by KS and categorical by chi-square', () => {
    const drifts = featureDrift(reference, window({ 'X[0]': spread(0, 10), 'X[1]': alternating(100) }));
    expect(drifts.map(({ feature, kind, test }) => [feature, kind, test.method])).toEqual([
      ['X[0]', 'numeric', 'ks'],
      ['X[1]', 'categorical', 'chi2'],
    ]);
    for (const drift of drifts) expect(drift.psi).toBeLessThan(0.01);
  });

  it('finds a shifted numeric column and leaves the others calm', () => {
    const drifts = featureDrift(reference, window({ 'X[0]': spread(8, 18), 'X[1]': alternating(100) }));
    expect(drifts.find((drift) => drift.feature === 'X[0]')?.psi).toBeGreaterThan(0.2);
    expect(drifts.find((drift) => drift.feature === 'X[1]')?.psi).toBeLessThan(0.01);
  });

  it('skips missing values, and numeric values that are not numbers', () => {
    const [drift] = featureDrift(reference, window({ 'X[0]': [...spread(0, 10, 50), null, '', 'n/a'] }));
    expect(drift).toMatchObject({ feature: 'X[0]', rows: 50 });
  });
});
