import type { ImportedModelFormat, V2Datatype } from '@slipway/contracts';

/** One file of an uploaded repository, `path` '/'-separated (relative to the repository root, or to a version folder in results). */
export interface RepositoryFile {
  path: string;
  bytes: Uint8Array;
}

/** An input or output as config.pbtxt declares it. */
export interface TritonTensor {
  name: string;
  /** The Open Inference Protocol name of its `data_type` (TYPE_STRING is BYTES). */
  datatype: V2Datatype;
  /** As in the config: without the batch dimension when `maxBatchSize` > 0; -1 for a variable dimension. */
  dims: number[];
}

/** Triton's `dynamic_batching`; a field at its proto default (0, empty) is left out. */
export interface TritonDynamicBatching {
  maxQueueDelayMicroseconds?: number;
  preferredBatchSizes?: number[];
}

/** What Slipway takes from a config.pbtxt; fields it does not use are tolerated and dropped. */
export interface TritonModelConfig {
  /** The config's `name`, which Triton requires to equal the model's folder name, or that folder name. */
  name: string;
  /** 0 when the model has no batching dimension; else Triton prepends a batch dimension to every `dims`. */
  maxBatchSize: number;
  inputs: TritonTensor[];
  /** The outputs Triton serves; the model may have more. */
  outputs: TritonTensor[];
  dynamicBatching?: TritonDynamicBatching;
}

export interface TritonModelVersion {
  version: number;
  format: ImportedModelFormat;
  /** The model's main file, relative to the version folder: model.onnx (or `default_model_filename`) or model.json. */
  modelFile: string;
  /** Every file of the version folder, paths relative to it (model.json's weight shards among them). */
  files: RepositoryFile[];
}

export interface TritonModel extends TritonModelConfig {
  /**
   * Every numeric version folder, in ascending order. Triton's default version policy serves only the latest, and
   * `version_policy` may pick others; an import registers each folder as a version all the same.
   */
  versions: TritonModelVersion[];
}
