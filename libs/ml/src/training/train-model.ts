import { performance } from 'node:perf_hooks';
import {
  describeZodError,
  MEDIA_TYPES,
  modelSpecSchema,
  preparedDatasetSchema,
  transformSchema,
  type EpochMetrics,
  type ArtifactRef,
  type ModelSpec,
  type PreparedDatasetRef,
  type SplitMatrix,
  type TfBackend,
  type TrainedModel,
  type TrainingProgress,
} from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { initTensorflow } from '../backend/init-tensorflow';
import { transformWidth } from '../dataset/encode';
import { shuffled } from '../dataset/shuffled';
import { DatasetError } from '../errors/dataset.error';
import { ModelSpecError } from '../errors/model-spec.error';
import { buildClassifier } from '../model/build-classifier';
import { saveModel } from '../model/save-model';
import { restoreCheckpoint, saveCheckpoint } from './training-checkpoint';

export interface TrainClassifierRequest {
  store: ArtifactStore;
  /** The prepare step's result: where the encoded splits and the transform are. */
  dataset: PreparedDatasetRef;
  modelSpec: ModelSpec;
  /** Backend to start if none is active yet in this thread; see initTensorflow. */
  backendPreference: 'auto' | TfBackend;
  /** Called after every epoch, e.g. to forward job.updateProgress. */
  onEpoch?: (progress: TrainingProgress) => void;
  /**
   * Save a checkpoint (weights, optimizer state, history) after every this many epochs and after the last one;
   * progress then carries the latest checkpoint's ref.
   * @defaultValue 1
   */
  checkpointEvery?: number;
  /** A checkpoint of this same training (from an earlier progress report) to continue from instead of starting over. */
  resumeFrom?: ArtifactRef;
}

interface SplitTensors {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  rows: number;
}

/**
 * Trains the spec's classifier on a prepared dataset, evaluates it on the test split and stores the model.
 * Shuffling is seeded from `modelSpec.seed` and the epoch number (reshuffled every epoch), so the same request
 * trains the same model on a deterministic backend, and a training resumed from a checkpoint sees the same epoch
 * order as one that never stopped. Runs on the calling thread: services should use trainInWorkerThread.
 * @throws ModelSpecError naming the field of a spec that fails its schema or the parameter budget.
 * @throws DatasetError when the prepared splits do not match their transform.
 * @throws CheckpointError when `resumeFrom` belongs to another training.
 */
export async function trainClassifier(request: TrainClassifierRequest): Promise<TrainedModel> {
  const { store, dataset, onEpoch, checkpointEvery = 1 } = request;
  const spec = parseSpec(request.modelSpec);
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
    throw new RangeError(`checkpointEvery must be a positive integer, got ${checkpointEvery}`);
  }
  const backend = await initTensorflow(request.backendPreference);
  const transform = await store.getJson(dataset.transform.digest, transformSchema);
  const prepared = await store.getJson(dataset.dataset.digest, preparedDatasetSchema);
  const width = transformWidth(transform);
  const classCount = transform.label.classes.length;

  const model = buildClassifier(spec, width, classCount);
  const splits: SplitTensors[] = [];
  try {
    const toTensors = (matrix: SplitMatrix, split: string): SplitTensors => {
      const tensors = splitTensors(matrix, split, width, classCount, dataset.dataset.digest);
      splits.push(tensors);
      return tensors;
    };
    const train = toTensors(prepared.train, 'train');
    const validation = toTensors(prepared.validation, 'validation');
    const test = toTensors(prepared.test, 'test');
    for (const [split, tensors] of [['train', train], ['test', test]] as const) {
      if (tensors.rows === 0) throw new DatasetError(`prepared dataset ${dataset.dataset.digest} has no ${split} rows`);
    }

    const rowOrder = Array.from({ length: train.rows }, (_, index) => index);
    let history: EpochMetrics[] = [];
    let earlierDurationMs = 0;
    let checkpoint = request.resumeFrom;
    if (checkpoint) {
      const restored = await restoreCheckpoint(store, checkpoint.digest, model, { epochs: spec.epochs, datasetDigest: dataset.dataset.digest });
      history = restored.history;
      earlierDurationMs = restored.trainingDurationMs;
    }
    const started = performance.now();
    const elapsedMs = (): number => earlierDurationMs + (performance.now() - started);
    for (let epoch = history.length + 1; epoch <= spec.epochs; epoch += 1) {
      const epochStarted = performance.now();
      // tfjs shuffles with Math.random; shuffling here with a generator seeded per epoch keeps runs repeatable.
      const random = seedrandom(`${spec.seed}:${epoch}`);
      const [x, y] = tf.tidy(() => {
        const order = tf.tensor1d(shuffled(rowOrder, random), 'int32');
        return [tf.gather(train.x, order), tf.gather(train.y, order)];
      });
      let fitted: tf.History;
      try {
        fitted = await model.fit(x, y, {
          batchSize: spec.batchSize,
          epochs: 1,
          shuffle: false,
          verbose: 0,
          validationData: validation.rows > 0 ? [validation.x, validation.y] : undefined,
        });
      } finally {
        tf.dispose([x, y]);
      }
      const metrics = epochMetrics(fitted, epoch, performance.now() - epochStarted);
      history.push(metrics);
      if (epoch % checkpointEvery === 0 || epoch === spec.epochs) {
        const state = { epoch, epochs: spec.epochs, datasetDigest: dataset.dataset.digest, history, trainingDurationMs: elapsedMs() };
        checkpoint = await saveCheckpoint(store, model, state);
      }
      onEpoch?.({ ...metrics, epochs: spec.epochs, backend, ...(checkpoint ? { checkpoint } : {}) });
    }
    const trainingDurationMs = elapsedMs();

    const [testLoss, testAccuracy] = evaluate(model, test);
    const modelRef = await saveModel(store, model);
    // The model travels with the exact transform bytes it was trained behind (same digest).
    const transformRef = await store.put(await store.get(dataset.transform.digest), MEDIA_TYPES.transform);
    return {
      sourceDigest: dataset.sourceDigest,
      model: modelRef,
      transform: transformRef,
      backend,
      metrics: { testAccuracy, testLoss, testRows: test.rows },
      history,
      trainingDurationMs,
      samplesPerSecond: trainingDurationMs > 0 ? (train.rows * spec.epochs) / (trainingDurationMs / 1000) : 0,
    };
  } finally {
    for (const split of splits) tf.dispose([split.x, split.y]);
    model.dispose();
  }
}

