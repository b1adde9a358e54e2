import { performance } from 'node:perf_hooks';
import { MEDIA_TYPES, progressStepsOf, type EpochMetrics, type ForestSpec, type LabelTransform, type TrainedModel } from '@slipway/contracts';
import type { EncodedSplit } from '../dataset/prepared-dataset-store';
import { toLabelUnits } from '../model/predict';
import { addTreePredictions, forestToOnnx, predictForest, trainRandomForest, type DecisionTree } from '../trees';
import { classWeightsFor } from './class-weights';
import { evaluateSplits } from './evaluate-model';
import { classificationMetrics, regressionMetrics } from './model-metrics';
import type { TrainModelRequest } from './train-model';
import { loadTrainingData, transformOfModel } from './training-data';

/**
 * Grows the spec's random forest on the train split, evaluates it on the validation and test splits and stores it as
 * an ONNX tree ensemble. Progress comes in progressStepsOf(spec) "epochs", each the forest so far measured on the train and
 * validation splits, so the curve shows what more trees bought. The forest is a function of its seed and data:
 * a training that was interrupted is grown again to the same trees.
 * @throws ModelSpecError for class weights on a regression label or naming an unknown class.
 * @throws DatasetError when the prepared splits do not match their transform.
 */
export async function trainForest(request: TrainModelRequest, spec: ForestSpec): Promise<TrainedModel> {
  const { store, dataset: ref, onEpoch } = request;
  const { transform, dataset } = await loadTrainingData(store, ref);
  const { label } = transform;
  const { width, train, validation } = dataset;
  const classCount = label.task === 'classification' ? label.classes.length : 1;
  const classWeightByIndex = classWeightsFor(spec.classWeight, label, train.labels);
  const classWeights = classWeightByIndex && Array.from({ length: classCount }, (_, index) => classWeightByIndex[index] ?? 1);

  const steps = progressStepsOf(spec);
  const progress = [new ForestProgress(train, classCount), new ForestProgress(validation, classCount)] as const;
  const history: EpochMetrics[] = [];
  const started = performance.now();
  let stepStarted = started;
  const onTree = (tree: DecisionTree, index: number): void => {
    for (const split of progress) split.add(tree);
    const built = index + 1;
    if (Math.floor((built * steps) / spec.trees) === Math.floor((index * steps) / spec.trees)) return;
    const now = performance.now();
    const metrics = stepMetrics(history.length + 1, progress, label, now - stepStarted);
    stepStarted = now;
    history.push(metrics);
    onEpoch?.({ ...metrics, epochs: steps, backend: 'javascript' });
  };
  const forest = trainRandomForest(
    { features: train.features, rows: train.rows, width, labels: train.labels, task: label.task, ...(label.task === 'classification' ? { classCount } : {}), ...(classWeights ? { classWeights } : {}) },
    {
      trees: spec.trees,
      maxFeatures: spec.maxFeatures ?? (label.task === 'classification' ? 'sqrt' : 'all'),
      minSamplesLeaf: spec.minSamplesLeaf,
      ...(spec.maxDepth !== undefined ? { maxDepth: spec.maxDepth } : {}),
      bootstrap: spec.bootstrap,
      seed: spec.seed,
    },
    onTree,
  );
  const trainingDurationMs = performance.now() - started;

  const predict = (features: Float32Array, rows: number) => predictForest(forest, features, rows);
  const metrics = evaluateSplits(predict, dataset, label);
  return {
    sourceDigest: ref.sourceDigest,
    format: 'slipway-onnx',
    model: await store.put(forestToOnnx(forest), MEDIA_TYPES.onnxModel),
    transform: await transformOfModel(store, ref),
    backend: 'javascript',
    metrics,
    history,
    trainingDurationMs,
    // Training rows per second of the whole fit: a forest sees each row once per tree, not once per epoch.
    samplesPerSecond: trainingDurationMs > 0 ? train.rows / (trainingDurationMs / 1000) : 0,
  };
}

/** The sum of the trees' outputs so far on one split, so the forest so far is measured without predicting again. */
class ForestProgress {
  private readonly sums: Float32Array;
  private trees = 0;

  constructor(
    readonly split: EncodedSplit,
    outputs: number,
  ) {
    this.sums = new Float32Array(split.rows * outputs);
  }

  add(tree: DecisionTree): void {
    if (this.split.rows > 0) addTreePredictions(tree, this.split.features, this.split.rows, this.sums);
    this.trees += 1;
  }

  /** The forest so far: the mean of its trees' outputs. */
  mean(): Float32Array {
    return this.sums.map((sum) => sum / this.trees);
  }
}

/** Loss (and accuracy for a classifier) of the forest so far on the train split and, when there is one, the validation split. */
function stepMetrics(epoch: number, [train, validation]: readonly [ForestProgress, ForestProgress], label: LabelTransform, durationMs: number): EpochMetrics {
  const figures = (split: ForestProgress) =>
    label.task === 'classification'
      ? classificationMetrics(Int32Array.from(split.split.labels), split.mean(), label.classes)
      : regressionMetrics(toLabelUnits(Float32Array.from(split.split.labels), label), toLabelUnits(split.mean(), label), label.scale);
  const onTrain = figures(train);
  const metrics: EpochMetrics = { epoch, loss: onTrain.loss, durationMs };
  if (onTrain.task === 'classification') metrics.accuracy = onTrain.accuracy;
  if (validation.split.rows > 0) {
    const onValidation = figures(validation);
    metrics.valLoss = onValidation.loss;
    if (onValidation.task === 'classification') metrics.valAccuracy = onValidation.accuracy;
  }
  return metrics;
}
