import { chiSquareSurvival } from './distribution-tests';
import { populationStabilityIndex } from './population-stability';

export interface CategoricalDrift {
  psi: number;
  chiSquare: number;
  /** Degrees of freedom of the test: categories (training ones plus "unseen") − 1. */
  degreesOfFreedom: number;
  chiSquarePValue: number;
  rows: number;
}

/** Values the training split never had share one bucket, so a new category shows up as drift. */
const UNSEEN_CATEGORY = '\u0000unseen';

/**
 * PSI and Pearson's chi-square goodness of fit of live category counts against the training frequencies.
 * Expected shares get add-½ smoothing so a category training never saw has a small, non-zero expectation.
 */
export function categoricalDrift(trainingFrequencies: Readonly<Record<string, number>>, values: readonly string[]): CategoricalDrift {
  const categories = [...Object.keys(trainingFrequencies).sort(), UNSEEN_CATEGORY];
  const index = new Map(categories.map((category, i) => [category, i]));
  const observed = new Array<number>(categories.length).fill(0);
  for (const value of values) {
    const i = index.get(value) ?? categories.length - 1;
    observed[i] = (observed[i] ?? 0) + 1;
  }
  const training = categories.map((category) => trainingFrequencies[category] ?? 0);
  const trainingTotal = training.reduce((sum, count) => sum + count, 0);
  const smoothed = training.map((count) => (count + 0.5) / (trainingTotal + 0.5 * categories.length));
  const n = values.length;
  let chiSquare = 0;
  smoothed.forEach((share, i) => {
    const expected = share * n;
    if (expected > 0) chiSquare += ((observed[i] ?? 0) - expected) ** 2 / expected;
  });
  const degreesOfFreedom = categories.length - 1;
  return {
    psi: populationStabilityIndex(training, observed),
    chiSquare,
    degreesOfFreedom,
    chiSquarePValue: n > 0 ? chiSquareSurvival(chiSquare, degreesOfFreedom) : 1,
    rows: n,
  };
}
