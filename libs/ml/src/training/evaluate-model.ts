import type { EvaluationMetrics, LabelTransform, SplitMetrics } from '@slipway/contracts';
import type { EncodedDataset, EncodedSplit } from '../dataset/prepared-dataset-store';
import { toLabelUnits } from '../model/predict';
import { classificationMetrics, regressionMetrics } from './model-metrics';

/** A model's head outputs for `rows` encoded rows: row-major probabilities per class, or one standardised value per row. */
export type PredictHeadOutputs = (features: Float32Array, rows: number) => Float32Array;

/** Rows per model call: large enough to be fast, small enough that a wide hidden layer's activations stay small. */
const ROWS_PER_BATCH = 4_096;

/** The model's figures on the validation split (null when it has no rows) and the test split. */
export function evaluateSplits(predict: PredictHeadOutputs, dataset: EncodedDataset, label: LabelTransform): EvaluationMetrics {
  return {
    validation: dataset.validation.rows > 0 ? evaluateModel(predict, dataset.validation, dataset.width, label) : null,
    test: evaluateModel(predict, dataset.test, dataset.width, label),
  };
}

/** The model's figures on one split (of at least one row), from its predictions; see classificationMetrics and regressionMetrics. */
export function evaluateModel(predict: PredictHeadOutputs, split: EncodedSplit, width: number, label: LabelTransform): SplitMetrics {
  if (label.task === 'classification') {
    const probabilities = predictInBatches(split, width, label.classes.length, predict);
    return classificationMetrics(Int32Array.from(split.labels), probabilities, label.classes);
  }
  const predicted = toLabelUnits(predictInBatches(split, width, 1, predict), label);
  return regressionMetrics(toLabelUnits(Float32Array.from(split.labels), label), predicted, label.scale);
}

function predictInBatches(split: EncodedSplit, width: number, outputWidth: number, predict: PredictHeadOutputs): Float32Array {
  const outputs = new Float32Array(split.rows * outputWidth);
  for (let start = 0; start < split.rows; start += ROWS_PER_BATCH) {
    const rows = Math.min(ROWS_PER_BATCH, split.rows - start);
    outputs.set(predict(split.features.subarray(start * width, (start + rows) * width), rows), start * outputWidth);
  }
  return outputs;
}
