import type { EpochMetrics, MetricPoint, RunStatus } from '@slipway/contracts';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../../database/advisory-lock';
import { readJsonColumn, toJsonColumn } from '../../database/json-column';
import type { RegistryDb } from '../../database/registry-database.types';
import { isPostgres } from '../../database/sql-dialect';
import { RunNotFoundError } from '../../errors/run-not-found.error';
import { applyRunChange } from '../apply-run-change';
import type { RunHeader, RunRecord } from '../run-entities';
import { RunAlreadyExistsError } from '../run-already-exists.error';
import type { ActiveTraining, ChangedRun, NewRun, RunChange, RunFilter, RunStore } from '../run-store';
import { STEP_PARAMS_SCHEMAS } from '../step-outputs';
import { upsertMetrics } from './metric-rows';
import { RUN_HEADER_COLUMNS, runColumns, stepColumns, toEpochMetrics, toEpochRow, toRunHeader, toRunRecord } from './run-rows';

// SQLite caps bound parameters per statement; 8 columns × 500 rows stays far below it.
const INSERT_CHUNK = 500;

/** Runs in the registry's SQL database (SQLite or PostgreSQL), over Kysely. */
export class SqlRunStore implements RunStore {
  private serial: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: RegistryDb) {}

  async findByIdempotencyKey(key: string): Promise<RunRecord | undefined> {
    const row = await this.db.selectFrom('runs').select('id').where('idempotency_key', '=', key).executeTakeFirst();
    return row === undefined ? undefined : this.load(row.id);
  }

  async create(run: NewRun): Promise<RunRecord> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('runs').select('id').where('id', '=', run.id).executeTakeFirst();
      if (existing !== undefined) throw new RunAlreadyExistsError(run.id);
      await trx
        .insertInto('experiments')
        .values({ name: run.experiment, created_at: run.createdAt })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      await trx
        .insertInto('runs')
        .values({
          id: run.id,
          pipeline_name: run.pipeline.name,
          status: 'queued',
          created_at: run.createdAt,
          started_at: null,
          finished_at: null,
          error: null,
          pipeline_json: toJsonColumn(run.pipeline),
          dataset_digest: null,
          backend: null,
          metrics_json: null,
          model_name: null,
          model_version: null,
          promoted_to: null,
          experiment: run.experiment,
          team: run.pipeline.team,
          no_cache_json: toJsonColumn(run.noCache),
          submitted_by: run.submittedBy,
          idempotency_key: run.idempotencyKey,
        })
        .execute();
      const params = Object.entries(run.params).map(([key, value]) => ({ run_id: run.id, key, value }));
      for (let i = 0; i < params.length; i += INSERT_CHUNK) await trx.insertInto('run_params').values(params.slice(i, i + INSERT_CHUNK)).execute();
      const steps = run.steps.map((planned) => ({
        run_id: run.id,
        name: planned.name,
        step: planned.step,
        kind: planned.kind,
        position: planned.position,
        grid_json: planned.grid === null ? null : toJsonColumn(planned.grid),
        params_json: toJsonColumn(planned.params),
        status: 'pending' as const,
        attempts: 0,
      }));
      for (let i = 0; i < steps.length; i += INSERT_CHUNK) await trx.insertInto('run_steps').values(steps.slice(i, i + INSERT_CHUNK)).execute();
      return loadRecord(trx, run.id);
    });
  }

  load(runId: string): Promise<RunRecord> {
    return loadRecord(this.db, runId);
  }

  async change(runId: string, decide: (run: RunRecord) => RunChange | null): Promise<ChangedRun> {
    return this.db.transaction().execute(async (trx) => {
      const before = await loadRecord(trx, runId, { lock: true });
      const change = decide(before);
      if (change === null) return { before, after: before, changed: false };
      await writeChange(trx, runId, change);
      return { before, after: applyRunChange(before, change), changed: true };
    });
  }

  async list({ status, datasetDigest, limit }: RunFilter = {}): Promise<RunHeader[]> {
    let query = this.db.selectFrom('runs').select(RUN_HEADER_COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (status !== undefined) query = query.where('status', '=', status);
    if (datasetDigest !== undefined) query = query.where('dataset_digest', '=', datasetDigest);
    if (limit !== undefined) query = query.limit(limit);
    return (await query.execute()).map(toRunHeader);
  }

  async countByStatus(): Promise<Record<RunStatus, number>> {
    const rows = await this.db
      .selectFrom('runs')
      .select((eb) => ['status', eb.fn.countAll().as('count')])
      .groupBy('status')
      .execute();
    const counts: Record<RunStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0 };
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }

  async epochs(runId: string, step?: string): Promise<Map<string, EpochMetrics[]>> {
    await requireRun(this.db, runId);
    let query = this.db.selectFrom('step_epochs').selectAll().where('run_id', '=', runId);
    if (step !== undefined) query = query.where('step', '=', step);
    const byStep = new Map<string, EpochMetrics[]>();
    for (const row of await query.orderBy('epoch').execute()) byStep.set(row.step, [...(byStep.get(row.step) ?? []), toEpochMetrics(row)]);
    return byStep;
  }

  async metricHistory(runId: string, key?: string): Promise<MetricPoint[]> {
    await requireRun(this.db, runId);
    let query = this.db.selectFrom('run_metrics').select(['key', 'value', 'step', 'timestamp']).where('run_id', '=', runId);
    if (key !== undefined) query = query.where('key', '=', key);
    return query.orderBy('key').orderBy('step').execute();
  }

  async activeTrainings(team: string): Promise<ActiveTraining[]> {
    const rows = await this.db
      .selectFrom('run_steps as s')
      .innerJoin('runs as r', 'r.id', 's.run_id')
      .select(['s.run_id', 's.name', 's.params_json'])
      .where('r.team', '=', team)
      .where('s.kind', '=', 'train')
      .where('s.queued_generation', 'is not', null)
      .where('s.status', 'in', ['pending', 'running'])
      .execute();
    return rows.map((row) => ({
      runId: row.run_id,
      step: row.name,
      gpus: readJsonColumn(STEP_PARAMS_SCHEMAS.train, row.params_json, `run_steps.params_json of run "${row.run_id}", step "${row.name}"`).gpus,
    }));
  }

  async runsWaitingForQuota(team: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('run_steps as s')
      .innerJoin('runs as r', 'r.id', 's.run_id')
      .select('r.id')
      .distinct()
      .where('r.team', '=', team)
      .where('r.status', 'in', ['queued', 'running'])
      .where('s.status', '=', 'waiting-for-quota')
      .orderBy('r.id')
      .execute();
    return rows.map((row) => row.id);
  }

  exclusively<T>(work: () => Promise<T>): Promise<T> {
    const next = this.serial.then(() => withAdvisoryLock(this.db, ADVISORY_LOCKS.pipelineEngine, work));
    this.serial = next.catch(() => undefined);
    return next;
  }
}

