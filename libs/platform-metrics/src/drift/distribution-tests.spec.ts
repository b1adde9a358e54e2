import { chiSquareSurvival, kolmogorovSurvival, ksPValue, logGamma } from './distribution-tests';

describe('kolmogorovSurvival', () => {
  // Critical values of the Kolmogorov distribution from the standard tables (Smirnov 1948; Massey 1951).
  it.each([
    [1.2238, 0.1],
    [1.3581, 0.05],
    [1.6276, 0.01],
  ])('P(K > %f) is about %f', (lambda, p) => {
    expect(kolmogorovSurvival(lambda)).toBeCloseTo(p, 3);
  });

  it('is 1 at 0 and falls monotonically towards 0', () => {
    expect(kolmogorovSurvival(0)).toBe(1);
    const values = [0.3, 0.5, 0.8, 1, 1.5, 2, 3].map(kolmogorovSurvival);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1] as number);
    expect(kolmogorovSurvival(5)).toBeLessThan(1e-12);
  });
});

describe('ksPValue', () => {
  it('gets smaller as the distance or the sample grows', () => {
    expect(ksPValue(0.05, 100)).toBeGreaterThan(ksPValue(0.1, 100));
    expect(ksPValue(0.05, 100)).toBeGreaterThan(ksPValue(0.05, 1_000));
    expect(ksPValue(0, 100)).toBe(1);
  });
});

describe('chiSquareSurvival', () => {
  it('matches the closed form e^(−x/2) for two degrees of freedom', () => {
    for (const x of [0.1, 1, 2.5, 5.991, 10, 40]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 10);
  });

  it('matches the closed form (1 + x/2)·e^(−x/2) for four degrees of freedom', () => {
    for (const x of [0.5, 3, 9.488, 20]) expect(chiSquareSurvival(x, 4)).toBeCloseTo((1 + x / 2) * Math.exp(-x / 2), 10);
  });

  // 5 % critical values from the chi-square table.
  it.each([
    [3.841, 1],
    [11.07, 5],
    [18.307, 10],
  ])('P(χ² > %f | df=%i) is 0.05', (x, df) => {
    expect(chiSquareSurvival(x, df)).toBeCloseTo(0.05, 3);
  });

  it('is 1 at 0 and rejects non-positive degrees of freedom', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(() => chiSquareSurvival(1, 0)).toThrow(RangeError);
  });
});

describe('logGamma', () => {
  it('gives ln((n−1)!) at integers and ln √π at ½', () => {
    let factorial = 1;
    for (let n = 1; n <= 15; n++) {
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 10);
      factorial *= n;
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });
});
