import { CLASSIFIER_OUTPUTS, REGRESSOR_OUTPUTS, type V2InferOutput, type V2TensorMetadata } from '@slipway/contracts';
import { toLabelUnits, type ModelSignature } from '@slipway/ml';

export type OutputName = keyof typeof CLASSIFIER_OUTPUTS | keyof typeof REGRESSOR_OUTPUTS;

/**
 * What a model's raw output means, by task: a classifier's row-major rows × classes probabilities, or a regressor's
 * one value per row already in the label's units.
 */
export type Predictions = { task: 'classification'; probabilities: Float32Array; classes: readonly string[] } | { task: 'regression'; values: Float32Array };

/** The outputs a model of the signature's task has, in the order a response lists them when none were asked for. */
export function outputNamesOf(signature: ModelSignature): OutputName[] {
  return signature.task === 'classification' ? [CLASSIFIER_OUTPUTS.probabilities, CLASSIFIER_OUTPUTS.label] : [REGRESSOR_OUTPUTS.prediction];
}

/** How many numbers the model gives per row: one per class, or the one value. */
export function outputWidthOf(signature: ModelSignature): number {
  return signature.task === 'classification' ? signature.classes.length : 1;
}

/** Reads the model's raw output (what the predictor returns) by the signature's task. */
export function predictionsOf(signature: ModelSignature, raw: Float32Array): Predictions {
  return signature.task === 'classification' ? { task: 'classification', probabilities: raw, classes: signature.classes } : { task: 'regression', values: toLabelUnits(raw, signature.label) };
}

/** One answer per row: the most probable class, or the predicted value. */
export function answersOf(predictions: Predictions, rowCount: number): string[] | number[] {
  return predictions.task === 'classification' ? argmaxLabels(predictions.probabilities, predictions.classes, rowCount) : Array.from(predictions.values);
}

/** The V2 output tensor of that name. */
export function v2Output(name: OutputName, predictions: Predictions, rowCount: number): V2InferOutput {
  if (predictions.task === 'regression') return { name, datatype: 'FP32', shape: [rowCount], data: Array.from(predictions.values) };
  if (name === CLASSIFIER_OUTPUTS.probabilities) return { name, datatype: 'FP32', shape: [rowCount, predictions.classes.length], data: Array.from(predictions.probabilities) };
  return { name, datatype: 'BYTES', shape: [rowCount], data: argmaxLabels(predictions.probabilities, predictions.classes, rowCount) };
}

/** The V2 metadata of the model's outputs. */
export function v2OutputMetadata(signature: ModelSignature): V2TensorMetadata[] {
  if (signature.task === 'regression') return [{ name: REGRESSOR_OUTPUTS.prediction, datatype: 'FP32', shape: [-1] }];
  return [
    { name: CLASSIFIER_OUTPUTS.probabilities, datatype: 'FP32', shape: [-1, signature.classes.length] },
    { name: CLASSIFIER_OUTPUTS.label, datatype: 'BYTES', shape: [-1] },
  ];
}

export function argmaxLabels(probabilities: Float32Array, classes: readonly string[], rowCount: number): string[] {
  const labels: string[] = [];
  for (let row = 0; row < rowCount; row += 1) {
    let best = 0;
    for (let column = 1; column < classes.length; column += 1) {
      if (probabilities[row * classes.length + column] > probabilities[row * classes.length + best]) best = column;
    }
    labels.push(classes[best]);
  }
  return labels;
}

/**
 * Rows two models answer differently: another class, or (regressors) values more than a tenth of the label's
 * training standard deviation apart — closer than that, two regressors agree for any practical purpose.
 */
export function disagreements(signature: ModelSignature, ours: Predictions, theirs: Predictions, rowCount: number): number {
  if (ours.task === 'regression' && theirs.task === 'regression') {
    const tolerance = signature.task === 'regression' ? signature.label.scale / 10 : 0;
    // A NaN on either side compares false, so it counts as a disagreement.
    return Array.from(ours.values).filter((value, row) => !(Math.abs(value - (theirs.values[row] ?? Number.NaN)) <= tolerance)).length;
  }
  const [a, b] = [answersOf(ours, rowCount), answersOf(theirs, rowCount)];
  return a.filter((answer, row) => answer !== b[row]).length;
}
