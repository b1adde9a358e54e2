import * as tf from '@tensorflow/tfjs';

/**
 * Class probabilities for `rowCount` encoded rows: a row-major rowCount × classCount array.
 * Every intermediate tensor is released, so a serving process can call this forever without leaking.
 */
export function predictProbabilities(
  model: tf.LayersModel,
  features: Float32Array,
  rowCount: number,
  width: number,
): Float32Array {
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
