import { z } from 'zod';
import { modelVersionSchema } from './model.schema';
import { runSummarySchema, stepStatusSchema } from './run.schema';

export const lineageStepSchema = z.object({
  runId: z.string(),
  /** The step's name in its run (`train[2]` for one training of a grid). */
  step: z.string(),
  status: stepStatusSchema,
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type LineageStep = z.infer<typeof lineageStepSchema>;

/**
 * dataset digest → prepare → train → version → the aliases it is served under (the steps that made this version).
 * An imported version has no dataset, run or steps: where it came from is its `version.source`.
 */
export const modelLineageSchema = z.object({
  dataset: z.object({ digest: z.string() }).nullable(),
  /** The run that produced the version; null for an import, and once its record is gone (the version outlives it). */
  run: z.object({ id: z.string(), pipelineName: z.string(), experiment: z.string(), status: z.string() }).nullable(),
  prepare: lineageStepSchema.nullable(),
  train: lineageStepSchema.nullable(),
  version: modelVersionSchema,
  /** Aliases pointing at the version: where serving loads it. */
  servedAs: z.array(z.string()),
});
export type ModelLineage = z.infer<typeof modelLineageSchema>;

/** The reverse: every run and version that came from one source dataset. */
export const datasetLineageSchema = z.object({
  digest: z.string(),
  runs: z.array(runSummarySchema),
  versions: z.array(modelVersionSchema),
});
export type DatasetLineage = z.infer<typeof datasetLineageSchema>;
