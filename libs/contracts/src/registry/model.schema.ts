import { z } from 'zod';
import { artifactRefSchema } from '../artifacts/artifact-ref.schema';
import { evaluationMetricsSchema, tfBackendSchema } from '../model/training-result.schema';


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

export const modelVersionSchema = z.object({
  model: z.string(),
  version: z.number().int().min(1),
  runId: z.string(),
  datasetDigest: z.string(),
  backend: tfBackendSchema,
  metrics: evaluationMetricsSchema,
  modelArtifact: artifactRefSchema,
  transformArtifact: artifactRefSchema,
  aliases: z.array(z.string()),
  createdAt: z.string(),
  /** Optional in the contract so older producers stay valid; the registry always sends them. */
  description: descriptionSchema.nullable().optional(),
  tags: tagsSchema.optional(),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

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
