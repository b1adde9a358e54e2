import { classificationMetrics, regressionMetrics } from './model-metrics';

const probabilities = (rows: number[][]) => Float32Array.from(rows.flat());

describe('classificationMetrics', () => {
  // actual a a a b b c, predicted a a b b a a: c is never predicted.
  const actual = Int32Array.from([0, 0, 0, 1, 1, 2]);
  const predictions = probabilities([
    [0.8, 0.1, 0.1],
    [0.6, 0.3, 0.1],
    [0.3, 0.6, 0.1],
    [0.2, 0.7, 0.1],
    [0.5, 0.4, 0.1],
    [0.9, 0.1, 0],
  ]);

  it('counts the confusion matrix by actual row and predicted column, and accuracy from its diagonal', () => {
    const metrics = classificationMetrics(actual, predictions, ['a', 'b', 'c']);
    expect(metrics.confusionMatrix).toEqual([
      [2, 1, 0],
      [1, 1, 0],
      [1, 0, 0],
    ]);
    expect(metrics).toMatchObject({ task: 'classification', rows: 6, accuracy: 0.5 });
  });

  it('gives precision, recall, F1 and support per class in the given order; a class never predicted scores 0', () => {
    const { perClass } = classificationMetrics(actual, predictions, ['a', 'b', 'c']);
    expect(perClass?.map(({ class: name, support }) => [name, support])).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 1],
    ]);
    const [a, b, c] = perClass ?? [];
    expect(a.precision).toBeCloseTo(2 / 4, 12);
    expect(a.recall).toBeCloseTo(2 / 3, 12);
    expect(a.f1).toBeCloseTo(4 / 7, 12);
    expect([b.precision, b.recall, b.f1]).toEqual([0.5, 0.5, 0.5]);
    expect([c.precision, c.recall, c.f1]).toEqual([0, 0, 0]);
  });

  it('averages F1 and recall over the classes, however rare', () => {
    const metrics = classificationMetrics(actual, predictions, ['a', 'b', 'c']);
    expect(metrics.macroF1).toBeCloseTo((4 / 7 + 0.5 + 0) / 3, 12);
    expect(metrics.balancedAccuracy).toBeCloseTo((2 / 3 + 0.5 + 0) / 3, 12);
  });

  it('takes the mean cross-entropy of the actual class, clipping a probability of 0 as tfjs does', () => {
    const metrics = classificationMetrics(actual, predictions, ['a', 'b', 'c']);
    const expected = -[0.8, 0.6, 0.3, 0.7, 0.4, 1e-7].reduce((sum, p) => sum + Math.log(p), 0) / 6;
    expect(metrics.loss).toBeCloseTo(expected, 5);
  });

  it('leaves out of macro-F1 a class neither in the split nor predicted, and out of balanced accuracy one not in the split', () => {
    // actual a a b, predicted a c b; d occurs nowhere.
    const metrics = classificationMetrics(
      Int32Array.from([0, 0, 1]),
      probabilities([
        [0.9, 0, 0.1, 0],
        [0.1, 0.2, 0.7, 0],
        [0, 1, 0, 0],
      ]),
      ['a', 'b', 'c', 'd'],
    );
    expect(metrics.perClass?.[2]).toEqual({ class: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(metrics.perClass?.[3]).toEqual({ class: 'd', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(metrics.macroF1).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12);
    expect(metrics.balancedAccuracy).toBeCloseTo((0.5 + 1) / 2, 12);
  });

  it('predicts the first of equally probable classes, as tf.argMax', () => {
    const metrics = classificationMetrics(Int32Array.from([1]), probabilities([[0.5, 0.5]]), ['a', 'b']);
    expect(metrics.confusionMatrix).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('refuses an empty split, probabilities of another shape and a class index out of range', () => {
    expect(() => classificationMetrics(new Int32Array(0), new Float32Array(0), ['a', 'b'])).toThrow(RangeError);
    expect(() => classificationMetrics(Int32Array.from([0]), probabilities([[1, 0, 0]]), ['a', 'b'])).toThrow(/3 values, expected 1 rows × 2 classes/);
    expect(() => classificationMetrics(Int32Array.from([2]), probabilities([[1, 0]]), ['a', 'b'])).toThrow(/class index 2, only 2 classes/);
  });
});

describe('regressionMetrics', () => {
  it("measures errors in the label's units and the loss on the standardised label", () => {
    // errors 0.5, 0, -1, 1; actual mean 2.5, SS_tot 5
    const metrics = regressionMetrics(Float32Array.from([1, 2, 3, 4]), Float32Array.from([1.5, 2, 2, 5]), 2);
    expect(metrics).toEqual({ task: 'regression', rows: 4, loss: 0.5625 / 4, mse: 0.5625, rmse: 0.75, mae: 0.625, r2: 1 - 2.25 / 5 });
  });

  it('gives R² 0 for predicting the mean and a negative R² for worse than that', () => {
    const actual = Float32Array.from([1, 2, 3, 4]);
    expect(regressionMetrics(actual, Float32Array.from([2.5, 2.5, 2.5, 2.5]), 1).r2).toBe(0);
    expect(regressionMetrics(actual, Float32Array.from([4, 3, 2, 1]), 1).r2).toBe(1 - 20 / 5);
  });

  it('gives R² 1 or 0 when every actual value is the same, as scikit-learn does', () => {
    expect(regressionMetrics(Float32Array.from([3, 3]), Float32Array.from([3, 3]), 1).r2).toBe(1);
    expect(regressionMetrics(Float32Array.from([3, 3]), Float32Array.from([3, 4]), 1).r2).toBe(0);
  });

  it('refuses an empty split and predictions of another length', () => {
    expect(() => regressionMetrics(new Float32Array(0), new Float32Array(0), 1)).toThrow(RangeError);
    expect(() => regressionMetrics(Float32Array.from([1, 2]), Float32Array.from([1]), 1)).toThrow(/1 predictions for 2 actual values/);
  });
});
