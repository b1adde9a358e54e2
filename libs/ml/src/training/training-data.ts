import { MEDIA_TYPES, transformSchema, type ArtifactRef, type PreparedDatasetRef, type Transform } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import * as tf from '@tensorflow/tfjs';
import { transformWidth } from '../dataset/encode';
import { getPreparedDataset, PREPARED_SPLITS, type EncodedDataset, type EncodedSplit } from '../dataset/prepared-dataset-store';
import { DatasetError } from '../errors/dataset.error';
import type { ModelHead } from '../model/build-model';

/** A prepared data set with the transform it was encoded by, checked to belong together. */
export interface TrainingData {
  transform: Transform;
  dataset: EncodedDataset;
}

/** A split as the tensors model.fit takes: features `rows × width`, targets one-hot `rows × classes` or `rows × 1` values. */
export interface SplitTensors {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  rows: number;
}

/**
 * Reads the prepare step's output: the encoded splits and their transform.
 * @throws DatasetError when the splits do not match their transform (task, width, labels) or the train or test split is empty.
 * @throws ArtifactNotFoundError / ArtifactCorruptError (from the store) for a missing or invalid artifact.
 */
export async function loadTrainingData(store: ArtifactStore, ref: PreparedDatasetRef): Promise<TrainingData> {
  const digest = ref.dataset.digest;
  const transform = await store.getJson(ref.transform.digest, transformSchema);
  const dataset = await getPreparedDataset(store, digest);
  const { label } = transform;
  if (dataset.task !== label.task) {
    throw new DatasetError(`prepared dataset ${digest} is a ${dataset.task} data set, but its transform ${ref.transform.digest} has a ${label.task} label`);
  }
  const width = transformWidth(transform);
  if (dataset.width !== width) throw new DatasetError(`prepared dataset ${digest} has ${dataset.width} feature columns, its transform encodes ${width}`);
  for (const split of PREPARED_SPLITS) {
    const { rows, labels } = dataset[split];
    if (rows === 0 && split !== 'validation') throw new DatasetError(`prepared dataset ${digest} has no ${split} rows`);
    const bad = label.task === 'classification' ? labels.findIndex((value) => !Number.isInteger(value) || value < 0 || value >= label.classes.length) : labels.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      const expected = label.task === 'classification' ? `a class index below ${label.classes.length}` : 'a finite value';
      throw new DatasetError(`prepared dataset ${digest}: ${split} row ${bad} has label ${labels[bad]}, expected ${expected}`);
    }
  }
  return { transform, dataset };
}

/** The transform a trained model travels with: the exact bytes it was trained behind (same digest). */
export async function transformOfModel(store: ArtifactStore, ref: PreparedDatasetRef): Promise<ArtifactRef> {
  return store.put(await store.get(ref.transform.digest), MEDIA_TYPES.transform);
}

/** The split as tensors for the model's head. The caller disposes them. */
export function splitTensors(split: EncodedSplit, width: number, head: ModelHead): SplitTensors {
  const { rows, features, labels } = split;
  return tf.tidy(() => ({
    x: tf.tensor2d(features, [rows, width]),
    y:
      head.task === 'classification'
        ? (tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), head.classCount), 'float32') as tf.Tensor2D)
        : tf.tensor2d(labels, [rows, 1], 'float32'),
    rows,
  }));
}
