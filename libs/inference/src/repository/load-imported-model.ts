import { modelFilesManifestSchema, type ImportedModelVersion } from '@slipway/contracts';
import { loadTensorModel, warmUp, type HostTensor, type TensorModel } from '@slipway/model-runtimes';
import type { ArtifactStore } from '@slipway/storage';
import type { BatchObserver } from '../batching/batch-observer';
import { DirectPredictor } from '../batching/direct-predictor';
import { DynamicBatcher, type BatchingOptions } from '../batching/dynamic-batcher';
import type { Predictor } from '../batching/predictor';
import { tensorBatchCodec } from '../batching/tensor-batch-codec';
import { ModelLoadError } from '../errors/model-load.error';
import type { LoadedTensorModel } from './loaded-model';

/** Requests allowed to wait for a batch when the replica's own batching settings do not say. */
const DEFAULT_MAX_QUEUE_SIZE = 1024;

/**
 * Loads an imported version's files from the store into the runtime of its format and warms it with one prediction.
 * Requests are batched along the first dimension when the version's Triton config asks for dynamic batching, or, with
 * no config, when the replica batches and every input and output of the model has a dynamic first dimension.
 * @throws ModelLoadError naming the version and what failed.
 */
export async function loadImportedModel(
  store: ArtifactStore,
  version: ImportedModelVersion,
  replicaBatching: BatchingOptions | undefined,
  observe: BatchObserver,
): Promise<LoadedTensorModel> {
  const { model: name, version: number } = version;
  let runtime: TensorModel;
  try {
    const manifest = await store.getJson(version.modelArtifact.digest, modelFilesManifestSchema);
    const files = new Map(await Promise.all(manifest.files.map(async ({ path, digest }) => [path, await store.get(digest)] as const)));
    runtime = await loadTensorModel(version.format, files, `${name} v${number}`);
  } catch (error) {
    throw new ModelLoadError(name, number, (error as Error).message, { cause: error });
  }
  try {
    await warmUp(runtime, `${name} v${number}`);
  } catch (error) {
    await runtime.dispose();
    throw new ModelLoadError(name, number, (error as Error).message, { cause: error });
  }
  const { batched, maxRequestRows, batching } = batchingOf(version, replicaBatching);
  const call = (inputs: HostTensor[]) => runtime.run(inputs);
  const predictor: Predictor<HostTensor[], HostTensor[]> = batching
    ? new DynamicBatcher({ model: name, version: number }, call, tensorBatchCodec, batching, observe)
    : new DirectPredictor(call, observe);
  return {
    format: version.format,
    name,
    version: number,
    runtime,
    signature: version.signature,
    batched,
    maxRequestRows,
    dynamicBatching: batching,
    predictor,
    loadedAt: new Date().toISOString(),
  };
}

function batchingOf(
  version: ImportedModelVersion,
  replica: BatchingOptions | undefined,
): { batched: boolean; maxRequestRows: number | undefined; batching: BatchingOptions | undefined } {
  const configured = version.batching;
  if (configured === undefined) {
    const { inputs, outputs } = version.signature;
    const batched = [...inputs, ...outputs].every(({ shape }) => shape[0] === -1);
    return { batched, maxRequestRows: undefined, batching: batched ? replica : undefined };
  }
  if (configured.maxBatchSize === 0) return { batched: false, maxRequestRows: undefined, batching: undefined };
  const batching = configured.dynamic && {
    maxBatchSize: configured.maxBatchSize,
    maxQueueDelayUs: configured.dynamic.maxQueueDelayMicroseconds ?? 0,
    maxQueueSize: replica?.maxQueueSize ?? DEFAULT_MAX_QUEUE_SIZE,
  };
  return { batched: true, maxRequestRows: configured.maxBatchSize, batching };
}
