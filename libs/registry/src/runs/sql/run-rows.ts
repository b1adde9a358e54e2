import { cacheKeyComponentsSchema, evaluationMetricsSchema, noCacheSchema, recordedPipelineSchema, stepProgressSchema, type EpochMetrics } from '@slipway/contracts';
import type { Updateable } from 'kysely';
import { z } from 'zod';
import { readJsonColumn, toJsonColumn } from '../../database/json-column';
import type { RunRow, RunStepRow, RunStepsTable, RunsTable, StepEpochRow } from '../../database/registry-database.types';
import type { RunHeader, RunRecord, StepRecord } from '../run-entities';
import { planRunSteps } from '../run-plan';
import type { RunPatch, StepPatch } from '../run-store';
import { STEP_OUTPUT_SCHEMAS, STEP_PARAMS_SCHEMAS } from '../step-outputs';

// The one place where run rows become entities and changes become columns: JSON columns are parsed through their
// contract schemas here, once, and a bad row fails here, naming its column.

/** What 0003-pipeline-dag gave the steps of runs recorded before DAGs, which kept no params. */
const LEGACY_PARAMS = '{}';

const gridValuesSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));

/** The columns a run header is read from (lists of runs do not read the pipeline). */
export const RUN_HEADER_COLUMNS = [
  'id',
  'pipeline_name',
  'experiment',
  'team',
  'submitted_by',
  'status',
  'created_at',
  'started_at',
  'finished_at',
  'error',
  'resumes',
  'dataset_digest',
  'backend',
  'training_duration_ms',
  'samples_per_second',
  'metrics_json',
  'model_name',
  'model_version',
  'promoted_to',
] as const satisfies readonly (keyof RunRow)[];

export type RunHeaderRow = Pick<RunRow, (typeof RUN_HEADER_COLUMNS)[number]>;

export function toRunHeader(row: RunHeaderRow): RunHeader {
  return {
    id: row.id,
    pipelineName: row.pipeline_name,
    experiment: row.experiment,
    team: row.team,
    submittedBy: row.submitted_by,
    status: row.status,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    resumes: row.resumes,
    datasetDigest: row.dataset_digest,
    backend: row.backend,
    trainingDurationMs: row.training_duration_ms,
    samplesPerSecond: row.samples_per_second,
    metrics: row.metrics_json === null ? null : readJsonColumn(evaluationMetricsSchema, row.metrics_json, `runs.metrics_json of run "${row.id}"`),
    modelVersion: row.model_name !== null && row.model_version !== null ? { model: row.model_name, version: row.model_version } : null,
    promotedTo: row.promoted_to,
  };
}

export function toRunRecord(row: RunRow, steps: readonly RunStepRow[]): RunRecord {
  // Runs recorded before pipelines were DAGs hold the shorthand form; the recorded-pipeline schema reads both.
  const pipeline = readJsonColumn(recordedPipelineSchema, row.pipeline_json, `runs.pipeline_json of run "${row.id}"`);
  // Their steps were migrated without params (`{}`, 0003-pipeline-dag): they are the ones the pipeline plans.
  const planned = steps.some((step) => step.params_json === LEGACY_PARAMS) ? new Map(planRunSteps(pipeline).map((step) => [step.name, step.params])) : undefined;
  return {
    ...toRunHeader(row),
    pipeline,
    noCache: readJsonColumn(noCacheSchema, row.no_cache_json, `runs.no_cache_json of run "${row.id}"`),
    steps: steps.map((step) => toStepRecord(step, step.params_json === LEGACY_PARAMS ? planned?.get(step.name) : undefined)),
  };
}


/** `plannedParams`: the params of a step recorded without them, as its run's pipeline plans it. */
function toStepRecord(row: RunStepRow, plannedParams: unknown): StepRecord {
  const column = (name: string) => `run_steps.${name} of run "${row.run_id}", step "${row.name}"`;
  const optional = <S extends z.ZodType>(schema: S, text: string | null, name: string): z.output<S> | null =>
    text === null ? null : readJsonColumn(schema, text, column(name));
  return {
    runId: row.run_id,
    name: row.name,
    step: row.step,
    kind: row.kind,
    position: row.position,
    grid: optional(gridValuesSchema, row.grid_json, 'grid_json'),
    params: plannedParams === undefined ? readJsonColumn(STEP_PARAMS_SCHEMAS[row.kind], row.params_json, column('params_json')) : STEP_PARAMS_SCHEMAS[row.kind].parse(plannedParams),
    status: row.status,
    attempts: row.attempts,
    priorAttempts: row.prior_attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    error: row.error,
    queuedGeneration: row.queued_generation,
    output: optional(STEP_OUTPUT_SCHEMAS[row.kind], row.output_json, 'output_json'),
    cache: {
      key: row.cache_key,
      components: optional(cacheKeyComponentsSchema, row.cache_components_json, 'cache_components_json'),
      cachedFrom: row.cached_from_run !== null && row.cached_from_step !== null ? { runId: row.cached_from_run, step: row.cached_from_step } : null,
    },
    progress: optional(stepProgressSchema, row.progress_json, 'progress_json'),
    metrics: optional(evaluationMetricsSchema, row.metrics_json, 'metrics_json'),
  } as StepRecord;
}

