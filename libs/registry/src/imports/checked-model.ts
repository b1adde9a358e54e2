import type { DriftReference, ImportSource, TensorBatching, TensorSignature } from '@slipway/contracts';
import type { ModelFolder } from './model-folder';

/** A model that loaded and checked out, ready to store and register. */
export interface CheckedModel {
  modelName: string;
  folder: ModelFolder;
  signature: TensorSignature;
  batching?: TensorBatching;
  triton?: ImportSource['triton'];
  /** Computed from the reference rows given with the model: what drift monitoring compares its inputs with. */
  driftReference?: DriftReference;
}
