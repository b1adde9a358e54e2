import { populationStabilityIndex, PSI_SHARE_FLOOR } from './population-stability';

describe('populationStabilityIndex', () => {
  it('is 0 for identical distributions, whether given as shares or counts', () => {
    expect(populationStabilityIndex([0.1, 0.2, 0.7], [0.1, 0.2, 0.7])).toBeCloseTo(0, 12);
    expect(populationStabilityIndex([1, 2, 7], [10, 20, 70])).toBeCloseTo(0, 12);
  });

  it('follows Σ (a − e)·ln(a / e)', () => {
    // Two bins, 50/50 in training, 70/30 live.
    const expected = (0.7 - 0.5) * Math.log(0.7 / 0.5) + (0.3 - 0.5) * Math.log(0.3 / 0.5);
    expect(populationStabilityIndex([0.5, 0.5], [0.7, 0.3])).toBeCloseTo(expected, 12);
  });

  it('is symmetric and positive for different distributions', () => {
    const a = [0.25, 0.25, 0.5];
    const b = [0.4, 0.4, 0.2];
    expect(populationStabilityIndex(a, b)).toBeGreaterThan(0);
    expect(populationStabilityIndex(a, b)).toBeCloseTo(populationStabilityIndex(b, a), 12);
  });

  it('stays finite when a bin is empty on one side', () => {
    const psi = populationStabilityIndex([0.5, 0.5], [1, 0]);
    expect(Number.isFinite(psi)).toBe(true);
    expect(psi).toBeCloseTo((1 - 0.5) * Math.log(1 / 0.5) + (PSI_SHARE_FLOOR - 0.5) * Math.log(PSI_SHARE_FLOOR / 0.5), 12);
  });

  it('refuses bins that do not line up', () => {
    expect(() => populationStabilityIndex([0.5, 0.5], [1])).toThrow(RangeError);
  });
});
