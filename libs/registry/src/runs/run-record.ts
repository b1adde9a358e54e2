import {
  evaluationMetricsSchema,
  recordedPipelineSchema,
  stepProgressSchema,
  type EpochMetrics,
  type Run,
  type RunStep,
  type RunSummary,
  type RunTrainingCurves,
} from '@slipway/contracts';
import { z } from 'zod';
import { readJsonColumn } from '../database/json-column';
import type { RegistryDb, RunRow, RunStepRow, StepEpochRow } from '../database/registry-database.types';
import { RunNotFoundError } from '../errors/run-not-found.error';
import { STEP_OUTPUT_SCHEMAS } from '../pipelines/step-outputs';

const gridValuesSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));

/** Reads a whole run; works inside a transaction too (a Transaction is a Kysely). */
export async function loadRun(db: RegistryDb, runId: string): Promise<Run> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (row === undefined) throw new RunNotFoundError(runId);
  const steps = await db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).orderBy('position').execute();
  const curveStep = trainingOfRunModel(steps);
  const epochs =
    curveStep === undefined
      ? []
      : await db.selectFrom('step_epochs').selectAll().where('run_id', '=', runId).where('step', '=', curveStep).orderBy('epoch').execute();
  return {
    ...toRunSummary(row),
    startedAt: row.started_at,
    // Runs recorded before pipelines were DAGs hold the shorthand form; the spec schema reads both.
    pipeline: readJsonColumn(recordedPipelineSchema, row.pipeline_json, `runs.pipeline_json of run "${row.id}"`),
    team: row.team,
    resumes: row.resumes,
    steps: steps.map(toRunStep),
    epochs: epochs.map(toEpochMetrics),
    datasetDigest: row.dataset_digest,
    backend: row.backend,
    promotedTo: row.promoted_to,
  };
}

/** Every training of a run with its curve, in pipeline order. */
export async function loadTrainingCurves(db: RegistryDb, runId: string): Promise<RunTrainingCurves> {
  const run = await db.selectFrom('runs').select('id').where('id', '=', runId).executeTakeFirst();
  if (run === undefined) throw new RunNotFoundError(runId);
  const trainings = await db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).where('kind', '=', 'train').orderBy('position').execute();
  const epochsByStep = new Map<string, EpochMetrics[]>();
  for (const row of await db.selectFrom('step_epochs').selectAll().where('run_id', '=', runId).orderBy('epoch').execute()) {
    const epochs = epochsByStep.get(row.step) ?? [];
    epochs.push(toEpochMetrics(row));
    epochsByStep.set(row.step, epochs);
  }
  return {
    runId,
    trainings: trainings.map((row) => {
      const { name, grid, status } = toRunStep(row);
      return { step: name, grid, status, epochs: epochsByStep.get(name) ?? [] };
    }),
  };
}

/** The training whose curve describes the run: the one behind its registered version, else its first training. */
function trainingOfRunModel(steps: readonly RunStepRow[]): string | undefined {
  for (const step of steps) {
    if (step.kind !== 'register' || step.output_json === null) continue;
    const registered = STEP_OUTPUT_SCHEMAS.register.safeParse(JSON.parse(step.output_json));
    if (registered.success) return registered.data.trainStep;
  }
  return steps.find((step) => step.kind === 'train')?.name;
}

export type RunSummaryRow = Pick<
  RunRow,
  'id' | 'pipeline_name' | 'status' | 'created_at' | 'finished_at' | 'error' | 'metrics_json' | 'model_name' | 'model_version'
>;

export function toRunSummary(row: RunSummaryRow): RunSummary {
  return {
    id: row.id,
    pipelineName: row.pipeline_name,
    status: row.status,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    error: row.error,
    metrics:
      row.metrics_json === null
        ? null
        : readJsonColumn(evaluationMetricsSchema, row.metrics_json, `runs.metrics_json of run "${row.id}"`),
    modelVersion: row.model_name !== null && row.model_version !== null ? { model: row.model_name, version: row.model_version } : null,
  };
}

function toRunStep(row: RunStepRow): RunStep {
  const where = `run_steps of run "${row.run_id}", step "${row.name}"`;
  return {
    name: row.name,
    step: row.step,
    kind: row.kind,
    grid: row.grid_json === null ? null : readJsonColumn(gridValuesSchema, row.grid_json, `${where}: grid_json`),
    status: row.status,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    error: row.error,
    cache: {
      key: row.cache_key,
      cachedFrom: row.cached_from_run !== null && row.cached_from_step !== null ? { runId: row.cached_from_run, step: row.cached_from_step } : null,
    },
    progress: row.progress_json === null ? null : readJsonColumn(stepProgressSchema, row.progress_json, `${where}: progress_json`),
    metrics: row.metrics_json === null ? null : readJsonColumn(evaluationMetricsSchema, row.metrics_json, `${where}: metrics_json`),
  };
}

function toEpochMetrics(row: StepEpochRow): EpochMetrics {
  return {
    epoch: row.epoch,
    loss: row.loss,
    accuracy: row.accuracy,
    ...(row.val_loss === null ? {} : { valLoss: row.val_loss }),
    ...(row.val_accuracy === null ? {} : { valAccuracy: row.val_accuracy }),
    durationMs: row.duration_ms,
  };
}
