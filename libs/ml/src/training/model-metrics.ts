import type { ClassMetrics, SplitMetrics } from '@slipway/contracts';

export type ClassificationMetrics = Extract<SplitMetrics, { task: 'classification' }>;
export type RegressionMetrics = Extract<SplitMetrics, { task: 'regression' }>;

/** What tfjs's categorical cross-entropy clips probabilities to (its backend epsilon), so a 0 costs a finite loss. */
const PROBABILITY_EPSILON = 1e-7;

/**
 * A classifier's figures on one split, from its predicted probabilities (row-major `rows × classes.length`) and the
 * actual class indices. The predicted class is the most probable one (the first on a tie, as tf.argMax). Per class,
 * precision is 0 for a class never predicted, recall 0 for a class absent from the split, and F1 0 when both are 0.
 * As scikit-learn's defaults: macro-F1 averages the classes that occur in the split or are predicted, balanced
 * accuracy the classes that occur in it. The loss is the mean categorical cross-entropy.
 * @throws RangeError for an empty split or probabilities of another shape.
 */
export function classificationMetrics(actual: Int32Array, probabilities: Float32Array, classes: readonly string[]): ClassificationMetrics {
  const rows = actual.length;
  const classCount = classes.length;
  if (rows === 0) throw new RangeError('classification metrics need at least one row');
  if (probabilities.length !== rows * classCount) {
    throw new RangeError(`probabilities hold ${probabilities.length} values, expected ${rows} rows × ${classCount} classes`);
  }
  const confusionMatrix = classes.map(() => new Array<number>(classCount).fill(0));
  let crossEntropy = 0;
  for (let row = 0; row < rows; row += 1) {
    const truth = actual[row];
    if (!Number.isInteger(truth) || truth < 0 || truth >= classCount) throw new RangeError(`row ${row} has class index ${truth}, only ${classCount} classes`);
    const offset = row * classCount;
    let predicted = 0;
    for (let c = 1; c < classCount; c += 1) if (probabilities[offset + c] > probabilities[offset + predicted]) predicted = c;
    confusionMatrix[truth][predicted] += 1;
    crossEntropy -= Math.log(Math.min(Math.max(probabilities[offset + truth], PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON));
  }

  const predictedCounts = classes.map((_, c) => confusionMatrix.reduce((sum, actualRow) => sum + actualRow[c], 0));
  const perClass = classes.map((name, c): ClassMetrics => {
    const truePositives = confusionMatrix[c][c];
    const support = confusionMatrix[c].reduce((sum, count) => sum + count, 0);
    const precision = predictedCounts[c] === 0 ? 0 : truePositives / predictedCounts[c];
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { class: name, precision, recall, f1, support };
  });
  const occurring = perClass.filter((figures) => figures.support > 0);
  const occurringOrPredicted = perClass.filter((figures, c) => figures.support > 0 || predictedCounts[c] > 0);
  const correct = confusionMatrix.reduce((sum, actualRow, c) => sum + actualRow[c], 0);
  return {
    task: 'classification',
    rows,
    loss: crossEntropy / rows,
    accuracy: correct / rows,
    macroF1: mean(occurringOrPredicted.map((figures) => figures.f1)),
    balancedAccuracy: mean(occurring.map((figures) => figures.recall)),
    perClass,
    confusionMatrix,
  };
}

/**
 * A regressor's figures on one split, from actual and predicted values in the label's units. The loss is the
 * training loss, the mean squared error of the standardised label (mse / scale²). R² = 1 − SS_res / SS_tot around the
 * split's own mean; a split whose actual values are all equal (SS_tot = 0) gets 1 when every prediction is exact and
 * 0 otherwise, as scikit-learn's r2_score.
 * @throws RangeError for an empty split or arrays of different lengths.
 */
export function regressionMetrics(actual: Float32Array, predicted: Float32Array, labelScale: number): RegressionMetrics {
  const rows = actual.length;
  if (rows === 0) throw new RangeError('regression metrics need at least one row');
  if (predicted.length !== rows) throw new RangeError(`${predicted.length} predictions for ${rows} actual values`);
  const actualMean = mean(Array.from(actual));
  let squaredErrors = 0;
  let absoluteErrors = 0;
  let squaredDeviations = 0;
  for (let row = 0; row < rows; row += 1) {
    const error = predicted[row] - actual[row];
    squaredErrors += error * error;
    absoluteErrors += Math.abs(error);
    squaredDeviations += (actual[row] - actualMean) ** 2;
  }
  const mse = squaredErrors / rows;
  const r2 = squaredDeviations > 0 ? 1 - squaredErrors / squaredDeviations : squaredErrors === 0 ? 1 : 0;
  return { task: 'regression', rows, loss: mse / labelScale ** 2, mse, rmse: Math.sqrt(mse), mae: absoluteErrors / rows, r2 };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
