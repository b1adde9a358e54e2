import type { ArtifactRef, ModelSpec, PreparedDatasetRef, TfBackend, TrainedModel, TrainingProgress } from '@slipway/contracts';
import type { SerializedError } from './serialized-error';

/** What the training worker thread gets as workerData: only cloneable values, so the store goes by location. */
export interface TrainingWorkerData {
  /** Artifact store location (path or file:// URL), reopened with createArtifactStore inside the worker. */
  storeLocation: string;
  dataset: PreparedDatasetRef;
  modelSpec: ModelSpec;
  backendPreference: 'auto' | TfBackend;
  /** See TrainModelRequest.checkpointEvery. */
  checkpointEvery?: number;
  /** See TrainModelRequest.resumeFrom. */
  resumeFrom?: ArtifactRef;
}

/** Messages from the worker: progress after each epoch, then exactly one result or error. */
export type TrainingWorkerMessage =
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'result'; result: TrainedModel }
  | { type: 'error'; error: SerializedError };
