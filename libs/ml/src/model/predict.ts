import type { LabelTransform } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';

/** A regression label's fitted standardisation: the model learns (value - mean) / scale. */
export type RegressionLabel = Extract<LabelTransform, { task: 'regression' }>;

/**
 * Class probabilities for `rowCount` encoded rows: a row-major rowCount × classCount array.
 * Every intermediate tensor is released, so a serving process can call this forever without leaking.
 */
export function predictProbabilities(model: tf.LayersModel, features: Float32Array, rowCount: number, width: number): Float32Array {
  return predictOutputs(model, features, rowCount, width);
}

/**
 * A regressor's predictions for `rowCount` encoded rows, one value per row in the label's units.
 * Releases every intermediate tensor, like predictProbabilities.
 */
export function predictValues(
  model: tf.LayersModel,
  features: Float32Array,
  rowCount: number,
  width: number,
  label: Pick<RegressionLabel, 'mean' | 'scale'>,
): Float32Array {
  return toLabelUnits(predictOutputs(model, features, rowCount, width), label);
}

/** Standardised label values (what a regressor outputs and trains on) in the label's own units: value × scale + mean. */
export function toLabelUnits(standardised: Float32Array, label: Pick<RegressionLabel, 'mean' | 'scale'>): Float32Array {
  return standardised.map((value) => value * label.scale + label.mean);
}

/** The model's raw output for `rowCount` encoded rows (row-major, rowCount × output units), every intermediate tensor released. */
export function predictOutputs(model: tf.LayersModel, features: Float32Array, rowCount: number, width: number): Float32Array {
  if (features.length !== rowCount * width) {
    throw new RangeError(`features hold ${features.length} values, expected rowCount × width = ${rowCount} × ${width}`);
  }
  // predictOnBatch runs the rows as one batch; predict would split a dynamic batch into slices of 32, one
  // execution each, for the same outputs (inference layers do not depend on the batch).
  const output = tf.tidy(() => model.predictOnBatch(tf.tensor2d(features, [rowCount, width])) as tf.Tensor);
  try {
    const values = output.dataSync();
    return values instanceof Float32Array ? values : Float32Array.from(values);
  } finally {
    output.dispose();
  }
}