export function toEpochMetrics(row: StepEpochRow): EpochMetrics {
  return {
    epoch: row.epoch,
    loss: row.loss,
    ...(row.accuracy === null ? {} : { accuracy: row.accuracy }),
    ...(row.val_loss === null ? {} : { valLoss: row.val_loss }),
    ...(row.val_accuracy === null ? {} : { valAccuracy: row.val_accuracy }),
    durationMs: row.duration_ms,
  };
}

export function toEpochRow(runId: string, step: string, epoch: EpochMetrics): StepEpochRow {
  return {
    run_id: runId,
    step,
    epoch: epoch.epoch,
    loss: epoch.loss,
    accuracy: epoch.accuracy ?? null,
    val_loss: epoch.valLoss ?? null,
    val_accuracy: epoch.valAccuracy ?? null,
    duration_ms: epoch.durationMs,
  };
}

/** The columns a run patch sets. */
export function runColumns(patch: RunPatch): Updateable<RunsTable> {
  const columns: Updateable<RunsTable> = {};
  if (patch.status !== undefined) columns.status = patch.status;
  if (patch.startedAt !== undefined) columns.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) columns.finished_at = patch.finishedAt;
  if (patch.error !== undefined) columns.error = patch.error;
  if (patch.resumes !== undefined) columns.resumes = patch.resumes;
  if (patch.datasetDigest !== undefined) columns.dataset_digest = patch.datasetDigest;
  if (patch.backend !== undefined) columns.backend = patch.backend;
  if (patch.trainingDurationMs !== undefined) columns.training_duration_ms = patch.trainingDurationMs;
  if (patch.samplesPerSecond !== undefined) columns.samples_per_second = patch.samplesPerSecond;
  if (patch.metrics !== undefined) columns.metrics_json = patch.metrics === null ? null : toJsonColumn(patch.metrics);
  if (patch.modelVersion !== undefined) {
    columns.model_name = patch.modelVersion?.model ?? null;
    columns.model_version = patch.modelVersion?.version ?? null;
  }
  if (patch.promotedTo !== undefined) columns.promoted_to = patch.promotedTo;
  return columns;
}

/** The columns a step patch sets. */
export function stepColumns(patch: StepPatch): Updateable<RunStepsTable> {
  const columns: Updateable<RunStepsTable> = {};
  if (patch.status !== undefined) columns.status = patch.status;
  if (patch.attempts !== undefined) columns.attempts = patch.attempts;
  if (patch.priorAttempts !== undefined) columns.prior_attempts = patch.priorAttempts;
  if (patch.startedAt !== undefined) columns.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) columns.finished_at = patch.finishedAt;
  if (patch.durationMs !== undefined) columns.duration_ms = patch.durationMs;
  if (patch.error !== undefined) columns.error = patch.error;
  if (patch.queuedGeneration !== undefined) columns.queued_generation = patch.queuedGeneration;
  if (patch.output !== undefined) columns.output_json = patch.output === null ? null : toJsonColumn(patch.output);
  if (patch.cache !== undefined) {
    columns.cache_key = patch.cache.key;
    columns.cache_components_json = patch.cache.components === null ? null : toJsonColumn(patch.cache.components);
    columns.cached_from_run = patch.cache.cachedFrom?.runId ?? null;
    columns.cached_from_step = patch.cache.cachedFrom?.step ?? null;
  }
  if (patch.progress !== undefined) columns.progress_json = patch.progress === null ? null : toJsonColumn(patch.progress);
  if (patch.metrics !== undefined) columns.metrics_json = patch.metrics === null ? null : toJsonColumn(patch.metrics);
  return columns;
}
