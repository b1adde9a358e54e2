import type { ModelSignature } from '@slipway/ml';
import { answersOf, disagreements, outputNamesOf, predictionsOf } from './model-outputs';

const regressor: ModelSignature = {
  inputs: [{ name: 'km', datatype: 'FP32' }],
  width: 1,
  task: 'regression',
  label: { task: 'regression', name: 'minutes', mean: 20, scale: 10, statistics: { count: 10, min: 0, max: 40, mean: 20, std: 10, quantiles: [], missing: 0 } },
};
const classifier: ModelSignature = { inputs: [{ name: 'x', datatype: 'FP32' }], width: 1, task: 'classification', classes: ['no', 'yes'] };

describe('model outputs by task', () => {
  it("turns a regressor's standardised output into the label's units, and a classifier's probabilities into labels", () => {
    expect(answersOf(predictionsOf(regressor, Float32Array.from([0, 1.5])), 2)).toEqual([20, 35]);
    expect(answersOf(predictionsOf(classifier, Float32Array.from([0.2, 0.8, 0.9, 0.1])), 2)).toEqual(['yes', 'no']);
    expect(outputNamesOf(regressor)).toEqual(['prediction']);
    expect(outputNamesOf(classifier)).toEqual(['probabilities', 'label']);
  });

  it("counts regressors apart when they differ by more than a tenth of the label's training std, and any NaN", () => {
    const ours = predictionsOf(regressor, Float32Array.from([0, 0, 0, 0]));
    const theirs = predictionsOf(regressor, Float32Array.from([0.05, 0.2, -0.11, Number.NaN]));
    // In minutes: 0.5 and 2 and 1.1 apart (the tolerance is 1), and a NaN.
    expect(disagreements(regressor, ours, theirs, 4)).toBe(3);
  });

  it('counts classifiers apart by their labels', () => {
    const ours = predictionsOf(classifier, Float32Array.from([0.2, 0.8, 0.9, 0.1]));
    const theirs = predictionsOf(classifier, Float32Array.from([0.4, 0.6, 0.3, 0.7]));
    expect(disagreements(classifier, ours, theirs, 2)).toBe(1);
  });
});
