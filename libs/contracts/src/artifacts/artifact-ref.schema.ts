import { z } from 'zod';

export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A blob in the content-addressed artifact store, named by the sha256 of its bytes. */
export const artifactRefSchema = z.object({
  digest: z.string().regex(SHA256_DIGEST, 'must be "sha256:" followed by 64 hex digits'),
  size: z.number().int().nonnegative(),
  mediaType: z.string().min(1),
});
export type ArtifactRef = z.infer<typeof artifactRefSchema>;

export const MEDIA_TYPES = {
  preparedDataset: 'application/vnd.slipway.prepared-dataset.v2+json',
  /** Row-major little-endian float32 values (a prepared split's features, a regression label). */
  float32Matrix: 'application/vnd.slipway.float32-le',
  /** Little-endian int32 values (a prepared split's class indices). */
  int32Vector: 'application/vnd.slipway.int32-le',
  transform: 'application/vnd.slipway.transform.v2+json',
  modelManifest: 'application/vnd.slipway.tfjs-model.v1+json',
  modelWeights: 'application/vnd.slipway.tfjs-weights.v1',
  /** A model trained here as one ONNX file (a random forest's tree ensemble), taking the rows its transform encodes. */
  onnxModel: 'application/vnd.slipway.onnx-model.v1',
  /** An imported model's files manifest (ModelFilesManifest); each file is stored as `importedModelFile`. */
  modelFiles: 'application/vnd.slipway.model-files.v1+json',
  importedModelFile: 'application/octet-stream',
  trainingCheckpoint: 'application/vnd.slipway.training-checkpoint.v1+json',
  rawDataset: 'text/csv',
  /** An imported version's drift reference (DriftReference), computed from the reference rows given at import. */
  driftReference: 'application/vnd.slipway.drift-reference.v1+json',
} as const;
