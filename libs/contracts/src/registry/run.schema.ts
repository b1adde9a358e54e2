import { z } from 'zod';
import { stepKindSchema } from '../pipeline/pipeline-step.schema';
import { columnReportSchema, preparedDatasetRefSchema } from '../dataset/dataset.schema';
import { epochMetricsSchema, evaluationMetricsSchema, taskSchema, trainingBackendSchema, trainedModelSchema } from '../model/training-result.schema';
import { pipelineDagSchema } from './pipeline-spec.schema';

export const runStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/**
 * pending: not started (its inputs are not ready, or its grid is at its parallelism limit);
 * waiting-for-quota: ready, but its team is at a quota — it starts when room frees up, it never fails for it;
 * cached: an earlier run produced its outputs from identical inputs, and they were reused;
 * skipped: its condition did not hold, or a step it reads from was skipped.
 */
export const STEP_STATUSES = ['pending', 'waiting-for-quota', 'running', 'cached', 'succeeded', 'failed', 'skipped'] as const;
export const stepStatusSchema = z.enum(STEP_STATUSES);
export type StepStatus = z.infer<typeof stepStatusSchema>;

/** A step whose outputs are final: it will not run again in this run (unless a resume retries a failed one). */
export const FINISHED_STEP_STATUSES: readonly StepStatus[] = ['cached', 'succeeded', 'failed', 'skipped'];

export const stepProgressSchema = z.object({
  epoch: z.number().int().min(1),
  epochs: z.number().int().min(1),
  loss: z.number(),
  /** Classifiers only. */
  accuracy: z.number().optional(),
  /** Mean epoch time so far × epochs left. */
  etaMs: z.number().nonnegative(),
});
export type StepProgress = z.infer<typeof stepProgressSchema>;

export const runStepSchema = z.object({
  /** The step's name, or for one training of a grid `<name>[<index>]`. */
  name: z.string(),
  /** The pipeline step this belongs to. */
  step: z.string(),
  kind: stepKindSchema,
  /** The grid values this training tries; null outside a grid. */
  grid: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).nullable(),
  status: stepStatusSchema,
  /** Attempts started in this run, across retries, restarts of a crashed worker and resumes. */
  attempts: z.number().int().nonnegative(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  /** Why it failed (or why its last attempt did), was skipped, or is waiting. */
  error: z.string().nullable(),
  cache: z.object({
    /** sha256 of kind, code version, resolved params and the content digests of its inputs; null until its inputs are ready. */
    key: z.string().nullable(),
    /** Where the reused outputs came from, when the step was cached. */
    cachedFrom: z.object({ runId: z.string(), step: z.string() }).nullable(),
  }),
  /** The latest epoch of a training. */
  progress: stepProgressSchema.nullable(),
  /** Validation and test metrics of the model this step trained, picked or registered. */
  metrics: evaluationMetricsSchema.nullable(),
  /** What a finished prepare step found in the data and did with each column. */
  dataset: z
    .object({
      task: taskSchema,
      rowCounts: preparedDatasetRefSchema.shape.rowCounts,
      columns: z.array(columnReportSchema),
    })
    .nullable(),
  /** Set when early stopping ended a training before its epoch limit. */
  earlyStopped: trainedModelSchema.shape.earlyStopped.unwrap().nullable(),
});
export type RunStep = z.infer<typeof runStepSchema>;

export const runSchema = z.object({
  id: z.string(),
  pipelineName: z.string(),
  status: runStatusSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  pipeline: pipelineDagSchema,
  team: z.string(),
  /** The token that submitted the run (its promote steps act with that token's scopes); null without one. */
  submittedBy: z.string().nullable(),
  /** How many times the run was resumed after failing. */
  resumes: z.number().int().nonnegative(),
  steps: z.array(runStepSchema),
  /** The training curve of the run's model: the registered one, else the first training. */
  epochs: z.array(epochMetricsSchema),
  datasetDigest: z.string().nullable(),
  backend: trainingBackendSchema.nullable(),
  metrics: evaluationMetricsSchema.nullable(),
  modelVersion: z.object({ model: z.string(), version: z.number().int() }).nullable(),
  promotedTo: z.string().nullable(),
});
export type Run = z.infer<typeof runSchema>;

/** GET /api/runs/{id}/curves: the per-epoch curve of every training of a run (each training of a grid), to compare them. */
export const runTrainingCurvesSchema = z.object({
  runId: z.string(),
  trainings: z.array(
    z.object({
      /** The step's name: `train`, or `train[2]` for one training of a grid. */
      step: z.string(),
      /** The grid values this training tries; null outside a grid. */
      grid: runStepSchema.shape.grid,
      status: stepStatusSchema,
      epochs: z.array(epochMetricsSchema),
    }),
  ),
});
export type RunTrainingCurves = z.infer<typeof runTrainingCurvesSchema>;

/** GET /api/runs (on the registry, and relayed by monitoring): newest first, optionally of one status. */
export const listRunsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(50),
  status: runStatusSchema.optional(),
});
export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;

export const runSummarySchema = runSchema.pick({
  id: true,
  pipelineName: true,
  status: true,
  createdAt: true,
  finishedAt: true,
  error: true,
  metrics: true,
  modelVersion: true,
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** What a step's cache key is the sha256 of: kind, code version, resolved params, and its inputs' content digests. */
export const cacheKeyComponentsSchema = z.object({
  kind: stepKindSchema,
  codeVersion: z.string(),
  params: z.unknown(),
  /** Input name → content digest (several inputs of one name are listed as `models.0`, `models.1`, ...). */
  inputs: z.record(z.string(), z.string()),
});
export type CacheKeyComponents = z.infer<typeof cacheKeyComponentsSchema>;

/** Why a step's cache key hit or missed: the key's parts, and what differs from the nearest earlier entry. */
export const cacheExplanationSchema = z.object({
  runId: z.string(),
  step: z.string(),
  kind: stepKindSchema,
  status: stepStatusSchema,
  cacheable: z.boolean(),
  /** Why the cache was not consulted: the kind has side effects, `cache: false`, or `--no-cache`. */
  bypassed: z.string().nullable(),
  key: z.string().nullable(),
  components: cacheKeyComponentsSchema.nullable(),
  hit: z.object({ runId: z.string(), step: z.string(), at: z.string() }).nullable(),
  /** On a miss: the most recent entry of the same pipeline step, and the parts whose values differ from it. */
  nearest: z
    .object({
      runId: z.string(),
      step: z.string(),
      key: z.string(),
      differences: z.array(z.object({ part: z.string(), was: z.unknown(), now: z.unknown() })),
    })
    .nullable(),
  summary: z.string(),
});
export type CacheExplanation = z.infer<typeof cacheExplanationSchema>;