function parseSpec(spec: ModelSpec): ModelSpec {
  const parsed = modelSpecSchema.safeParse(spec);
  if (parsed.success) return parsed.data;
  const field = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
  throw new ModelSpecError(`invalid model spec: ${describeZodError(parsed.error)}`, field);
}

function splitTensors(
  matrix: SplitMatrix,
  split: string,
  width: number,
  classCount: number,
  digest: string,
): SplitTensors {
  const rows = matrix.features.length;
  if (matrix.labels.length !== rows) {
    throw new DatasetError(`prepared dataset ${digest}: ${split} has ${rows} feature rows but ${matrix.labels.length} labels`);
  }
  const badRow = matrix.features.findIndex((row) => row.length !== width);
  if (badRow >= 0) {
    throw new DatasetError(
      `prepared dataset ${digest}: ${split} row ${badRow} has ${matrix.features[badRow].length} values, the transform encodes ${width}`,
    );
  }
  const badLabel = matrix.labels.findIndex((label) => label >= classCount);
  if (badLabel >= 0) {
    throw new DatasetError(`prepared dataset ${digest}: ${split} row ${badLabel} has label ${matrix.labels[badLabel]}, only ${classCount} classes`);
  }
  return tf.tidy(() => ({
    x: tf.tensor2d(matrix.features.flat(), [rows, width]),
    y: tf.cast(tf.oneHot(tf.tensor1d(matrix.labels, 'int32'), classCount), 'float32') as tf.Tensor2D,
    rows,
  }));
}

function epochMetrics(fitted: tf.History, epoch: number, durationMs: number): EpochMetrics {
  const last = (key: string): number | undefined => {
    const values = fitted.history[key];
    const value = values?.[values.length - 1];
    return value === undefined ? undefined : typeof value === 'number' ? value : value.dataSync()[0];
  };
  const metrics: EpochMetrics = { epoch, loss: last('loss') ?? Number.NaN, accuracy: last('acc') ?? Number.NaN, durationMs };
  const valLoss = last('val_loss');
  const valAccuracy = last('val_acc');
  if (valLoss !== undefined) metrics.valLoss = valLoss;
  if (valAccuracy !== undefined) metrics.valAccuracy = valAccuracy;
  return metrics;
}

function evaluate(model: tf.LayersModel, test: SplitTensors): [loss: number, accuracy: number] {
  const scalars = model.evaluate(test.x, test.y) as tf.Scalar[];
  try {
    return [scalars[0].dataSync()[0], scalars[1].dataSync()[0]];
  } finally {
    tf.dispose(scalars);
  }
}