/**
 * Reads a whole run; works inside a transaction too (a Transaction is a Kysely). `lock`: on PostgreSQL, holds the
 * run's row until the transaction ends, so changes of one run take turns across connections and replicas.
 */
async function loadRecord(db: RegistryDb, runId: string, { lock = false } = {}): Promise<RunRecord> {
  let query = db.selectFrom('runs').selectAll().where('id', '=', runId);
  if (lock && isPostgres(db)) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row === undefined) throw new RunNotFoundError(runId);
  const steps = await db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).orderBy('position').execute();
  return toRunRecord(row, steps);
}

async function requireRun(db: RegistryDb, runId: string): Promise<void> {
  const run = await db.selectFrom('runs').select('id').where('id', '=', runId).executeTakeFirst();
  if (run === undefined) throw new RunNotFoundError(runId);
}

async function writeChange(trx: RegistryDb, runId: string, change: RunChange): Promise<void> {
  const runValues = runColumns(change.run ?? {});
  if (Object.keys(runValues).length > 0) await trx.updateTable('runs').set(runValues).where('id', '=', runId).execute();
  for (const { name, patch } of change.steps ?? []) {
    const values = stepColumns(patch);
    if (Object.keys(values).length > 0) await trx.updateTable('run_steps').set(values).where('run_id', '=', runId).where('name', '=', name).execute();
  }
  for (const write of change.metrics ?? []) await upsertMetrics(trx, runId, write.points, { keepTimestamps: write.keepTimestamps });
  for (const write of change.epochs ?? []) {
    const rows = write.epochs.map((epoch) => toEpochRow(runId, write.step, epoch));
    if (write.replace) {
      await trx.deleteFrom('step_epochs').where('run_id', '=', runId).where('step', '=', write.step).execute();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto('step_epochs').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      continue;
    }
    for (const row of rows) {
      await trx
        .insertInto('step_epochs')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['run_id', 'step', 'epoch']).doUpdateSet({ loss: row.loss, accuracy: row.accuracy, val_loss: row.val_loss, val_accuracy: row.val_accuracy, duration_ms: row.duration_ms }),
        )
        .execute();
    }
  }
}
