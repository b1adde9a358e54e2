import {
  evaluationMetricsSchema,
  pipelineSpecSchema,
  STEP_NAMES,
  type EpochMetrics,
  type Run,
  type RunStep,
  type RunSummary,
} from '@slipway/contracts';
import { readJsonColumn } from '../database/json-column';
import type { RegistryDb, RunEpochRow, RunRow, RunStepRow } from '../database/registry-database.types';
import { RunNotFoundError } from '../errors/run-not-found.error';

/** Reads a whole run; works inside a transaction too (a Transaction is a Kysely). */
export async function loadRun(db: RegistryDb, runId: string): Promise<Run> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (row === undefined) throw new RunNotFoundError(runId);
  const steps = await db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).execute();
  const epochs = await db.selectFrom('run_epochs').selectAll().where('run_id', '=', runId).orderBy('epoch').execute();
  return {
    ...toRunSummary(row),
    startedAt: row.started_at,
    pipeline: readJsonColumn(pipelineSpecSchema, row.pipeline_json, `runs.pipeline_json of run "${row.id}"`),
    steps: steps.sort((a, b) => STEP_NAMES.indexOf(a.name) - STEP_NAMES.indexOf(b.name)).map(toRunStep),
    epochs: epochs.map(toEpochMetrics),
    datasetDigest: row.dataset_digest,
    backend: row.backend,
    promotedTo: row.promoted_to,
  };
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
  return {
    name: row.name,
    status: row.status,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    error: row.error,
  };
}

function toEpochMetrics(row: RunEpochRow): EpochMetrics {
  return {
    epoch: row.epoch,
    loss: row.loss,
    accuracy: row.accuracy,
    ...(row.val_loss === null ? {} : { valLoss: row.val_loss }),
    ...(row.val_accuracy === null ? {} : { valAccuracy: row.val_accuracy }),
    durationMs: row.duration_ms,
  };
}
