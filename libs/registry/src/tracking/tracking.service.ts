import type {
  Experiment,
  MetricPoint,
  RunComparison,
  RunSearch,
  RunSystemInfo,
  RunTracking,
  Tags,
  TagsPatch,
  TrackedRunSummary,
  UpdateRunSystemRequest,
} from '@slipway/contracts';
import type { RegistryDb } from '../database/registry-database.types';
import { RunNotFoundError } from '../errors/run-not-found.error';
import { groupTags, splitTagsPatch } from '../database/tag-rows';
import type { RunStore } from '../runs/run-store';
import { toRunSummary } from '../runs/run-views';
import { loadLatestMetrics, upsertMetrics } from '../runs/sql/metric-rows';
import { RUN_HEADER_COLUMNS, toRunHeader } from '../runs/sql/run-rows';
import { RunParamConflictError } from './run-param-conflict.error';
import { searchRunIds } from './run-search';

/** Experiments, params, tags, metric history and system info of runs; search and side-by-side comparison. */
export class TrackingService {
  constructor(
    private readonly db: RegistryDb,
    private readonly runs: Pick<RunStore, 'metricHistory'>,
  ) {}

  /** @throws RunNotFoundError */
  async logMetrics(runId: string, points: readonly MetricPoint[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await requireRun(trx, runId);
      await upsertMetrics(trx, runId, points);
    });
  }

  /** Every point, by key then step; only `key`'s when given. @throws RunNotFoundError */
  metricHistory(runId: string, key?: string): Promise<MetricPoint[]> {
    return this.runs.metricHistory(runId, key);
  }

  /**
   * Params are write-once: a key already stored with the same value is accepted (a retried write), with
   * another value refused, and nothing of the batch is written then.
   * @throws RunNotFoundError, RunParamConflictError
   */
  async logParams(runId: string, params: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    return this.db.transaction().execute(async (trx) => {
      await requireRun(trx, runId);
      const entries = Object.entries(params);
      for (const [key, value] of entries) {
        await trx.insertInto('run_params').values({ run_id: runId, key, value }).onConflict((oc) => oc.columns(['run_id', 'key']).doNothing()).execute();
      }
      const stored = await loadParams(trx, runId);
      for (const [key, value] of entries) if (stored[key] !== value) throw new RunParamConflictError(runId, key, stored[key] ?? '');
      return stored;
    });
  }

  /** Sets and removes tags (null removes); returns all of the run's tags. @throws RunNotFoundError */
  async patchTags(runId: string, patch: TagsPatch): Promise<Tags> {
    return this.db.transaction().execute(async (trx) => {
      await requireRun(trx, runId);
      const { set, remove } = splitTagsPatch(patch);
      if (remove.length > 0) await trx.deleteFrom('run_tags').where('run_id', '=', runId).where('key', 'in', remove).execute();
      for (const [key, value] of set) {
        await trx
          .insertInto('run_tags')
          .values({ run_id: runId, key, value })
          .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value }))
          .execute();
      }
      return (await loadTags(trx, [runId])).get(runId) ?? {};
    });
  }

  /** What the trainer measures besides its result (host, peak memory). @throws RunNotFoundError */
  async updateSystemInfo(runId: string, update: UpdateRunSystemRequest): Promise<RunTracking> {
    await this.db.transaction().execute(async (trx) => {
      await requireRun(trx, runId);
      const values = {
        ...(update.host === undefined ? {} : { host: update.host }),
        ...(update.peakMemoryBytes === undefined ? {} : { peak_memory_bytes: update.peakMemoryBytes }),
      };
      if (Object.keys(values).length > 0) await trx.updateTable('runs').set(values).where('id', '=', runId).execute();
    });
    return this.getTracking(runId);
  }

  /** @throws RunNotFoundError */
  async getTracking(runId: string): Promise<RunTracking> {
    const run = await this.db
      .selectFrom('runs')
      .select(['id', 'experiment', 'backend', 'host', 'peak_memory_bytes', 'training_duration_ms', 'samples_per_second', 'created_at', 'finished_at'])
      .where('id', '=', runId)
      .executeTakeFirst();
    if (run === undefined) throw new RunNotFoundError(runId);
    const steps = await this.db.selectFrom('run_steps').select(['name', 'duration_ms']).where('run_id', '=', runId).execute();
    const system: RunSystemInfo = {
      backend: run.backend,
      host: run.host,
      peakMemoryBytes: run.peak_memory_bytes,
      trainingDurationMs: run.training_duration_ms,
      samplesPerSecond: run.samples_per_second,
      totalDurationMs: run.finished_at === null ? null : Date.parse(run.finished_at) - Date.parse(run.created_at),
      stepDurationsMs: Object.fromEntries(steps.map((s) => [s.name, s.duration_ms])),
    };
    return {
      runId,
      experiment: run.experiment,
      tags: (await loadTags(this.db, [runId])).get(runId) ?? {},
      params: await loadParams(this.db, runId),
      latestMetrics: (await loadLatestMetrics(this.db, [runId])).get(runId) ?? {},
      system,
    };
  }

  async searchRuns(search: RunSearch): Promise<TrackedRunSummary[]> {
    return this.summaries(await searchRunIds(this.db, search));
  }

  /** Params split into those all runs share and those that differ; the latest value of every metric per run. @throws RunNotFoundError */
  async compareRuns(runIds: readonly string[]): Promise<RunComparison> {
    const runs = await this.summaries(runIds);
    const found = new Set(runs.map((r) => r.id));
    const missing = runIds.find((id) => !found.has(id));
    if (missing !== undefined) throw new RunNotFoundError(missing);

    const paramRows = await this.db.selectFrom('run_params').selectAll().where('run_id', 'in', [...runIds]).orderBy('key').execute();
    const params = new Map<string, Map<string, string>>();
    for (const row of paramRows) params.set(row.key, (params.get(row.key) ?? new Map()).set(row.run_id, row.value));
    const same: Record<string, string> = {};
    const different: Record<string, Record<string, string | null>> = {};
    for (const [key, byRun] of params) {
      const values = runIds.map((id) => byRun.get(id) ?? null);
      if (values.every((v) => v !== null && v === values[0])) same[key] = values[0] as string;
      else different[key] = Object.fromEntries(runIds.map((id, i) => [id, values[i] ?? null]));
    }

    const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.latestMetrics)))].sort();
    const metrics = Object.fromEntries(
      metricKeys.map((key) => [key, Object.fromEntries(runs.map((r) => [r.id, r.latestMetrics[key] ?? null]))]),
    );
    return { runs, params: { same, different }, metrics };
  }

  /** By name, with how many runs each holds and when the latest was created. */
  async listExperiments(): Promise<Experiment[]> {
    const rows = await this.db
      .selectFrom('experiments as e')
      .leftJoin('runs as r', 'r.experiment', 'e.name')
      .select((eb) => ['e.name', 'e.created_at', eb.fn.count('r.id').as('run_count'), eb.fn.max('r.created_at').as('last_run_at')])
      .groupBy(['e.name', 'e.created_at'])
      .orderBy('e.name')
      .execute();
    return rows.map((row) => ({ name: row.name, createdAt: row.created_at, runCount: Number(row.run_count), lastRunAt: row.last_run_at ?? null }));
  }

  /** Summaries with experiment, tags and latest metrics, in the order of `runIds` (missing ones left out). */
  private async summaries(runIds: readonly string[]): Promise<TrackedRunSummary[]> {
    if (runIds.length === 0) return [];
    const rows = await this.db.selectFrom('runs').select(RUN_HEADER_COLUMNS).where('id', 'in', [...runIds]).execute();
    const byId = new Map(rows.map((row) => [row.id, toRunHeader(row)]));
    const tags = await loadTags(this.db, runIds);
    const metrics = await loadLatestMetrics(this.db, runIds);
    return runIds.flatMap((id) => {
      const run = byId.get(id);
      if (run === undefined) return [];
      return [{ ...toRunSummary(run), experiment: run.experiment, tags: tags.get(id) ?? {}, latestMetrics: metrics.get(id) ?? {} }];
    });
  }
}

async function requireRun(db: RegistryDb, runId: string): Promise<void> {
  const run = await db.selectFrom('runs').select('id').where('id', '=', runId).executeTakeFirst();
  if (run === undefined) throw new RunNotFoundError(runId);
}

async function loadParams(db: RegistryDb, runId: string): Promise<Record<string, string>> {
  const rows = await db.selectFrom('run_params').select(['key', 'value']).where('run_id', '=', runId).orderBy('key').execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

async function loadTags(db: RegistryDb, runIds: readonly string[]): Promise<Map<string, Tags>> {
  const rows = await db.selectFrom('run_tags').selectAll().where('run_id', 'in', [...runIds]).orderBy('key').execute();
  return groupTags(rows.map((r) => [r.run_id, r.key, r.value]));
}
