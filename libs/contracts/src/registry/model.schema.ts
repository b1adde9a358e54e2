import { z } from 'zod';
import { artifactRefSchema } from '../artifacts/artifact-ref.schema';
import { evaluationMetricsSchema, tfBackendSchema } from '../queues/training.queue';

/** Alias names: lowercase letters, digits and dashes, starting with a letter (`production`, `staging`, `canary`). */
export const ALIAS_NAME = /^[a-z][a-z0-9-]{0,62}$/;

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
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const registeredModelSchema = z.object({
  name: z.string(),
  createdAt: z.string(),
  latestVersion: z.number().int().nullable(),
  /** alias → version */
  aliases: z.record(z.string(), z.number().int()),
  versions: z.array(modelVersionSchema),
});
export type RegisteredModel = z.infer<typeof registeredModelSchema>;

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
