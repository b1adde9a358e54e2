import { performance } from 'node:perf_hooks';
import type { EpochMetrics, NetworkSpec, TrainedModel } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { initTensorflow } from '../backend/init-tensorflow';
import type { EncodedSplit } from '../dataset/prepared-dataset-store';
import { shuffled } from '../dataset/shuffled';
import { buildModel, modelHeadFor } from '../model/build-model';
import { predictOutputs } from '../model/predict';
import { saveModel } from '../model/save-model';
import { classWeightsFor, type ClassWeightByIndex } from './class-weights';
import { EarlyStoppingMonitor } from './early-stopping';
import { evaluateSplits } from './evaluate-model';
import { loadTrainingData, splitTensors, transformOfModel, type SplitTensors } from './training-data';
import { restoreCheckpoint, saveCheckpoint } from './training-checkpoint';
import type { TrainModelRequest } from './train-model';

/**
 * Trains the spec's network for the data set's task — a classifier or a regressor — evaluates it on the validation and
 * test splits and stores it. With `earlyStopping` the training ends once the monitored validation figure stopped
 * improving, and the stored model has the best epoch's weights. Shuffling is seeded from `modelSpec.seed` and the epoch
 * number (reshuffled every epoch), so the same request trains the same model on a deterministic backend, and a
 * training resumed from a checkpoint sees the same epoch order and stops at the same epoch as one that never stopped.
 * @throws ModelSpecError naming the field of a spec that fails the parameter budget or the data set (early stopping
 * without a validation split, class weights for a regression or an unknown class).
 * @throws DatasetError when the prepared splits do not match their transform.
 * @throws CheckpointError when `resumeFrom` belongs to another training.
 */
export async function trainNetwork(request: TrainModelRequest, spec: NetworkSpec): Promise<TrainedModel> {
  const { store, dataset: ref, onEpoch, checkpointEvery = 1 } = request;
  const backend = await initTensorflow(request.backendPreference);
  const { transform, dataset } = await loadTrainingData(store, ref);
  const { label } = transform;
  const classWeight = classWeightsFor(spec.classWeight, label, dataset.train.labels);
  const earlyStopping = EarlyStoppingMonitor.forTraining(spec.earlyStopping, label.task, dataset.validation.rows);

  const head = modelHeadFor(label);
  const model = buildModel(spec, dataset.width, head);
  const tensors: SplitTensors[] = [];
  const tensorsOf = (split: EncodedSplit): SplitTensors => {
    const splitTensor = splitTensors(split, dataset.width, head);
    tensors.push(splitTensor);
    return splitTensor;
  };
  try {
    const [train, validation] = [tensorsOf(dataset.train), tensorsOf(dataset.validation)];
    let history: EpochMetrics[] = [];
    let earlierDurationMs = 0;
    let checkpoint = request.resumeFrom;
    const datasetDigest = ref.dataset.digest;
    if (checkpoint) {
      const restored = await restoreCheckpoint(store, checkpoint.digest, model, { epochs: spec.epochs, datasetDigest, earlyStopping: earlyStopping !== undefined });
      history = restored.checkpoint.history;
      earlierDurationMs = restored.checkpoint.trainingDurationMs;
      if (restored.earlyStopping) earlyStopping?.resume(restored.earlyStopping);
    }
    const started = performance.now();
    const elapsedMs = (): number => earlierDurationMs + (performance.now() - started);
    const rowOrder = Array.from({ length: train.rows }, (_, index) => index);
    for (let epoch = history.length + 1; epoch <= spec.epochs && !earlyStopping?.stopped; epoch += 1) {
      const metrics = await fitEpoch(model, { spec, epoch, train, validation, rowOrder, classWeight });
      history.push(metrics);
      earlyStopping?.observe(metrics, model);
      if (epoch % checkpointEvery === 0 || epoch === spec.epochs || earlyStopping?.stopped) {
        const state = { epoch, epochs: spec.epochs, datasetDigest, history, trainingDurationMs: elapsedMs(), earlyStopping: earlyStopping?.state() };
        checkpoint = await saveCheckpoint(store, model, state);
      }
      onEpoch?.({ ...metrics, epochs: spec.epochs, backend, ...(checkpoint ? { checkpoint } : {}) });
    }
    const trainingDurationMs = elapsedMs();

    // The best epoch's weights are kept whether patience ran out or the epoch limit came first.
    earlyStopping?.restoreBestWeights(model);
    const predict = (features: Float32Array, rows: number) => predictOutputs(model, features, rows, dataset.width);
    const bestEpoch = earlyStopping?.stopped && history.length < spec.epochs ? earlyStopping.bestEpoch : undefined;
    const metrics = evaluateSplits(predict, dataset, label);
    return {
      sourceDigest: ref.sourceDigest,
      format: 'slipway-tfjs',
      model: await saveModel(store, model),
      transform: await transformOfModel(store, ref),
      backend,
      metrics,
      history,
      ...(bestEpoch !== undefined ? { earlyStopped: { atEpoch: history.length, bestEpoch } } : {}),
      trainingDurationMs,
      samplesPerSecond: trainingDurationMs > 0 ? (train.rows * history.length) / (trainingDurationMs / 1000) : 0,
    };
  } finally {
    for (const split of tensors) tf.dispose([split.x, split.y]);
    earlyStopping?.dispose();
    model.dispose();
  }
}

interface EpochRequest {
  spec: NetworkSpec;
  epoch: number;
  train: SplitTensors;
  validation: SplitTensors;
  /** 0 … train rows - 1, shuffled anew for every epoch. */
  rowOrder: readonly number[];
  classWeight: ClassWeightByIndex | undefined;
}

/** Trains one epoch on the train split in this epoch's seeded order, measuring the validation split after it. */
async function fitEpoch(model: tf.LayersModel, { spec, epoch, train, validation, rowOrder, classWeight }: EpochRequest): Promise<EpochMetrics> {
  const started = performance.now();
  // tfjs shuffles with Math.random; shuffling here with a generator seeded per epoch keeps runs repeatable.
  const random = seedrandom(`${spec.seed}:${epoch}`);
  const [x, y] = tf.tidy(() => {
    const order = tf.tensor1d(shuffled(rowOrder, random), 'int32');
    return [tf.gather(train.x, order), tf.gather(train.y, order)];
  });
  try {
    const fitted = await model.fit(x, y, {
      batchSize: spec.batchSize,
      epochs: 1,
      shuffle: false,
      verbose: 0,
      validationData: validation.rows > 0 ? [validation.x, validation.y] : undefined,
      classWeight,
    });
    return epochMetrics(fitted, epoch, performance.now() - started);
  } finally {
    tf.dispose([x, y]);
  }
}

/** The epoch's figures from tfjs's history: accuracy only where the model measures it (classifiers). */
function epochMetrics(fitted: tf.History, epoch: number, durationMs: number): EpochMetrics {
  const last = (key: string): number | undefined => {
    const values = fitted.history[key];
    const value = values?.[values.length - 1];
    return value === undefined ? undefined : typeof value === 'number' ? value : value.dataSync()[0];
  };
  const metrics: EpochMetrics = { epoch, loss: last('loss') ?? Number.NaN, durationMs };
  for (const [field, key] of [['accuracy', 'acc'], ['valLoss', 'val_loss'], ['valAccuracy', 'val_acc']] as const) {
    const value = last(key);
    if (value !== undefined) metrics[field] = value;
  }
  return metrics;
}
