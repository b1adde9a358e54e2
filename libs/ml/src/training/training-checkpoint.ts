import {
  MEDIA_TYPES,
  trainingCheckpointSchema,
  type ArtifactRef,
  type EpochMetrics,
  type StoredWeights,
  type TrainingCheckpoint,
} from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors/checkpoint.error';
import type { EarlyStoppingState } from './early-stopping';
import { loadNamedWeights, namedWeights, type NamedTensor } from './named-weights';

export interface CheckpointState {
  /** The last completed epoch. */
  epoch: number;
  epochs: number;
  datasetDigest: string;
  history: readonly EpochMetrics[];
  trainingDurationMs: number;
  /** Early stopping's progress and best weights, in every checkpoint of a training with early stopping. */
  earlyStopping?: EarlyStoppingState;
}

/** A checkpoint loaded into a model: its manifest, and early stopping's state with the best weights (the caller disposes them). */
export interface RestoredCheckpoint {
  checkpoint: TrainingCheckpoint;
  earlyStopping?: EarlyStoppingState;
}

/**
 * Stores the model's weights, its optimizer's state and the training state (with early stopping's best weights) as
 * one checkpoint manifest (MEDIA_TYPES.trainingCheckpoint) and returns the manifest's ref.
 */
export async function saveCheckpoint(store: ArtifactStore, model: tf.LayersModel, state: CheckpointState): Promise<ArtifactRef> {
  const modelWeights = await storeWeights(store, namedWeights(model));
  const optimizerState = await model.optimizer.getWeights();
  let optimizerWeights: StoredWeights;
  try {
    optimizerWeights = await storeWeights(store, optimizerState);
  } finally {
    // getWeights hands out the optimizer's own variables plus fresh tensors (the iteration count): free only the latter.
    for (const { tensor } of optimizerState) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  }
  const earlyStopping = state.earlyStopping && {
    bestEpoch: state.earlyStopping.bestEpoch,
    bestValue: state.earlyStopping.bestValue,
    wait: state.earlyStopping.wait,
    bestWeights: await storeWeights(store, state.earlyStopping.bestWeights),
  };
  const checkpoint: TrainingCheckpoint = {
    version: 1,
    epoch: state.epoch,
    epochs: state.epochs,
    datasetDigest: state.datasetDigest,
    model: modelWeights,
    optimizer: optimizerWeights,
    history: [...state.history],
    trainingDurationMs: state.trainingDurationMs,
    ...(earlyStopping ? { earlyStopping } : {}),
  };
  return store.putJson(checkpoint, MEDIA_TYPES.trainingCheckpoint);
}

/**
 * Loads a checkpoint into a freshly built and compiled model: its weights and its optimizer's state, so the
 * next fit step continues where the checkpoint's training stopped, and early stopping's state.
 * @throws CheckpointError when the checkpoint was made for another dataset or epoch count, with early stopping for a
 * training without it (or the other way round), or for another model layout.
 * @throws ArtifactNotFoundError / ArtifactCorruptError (from the store) for a missing or invalid checkpoint.
 */
export async function restoreCheckpoint(
  store: ArtifactStore,
  digest: string,
  model: tf.LayersModel,
  expected: { epochs: number; datasetDigest: string; earlyStopping: boolean },
): Promise<RestoredCheckpoint> {
  const checkpoint = await store.getJson(digest, trainingCheckpointSchema);
  if (checkpoint.datasetDigest !== expected.datasetDigest) {
    throw new CheckpointError(`checkpoint ${digest} was made on dataset ${checkpoint.datasetDigest}, not ${expected.datasetDigest}`, digest);
  }
  if (checkpoint.epochs !== expected.epochs || checkpoint.epoch > checkpoint.epochs || checkpoint.history.length !== checkpoint.epoch) {
    throw new CheckpointError(
      `checkpoint ${digest} is at epoch ${checkpoint.epoch} of ${checkpoint.epochs} with ${checkpoint.history.length} epochs of history; this training runs ${expected.epochs} epochs`,
      digest,
    );
  }
  if ((checkpoint.earlyStopping !== undefined) !== expected.earlyStopping) {
    const [made, wanted] = expected.earlyStopping ? ['without', 'with'] : ['with', 'without'];
    throw new CheckpointError(`checkpoint ${digest} was made ${made} early stopping; this training runs ${wanted} it`, digest);
  }
  const modelWeights = await loadWeights(store, checkpoint.model);
  const optimizerWeights = await loadWeights(store, checkpoint.optimizer);
  try {
    try {
      loadNamedWeights(model, modelWeights);
    } catch (error) {
      throw new CheckpointError(`checkpoint ${digest} does not fit the model: ${(error as Error).message}`, digest);
    }
    // The optimizer copies the tensors into variables of its own.
    await model.optimizer.setWeights(optimizerWeights);
  } finally {
    tf.dispose([...modelWeights, ...optimizerWeights].map(({ tensor }) => tensor));
  }
  if (!checkpoint.earlyStopping) return { checkpoint };
  const { bestWeights, ...progress } = checkpoint.earlyStopping;
  // The model's weights were just loaded, so best weights of the same layout fit the model too.
  if (JSON.stringify(bestWeights.weightSpecs) !== JSON.stringify(checkpoint.model.weightSpecs)) {
    throw new CheckpointError(`checkpoint ${digest} holds best weights of another layout than its model weights`, digest);
  }
  return { checkpoint, earlyStopping: { ...progress, bestWeights: await loadWeights(store, bestWeights) } };
}

async function storeWeights(store: ArtifactStore, tensors: NamedTensor[]): Promise<StoredWeights> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const weights = await store.put(new Uint8Array(data), MEDIA_TYPES.modelWeights);
  return { weightSpecs: specs.map(({ name, shape, dtype }) => ({ name, shape, dtype })), weights };
}

/** The stored tensors in their stored order (an optimizer's state is positional). The caller disposes them. */
async function loadWeights(store: ArtifactStore, stored: StoredWeights): Promise<NamedTensor[]> {
  const bytes = await store.get(stored.weights.digest);
  // A Buffer may be a view into a larger pool: hand tfjs exactly its bytes.
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const decoded = tf.io.decodeWeights(buffer, stored.weightSpecs);
  return stored.weightSpecs.map(({ name }) => ({ name, tensor: decoded[name] }));
}
