import type { EpochMetrics } from '@slipway/contracts';
import { toJsonColumn } from '../database/json-column';
import type { RegistryDb, RunStepRow } from '../database/registry-database.types';
import { STEP_OUTPUT_SCHEMAS, type AnyStepOutput } from '../pipelines/step-outputs';
import { epochMetricPoints, evaluationMetricPoints, upsertMetrics } from '../tracking/run-metrics';

// SQLite caps bound parameters per statement; 8 columns × 500 rows stays far below it.
export const INSERT_CHUNK = 500;

/** What a finished step means for the run's own record: the data set, the trained model, the version, the alias. */
export async function recordRunOutcome(trx: RegistryDb, runId: string, step: RunStepRow, output: AnyStepOutput, at: string): Promise<void> {
  switch (step.kind) {
    case 'prepare': {
      const prepared = STEP_OUTPUT_SCHEMAS.prepare.parse(output);
      await trx.updateTable('runs').set({ dataset_digest: prepared.sourceDigest }).where('id', '=', runId).where('dataset_digest', 'is', null).execute();
      return;
    }
    case 'train': {
      const trained = STEP_OUTPUT_SCHEMAS.train.parse(output);
      await trx
        .updateTable('runs')
        .set({ backend: trained.backend, training_duration_ms: trained.trainingDurationMs, samples_per_second: trained.samplesPerSecond, dataset_digest: trained.sourceDigest })
        .where('id', '=', runId)
        .execute();
      await trx.updateTable('runs').set({ metrics_json: toJsonColumn(trained.metrics) }).where('id', '=', runId).where('metrics_json', 'is', null).execute();
      const prefix = metricPrefix(step);
      await upsertMetrics(trx, runId, trained.history.flatMap((epoch) => epochMetricPoints(epoch, at, prefix)), { keepTimestamps: true });
      await upsertMetrics(trx, runId, evaluationMetricPoints(trained.metrics, trained.history.length + 1, at, prefix));
      await trx.deleteFrom('step_epochs').where('run_id', '=', runId).where('step', '=', step.name).execute();
      const rows = trained.history.map((epoch) => toEpochRow(runId, step.name, epoch));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto('step_epochs').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      return;
    }
    case 'register': {
      const registered = STEP_OUTPUT_SCHEMAS.register.parse(output);
      await trx
        .updateTable('runs')
        .set({ model_name: registered.modelName, model_version: registered.version, metrics_json: toJsonColumn(registered.metrics) })
        .where('id', '=', runId)
        .execute();
      return;
    }
    case 'promote': {
      const promoted = STEP_OUTPUT_SCHEMAS.promote.parse(output);
      await trx.updateTable('runs').set({ promoted_to: promoted.alias }).where('id', '=', runId).execute();
      return;
    }
    case 'evaluate':
      return;
  }
}

/** A grid's trainings keep their metric history apart: `train[2].loss`; a single training writes plain keys. */
export function metricPrefix(step: RunStepRow): string {
  return step.grid_json === null ? '' : `${step.name}.`;
}

export function toEpochRow(runId: string, step: string, epoch: EpochMetrics) {
  return {
    run_id: runId,
    step,
    epoch: epoch.epoch,
    loss: epoch.loss,
    accuracy: epoch.accuracy,
    val_loss: epoch.valLoss ?? null,
    val_accuracy: epoch.valAccuracy ?? null,
    duration_ms: epoch.durationMs,
  };
}
