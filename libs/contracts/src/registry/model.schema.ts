import { z } from 'zod';
import { artifactRefSchema, SHA256_DIGEST } from '../artifacts/artifact-ref.schema';
import { v2DatatypeSchema } from '../serving/inference.schema';
import { evaluationMetricsSchema, TRAINED_MODEL_FORMATS, trainedModelFormatSchema, trainingBackendSchema, type TrainedModelFormat } from '../model/training-result.schema';


/** Tag keys of models, versions and runs; `tag.<key>=<value>` in run search. */
export const TAG_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
export const tagKeySchema = z.string().regex(TAG_KEY, 'tag keys are 1-64 letters, digits, "_", "." or "-"');
export const tagValueSchema = z.string().max(1_000);
export const tagsSchema = z.record(tagKeySchema, tagValueSchema);
export type Tags = z.infer<typeof tagsSchema>;

/** PATCH of tags: a value sets the tag, null removes it; tags not named stay as they are. */
export const tagsPatchSchema = z.record(tagKeySchema, tagValueSchema.nullable());
export type TagsPatch = z.infer<typeof tagsPatchSchema>;

export const descriptionSchema = z.string().max(10_000);

/**
 * How a version's model artifact is read and which runtime serves it: the trained formats (TRAINED_MODEL_FORMATS) are
 * what Slipway's trainer writes (a model over a fitted transform of feature columns); the imported ones are models
 * brought from elsewhere, answering their own tensors.
 */
export const IMPORTED_MODEL_FORMATS = ['onnx', 'tfjs-layers', 'tfjs-graph'] as const;
export const importedModelFormatSchema = z.enum(IMPORTED_MODEL_FORMATS);
export type ImportedModelFormat = z.infer<typeof importedModelFormatSchema>;
export type ModelFormat = ImportedModelFormat | TrainedModelFormat;

/** One input or output tensor of an imported model as the Open Inference Protocol describes it. */
export const tensorMetadataSchema = z.object({
  name: z.string().min(1),
  datatype: v2DatatypeSchema,
  /** -1 marks a dynamic dimension. */
  shape: z.array(z.number().int().min(-1)),
});

/** What an imported model takes and gives, read from the model itself at import. */
export const tensorSignatureSchema = z.object({
  inputs: z.array(tensorMetadataSchema).min(1),
  outputs: z.array(tensorMetadataSchema).min(1),
  /** Class labels of probability outputs (scikit-learn's ZipMap), by output name, in the order of the output's columns. */
  classLabels: z.record(z.string(), z.array(z.union([z.string(), z.number()]))).optional(),
});
export type TensorSignature = z.infer<typeof tensorSignatureSchema>;

/**
 * How requests to an imported version are batched along their first dimension. Absent: the serving replica's own
 * batching settings apply when every input and output has a dynamic first dimension.
 */
export const tensorBatchingSchema = z.object({
  /** Largest batch in rows; 0: the model has no batch dimension, every request runs alone (Triton's max_batch_size). */
  maxBatchSize: z.number().int().nonnegative(),
  /** Set when requests are batched (Triton's dynamic_batching); absent: each request runs alone. */
  dynamic: z
    .object({
      maxQueueDelayMicroseconds: z.number().int().nonnegative().optional(),
      preferredBatchSizes: z.array(z.number().int().positive()).optional(),
    })
    .optional(),
});
export type TensorBatching = z.infer<typeof tensorBatchingSchema>;

/** Lineage of an imported version: where the model came from and who brought it. */
export const importSourceSchema = z.object({
  /** The file or folder name the user imported (no directories above it). */
  fileName: z.string().min(1),
  /** sha256 of the model file itself (model.onnx, model.json), as `sha256sum` prints it, with the `sha256:` prefix. */
  sha256: z.string().regex(SHA256_DIGEST),
  importedBy: z.string().min(1),
  importedAt: z.string(),
  /** Set for a version read from a Triton model repository: its model folder and version folder there. */
  triton: z.object({ model: z.string(), version: z.number().int().nonnegative() }).optional(),
});
export type ImportSource = z.infer<typeof importSourceSchema>;

const versionFields = {
  model: z.string(),
  version: z.number().int().min(1),
  /** A trained version's tfjs model manifest or ONNX model; an imported version's model files manifest. */
  modelArtifact: artifactRefSchema,
  aliases: z.array(z.string()),
  createdAt: z.string(),
  /** Optional in the contract so older producers stay valid; the registry always sends them. */
  description: descriptionSchema.nullable().optional(),
  tags: tagsSchema.optional(),
};

