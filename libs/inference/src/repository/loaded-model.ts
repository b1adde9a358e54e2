import { isTrainedFormat, type ImportedModelFormat, type TensorSignature, type TrainedModelFormat, type Transform } from '@slipway/contracts';
import type { ModelSignature } from '@slipway/ml';
import type { HostTensor, TensorModel } from '@slipway/model-runtimes';
import type { BatchingOptions } from '../batching/dynamic-batcher';
import type { Predictor } from '../batching/predictor';
import type { EncodedModel } from './trained-model';

interface LoadedVersion {
  name: string;
  version: number;
  /** ISO time the version finished loading and warming up. */
  loadedAt: string;
}

/** A version Slipway trained: a network or a forest over its bundled transform, answering feature columns. */
export interface LoadedTrainedModel extends LoadedVersion {
  format: TrainedModelFormat;
  model: EncodedModel;
  transform: Transform;
  signature: ModelSignature;
  /** Runs the model on encoded rows: through the version's dynamic batcher, or directly when batching is off. */
  predictor: Predictor;
}

/** An imported version (ONNX, TensorFlow.js), answering its own tensors. */
export interface LoadedTensorModel extends LoadedVersion {
  format: ImportedModelFormat;
  runtime: TensorModel;
  /** What the version serves: the model's inputs, the outputs its import kept, class labels. */
  signature: TensorSignature;
  /** Largest batch in rows a request may send; undefined: any (the model has a dynamic batch dimension or none at all). */
  maxRequestRows: number | undefined;
  /** True when the first dimension of every input and output is the batch, so requests can be joined along it. */
  batched: boolean;
  /** How concurrent requests are joined; undefined: each runs alone. */
  dynamicBatching: BatchingOptions | undefined;
  /** Runs prepared inputs: through the version's dynamic batcher, or directly. */
  predictor: Predictor<HostTensor[], HostTensor[]>;
}

/** A model version in memory, ready to predict. */
export type LoadedModel = LoadedTrainedModel | LoadedTensorModel;

export function isLoadedTrained(loaded: LoadedModel): loaded is LoadedTrainedModel {
  return isTrainedFormat(loaded.format);
}

/** What a repository needs of a loaded version besides predicting: letting go of its weights. */
export async function disposeLoaded(loaded: LoadedModel): Promise<void> {
  if (isLoadedTrained(loaded)) await loaded.model.dispose();
  else await loaded.runtime.dispose();
}
