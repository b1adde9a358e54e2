import { MEDIA_TYPES, preparedDatasetSchema, type ArtifactRef, type PreparedSplit, type Task } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import { DatasetError } from '../errors/dataset.error';

/** One encoded split: `features` row-major (`rows × width`); `labels` class indices, or standardised values for a regression. */
export interface EncodedSplit {
  rows: number;
  features: Float32Array;
  labels: Int32Array | Float32Array;
}

export interface EncodedDataset {
  task: Task;
  width: number;
  train: EncodedSplit;
  validation: EncodedSplit;
  test: EncodedSplit;
}

/** The splits every prepared data set has, in the order they are stored. */
export const PREPARED_SPLITS = ['train', 'validation', 'test'] as const;

/**
 * Stores the encoded splits as raw little-endian blobs under a small JSON manifest (MEDIA_TYPES.preparedDataset):
 * a million rows are a few hundred megabytes of floats, which JSON would make several times larger and slower.
 * Same data → same digests.
 */
export async function putPreparedDataset(store: ArtifactStore, sourceDigest: string, dataset: EncodedDataset): Promise<ArtifactRef> {
  const splits: Record<string, PreparedSplit> = {};
  for (const split of PREPARED_SPLITS) {
    const { rows, features, labels } = dataset[split];
    assertShape(split, rows, dataset.width, features, labels, sourceDigest);
    splits[split] = {
      rows,
      features: await store.put(littleEndianBytes(features), MEDIA_TYPES.float32Matrix),
      labels: await store.put(littleEndianBytes(labels), labels instanceof Int32Array ? MEDIA_TYPES.int32Vector : MEDIA_TYPES.float32Matrix),
    };
  }
  return store.putJson(preparedDatasetSchema.parse({ version: 2, sourceDigest, task: dataset.task, width: dataset.width, ...splits }), MEDIA_TYPES.preparedDataset);
}

/** @throws DatasetError when a blob does not hold what its manifest says; ArtifactNotFoundError when one is gone. */
export async function getPreparedDataset(store: ArtifactStore, digest: string): Promise<EncodedDataset & { sourceDigest: string }> {
  const manifest = await store.getJson(digest, preparedDatasetSchema);
  const read = async (split: (typeof PREPARED_SPLITS)[number]): Promise<EncodedSplit> => {
    const { rows, features, labels } = manifest[split];
    const decodedFeatures = new Float32Array(toArrayBuffer(await store.get(features.digest)));
    const labelBytes = toArrayBuffer(await store.get(labels.digest));
    const decodedLabels = manifest.task === 'classification' ? new Int32Array(labelBytes) : new Float32Array(labelBytes);
    assertShape(split, rows, manifest.width, decodedFeatures, decodedLabels, digest);
    return { rows, features: decodedFeatures, labels: decodedLabels };
  };
  return { sourceDigest: manifest.sourceDigest, task: manifest.task, width: manifest.width, train: await read('train'), validation: await read('validation'), test: await read('test') };
}

function assertShape(split: string, rows: number, width: number, features: Float32Array, labels: Int32Array | Float32Array, digest: string): void {
  if (features.length !== rows * width) throw new DatasetError(`prepared dataset ${digest}: ${split} holds ${features.length} feature values, expected ${rows} rows × ${width}`);
  if (labels.length !== rows) throw new DatasetError(`prepared dataset ${digest}: ${split} holds ${labels.length} labels for ${rows} rows`);
}

// Typed arrays use the platform's byte order; every platform Node.js runs on here is little-endian, as the media types say.
function littleEndianBytes(values: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** An aligned copy: a Buffer from the store may sit at any offset of a shared pool. */
function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