export const trainedModelVersionSchema = z.object({
  ...versionFields,
  format: trainedModelFormatSchema,
  runId: z.string(),
  datasetDigest: z.string(),
  backend: trainingBackendSchema,
  metrics: evaluationMetricsSchema,
  transformArtifact: artifactRefSchema,
});
export type TrainedModelVersion = z.infer<typeof trainedModelVersionSchema>;

export const importedModelVersionSchema = z.object({
  ...versionFields,
  format: importedModelFormatSchema,
  signature: tensorSignatureSchema,
  batching: tensorBatchingSchema.optional(),
  source: importSourceSchema,
  /** The drift reference (MEDIA_TYPES.driftReference) computed from the reference rows given at import; absent: none was given. */
  driftReference: artifactRefSchema.optional(),
});
export type ImportedModelVersion = z.infer<typeof importedModelVersionSchema>;

export const modelVersionSchema = z.preprocess(
  // Registries from before imports send no format: every version they hold is a trained one.
  (value) => (typeof value === 'object' && value !== null && !('format' in value) ? { ...value, format: 'slipway-tfjs' } : value),
  z.discriminatedUnion('format', [trainedModelVersionSchema, importedModelVersionSchema]),
);
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export function isTrainedFormat(format: ModelFormat): format is TrainedModelFormat {
  return (TRAINED_MODEL_FORMATS as readonly string[]).includes(format);
}

export function isTrainedVersion(version: ModelVersion): version is TrainedModelVersion {
  return isTrainedFormat(version.format);
}

export function isImportedVersion(version: ModelVersion): version is ImportedModelVersion {
  return !isTrainedVersion(version);
}

/** @throws Error naming the version when it was imported rather than trained here. */
export function asTrainedVersion(version: ModelVersion): TrainedModelVersion {
  if (isImportedVersion(version)) throw new Error(`${version.model} v${version.version} is an imported ${version.format} model, not one trained here`);
  return version;
}

export const registeredModelSchema = z.object({
  name: z.string(),
  createdAt: z.string(),
  latestVersion: z.number().int().nullable(),
  /** alias → version */
  aliases: z.record(z.string(), z.number().int()),
  versions: z.array(modelVersionSchema),
  description: descriptionSchema.nullable().optional(),
  tags: tagsSchema.optional(),
});
export type RegisteredModel = z.infer<typeof registeredModelSchema>;

/** PATCH /api/models/:name and PATCH /api/models/:name/versions/:v: fields not named stay as they are. */
export const updateModelMetadataRequestSchema = z
  .object({
    /** null clears it */
    description: descriptionSchema.nullable().optional(),
    tags: tagsPatchSchema.optional(),
  })
  .strict();
export type UpdateModelMetadataRequest = z.infer<typeof updateModelMetadataRequestSchema>;

/** What a version takes and gives, derived from its fitted transform. */
export const modelSignatureSchema = z.object({
  /** Every input may be null or absent: the transform imputes it. */
  inputs: z.array(
    z.discriminatedUnion('kind', [
      z.object({ name: z.string(), kind: z.literal('numeric') }),
      z.object({ name: z.string(), kind: z.literal('categorical'), categories: z.array(z.string()) }),
      /** A high-cardinality categorical: any string. */
      z.object({ name: z.string(), kind: z.literal('hashed') }),
      /** A date such as 2007-11-11 or 2007/11/11, optionally with a time (2007-11-11T09:30:00Z). */
      z.object({ name: z.string(), kind: z.literal('date') }),
    ]),
  ),
  output: z.discriminatedUnion('task', [
    z.object({ task: z.literal('classification'), name: z.string(), classes: z.array(z.string()) }),
    z.object({ task: z.literal('regression'), name: z.string() }),
  ]),
  /** Digest of the transform artifact the signature was read from. */
  transformDigest: z.string(),
});
export type ModelSignature = z.infer<typeof modelSignatureSchema>;

export const setAliasRequestSchema = z.object({
  version: z.number().int().min(1),
});
export type SetAliasRequest = z.infer<typeof setAliasRequestSchema>;

/** Published on ALIAS_CHANGED_CHANNEL whenever an alias is set, moved or deleted. */
export const aliasChangedMessageSchema = z.object({
  model: z.string(),
  alias: z.string(),
  version: z.number().int().nullable(),
  previousVersion: z.number().int().nullable(),
  at: z.string(),
});
export type AliasChangedMessage = z.infer<typeof aliasChangedMessageSchema>;
