import type { EpochMetrics, NoCache, PipelineSpec, Run, RunStatus, RunSummary, RunTrainingCurves, StepStatus, TfBackend } from '@slipway/contracts';
import { DEFAULT_EXPERIMENT, FINISHED_STEP_STATUSES } from '@slipway/contracts';
import { CorruptRecordError } from '../database/corrupt-record.error';
import { toJsonColumn } from '../database/json-column';
import type { RegistryDb, RunRow, RunStepRow } from '../database/registry-database.types';
import { RunNotFoundError } from '../errors/run-not-found.error';
import type { CacheKeyComponents } from '../pipelines/cache-key';
import { planRunSteps } from '../pipelines/run-plan';
import { outputMetrics, type AnyStepOutput } from '../pipelines/step-outputs';
import { pipelineParams } from '../tracking/pipeline-params';
import { epochMetricPoints, upsertMetrics } from '../tracking/run-metrics';
import { InvalidRunIdError } from './invalid-run-id.error';
import { RunAlreadyExistsError } from './run-already-exists.error';
import { RunNotResumableError } from './run-not-resumable.error';
import { newRunId, RUN_ID_PATTERN } from './run-id';
import { INSERT_CHUNK, metricPrefix, recordRunOutcome, toEpochRow } from './run-outcome';
import { loadRun, loadTrainingCurves, toRunSummary } from './run-record';

export interface RunServiceOptions {
  /**
   * Source of every timestamp the service writes.
   * @defaultValue `() => new Date()`
   */
  clock?: () => Date;
  /**
   * Called after commit each time a run's status actually changes (queued → running → succeeded | failed,
   * failed → running on resume), with the run as committed; not called by createRun (the caller has the new run).
   * A rejection propagates to the caller of the state change, which is already committed.
   */
  onRunStatusChanged?: (run: Run) => void | Promise<void>;
}

export interface ListRunsOptions {
  /** @defaultValue 50 */
  limit?: number;
  status?: RunStatus;
}

export interface CreateRunOptions {
  /** A caller-chosen id (BullMQ-safe); a sortable one is generated otherwise. */
  id?: string;
  /** @defaultValue 'default' */
  experiment?: string;
  /** @defaultValue false */
  noCache?: NoCache;
}

/** One epoch as the trainer reports it (TrainingProgress fits). */
export type EpochRecord = EpochMetrics & { backend: TfBackend; epochs?: number };

/** How a step ended well: it ran, or an earlier run's outputs were reused. */
export interface StepCompletion {
  status: 'succeeded' | 'cached';
  output: AnyStepOutput;
  cacheKey: string | null;
  components: CacheKeyComponents | null;
  cachedFrom: { runId: string; step: string } | null;
  /** The job's own record of its last attempt, which survives a registry that was down while it ran. */
  job?: { attempts: number; startedAt: string | null; finishedAt: string | null };
}

type RunState = Pick<RunRow, 'status' | 'started_at'>;


/**
 * Records pipeline runs and their steps. Every method tolerates at-least-once delivery: repeated, late or stale
 * events (a start of an attempt already seen, a success after the step finished, a start or retry after the run
 * finished) change nothing. A step that completes after its run failed is still recorded — its work happened,
 * and a resume must not redo it. What to run next is the PipelineEngine's decision, not this service's.
 */
export class RunService {
  private readonly clock: () => Date;
  private readonly onRunStatusChanged: ((run: Run) => void | Promise<void>) | undefined;

  constructor(
    private readonly db: RegistryDb,
    options: RunServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.onRunStatusChanged = options.onRunStatusChanged;
  }

  /**
   * Records a queued run in its experiment (created on first use), with the resolved pipeline spec as its
   * write-once params, and one pending row per step (per training of a grid). `idOrOptions` as a string is the id.
   * @throws InvalidRunIdError, RunAlreadyExistsError
   */
  async createRun(spec: PipelineSpec, idOrOptions: string | CreateRunOptions = {}): Promise<Run> {
    const { id, experiment = DEFAULT_EXPERIMENT, noCache = false } = typeof idOrOptions === 'string' ? { id: idOrOptions } : idOrOptions;
    const createdAt = this.clock();
    const runId = id ?? newRunId(createdAt);
    if (!RUN_ID_PATTERN.test(runId)) throw new InvalidRunIdError(runId);
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('runs').select('id').where('id', '=', runId).executeTakeFirst();
      if (existing !== undefined) throw new RunAlreadyExistsError(runId);
      await trx
        .insertInto('experiments')
        .values({ name: experiment, created_at: createdAt.toISOString() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      await trx
        .insertInto('runs')
        .values({
          id: runId,
          pipeline_name: spec.name,
          status: 'queued',
          created_at: createdAt.toISOString(),
          started_at: null,
          finished_at: null,
          error: null,
          pipeline_json: toJsonColumn(spec),
          dataset_digest: null,
          backend: null,
          metrics_json: null,
          model_name: null,
          model_version: null,
          promoted_to: null,
          experiment,
          team: spec.team,
          no_cache_json: toJsonColumn(noCache),
        })
        .execute();
      const params = Object.entries(pipelineParams(spec)).map(([key, value]) => ({ run_id: runId, key, value }));
      for (let i = 0; i < params.length; i += INSERT_CHUNK) await trx.insertInto('run_params').values(params.slice(i, i + INSERT_CHUNK)).execute();
      const steps = planRunSteps(spec).map((planned) => ({
        run_id: runId,
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
      return loadRun(trx, runId);
    });
  }

  /** The rows of a run's steps in display order. @throws RunNotFoundError */
  async loadSteps(runId: string): Promise<RunStepRow[]> {
    await loadRunState(this.db, runId);
    return this.db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).orderBy('position').execute();
  }

  /** The run's own row (team, resumes, the no-cache choice). @throws RunNotFoundError */
  async loadRunRow(runId: string): Promise<RunRow> {
    const row = await this.db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
    if (row === undefined) throw new RunNotFoundError(runId);
    return row;
  }

  /** `attempt` is the job's own count from 1 (BullMQ: attemptsStarted). The step's timestamps describe its latest attempt. */
  async markStepStarted(runId: string, step: string, attempt: number): Promise<Run> {
    return this.mutate(runId, async (trx, run, at) => {
      if (isRunFinished(run.status)) return;
      const current = await loadStep(trx, runId, step);
      const attempts = current.prior_attempts + attempt;
      if (isStepFinished(current.status) || attempts <= current.attempts) return;
      await updateStep(trx, runId, step, { status: 'running', attempts, started_at: at, finished_at: null, duration_ms: null });
      await startRunIfQueued(trx, runId, run, at);
    });
  }

  /**
   * `final: false`: this attempt failed and the queue retries it — the step returns to `pending`, keeping the error.
   * `final: true`: no retry follows — the step and the run fail, the run's error naming the step.
   */
  async markStepFailed(runId: string, step: string, error: string, final: boolean, job?: StepCompletion['job']): Promise<Run> {
    return this.mutate(runId, async (trx, run, at) => {
      const current = await loadStep(trx, runId, step);
      if (isStepFinished(current.status)) return;
      const attempts = Math.max(current.attempts, current.prior_attempts + (job?.attempts ?? 1));
      if (!final) {
        if (isRunFinished(run.status)) return;
        await updateStep(trx, runId, step, { status: 'pending', attempts, started_at: null, finished_at: null, duration_ms: null, error });
        await startRunIfQueued(trx, runId, run, at);
        return;
      }
      const startedAt = current.started_at ?? job?.startedAt ?? null;
      const finishedAt = job?.finishedAt ?? at;
      await updateStep(trx, runId, step, { status: 'failed', attempts, started_at: startedAt, finished_at: finishedAt, duration_ms: elapsedMs(startedAt, finishedAt), error });
      if (isRunFinished(run.status)) return;
      await trx.updateTable('runs').set({ status: 'failed', started_at: run.started_at ?? at, finished_at: at, error: `${step}: ${error}` }).where('id', '=', runId).execute();
    });
  }

  /** Records a step's output, and what it means for the run: its dataset, model, version or alias. */
  async completeStep(runId: string, step: string, completion: StepCompletion): Promise<Run> {
    return this.mutate(runId, async (trx, run, at) => {
      const current = await loadStep(trx, runId, step);
      if (isStepFinished(current.status)) return;
      const startedAt = completion.status === 'cached' ? null : (current.started_at ?? completion.job?.startedAt ?? null);
      const finishedAt = completion.job?.finishedAt ?? at;
      const metrics = outputMetrics(current.kind, completion.output);
      await updateStep(trx, runId, step, {
        status: completion.status,
        attempts: completion.status === 'cached' ? current.attempts : Math.max(current.attempts, current.prior_attempts + (completion.job?.attempts ?? 1)),
        started_at: startedAt,
        finished_at: finishedAt,
        // A cached step took no time; a step whose start was never seen took an unknown time, not none.
        duration_ms: completion.status === 'cached' ? 0 : elapsedMs(startedAt, finishedAt),
        error: null,
        progress_json: null,
        output_json: toJsonColumn(completion.output),
        cache_key: completion.cacheKey,
        cache_components_json: completion.components === null ? null : toJsonColumn(completion.components),
        cached_from_run: completion.cachedFrom?.runId ?? null,
        cached_from_step: completion.cachedFrom?.step ?? null,
        metrics_json: metrics === null ? null : toJsonColumn(metrics),
      });
      await recordRunOutcome(trx, runId, current, completion.output, at);
      if (!isRunFinished(run.status)) await startRunIfQueued(trx, runId, run, at);
    });
  }

  /** The step will not run: its condition did not hold, or an input was skipped. */
  async skipStep(runId: string, step: string, reason: string): Promise<Run> {
    return this.mutate(runId, async (trx, _run, at) => {
      const current = await loadStep(trx, runId, step);
      if (isStepFinished(current.status)) return;
      await updateStep(trx, runId, step, { status: 'skipped', finished_at: at, error: reason });
    });
  }

  /** Ready, but over a quota: it waits (the reason names the quota) and is admitted when room frees up. */
  async markWaitingForQuota(runId: string, step: string, reason: string): Promise<void> {
    await this.db
      .updateTable('run_steps')
      .set({ status: 'waiting-for-quota', error: reason })
      .where('run_id', '=', runId)
      .where('name', '=', step)
      .where('status', 'in', ['pending', 'waiting-for-quota'])
      .where('queued_generation', 'is', null)
      .execute();
  }

  /**
   * Marks a step queued in `generation`, unless another caller already did: true when this caller won and must
   * queue the job. A step waiting for quota returns to pending (its wait is over).
   */
  async claimStep(runId: string, step: string, generation: number): Promise<boolean> {
    const result = await this.db
      .updateTable('run_steps')
      .set({ queued_generation: generation, status: 'pending', error: null })
      .where('run_id', '=', runId)
      .where('name', '=', step)
      .where('status', 'in', ['pending', 'waiting-for-quota'])
      .where((eb) => eb.or([eb('queued_generation', 'is', null), eb('queued_generation', '<', generation)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Undoes a claim whose job could not be queued, so a later pass queues it. */
  async releaseClaim(runId: string, step: string): Promise<void> {
    await updateStep(this.db, runId, step, { queued_generation: null });
  }

  /** Fails a run for a reason outside its steps (they stay as they are, so a resume picks them up). */
  async failRun(runId: string, error: string): Promise<Run> {
    return this.mutate(runId, async (trx, run, at) => {
      if (isRunFinished(run.status)) return;
      await trx.updateTable('runs').set({ status: 'failed', started_at: run.started_at ?? at, finished_at: at, error }).where('id', '=', runId).execute();
    });
  }

  /** Marks a run whose steps have all finished, none failed, as succeeded. */
  async succeedIfFinished(runId: string): Promise<Run> {
    return this.mutate(runId, async (trx, run, at) => {
      if (isRunFinished(run.status)) return;
      const steps = await trx.selectFrom('run_steps').select('status').where('run_id', '=', runId).execute();
      if (!steps.every((s) => isStepFinished(s.status)) || steps.some((s) => s.status === 'failed')) return;
      await trx.updateTable('runs').set({ status: 'succeeded', started_at: run.started_at ?? at, finished_at: at, error: null }).where('id', '=', runId).execute();
    });
  }

  /**
   * Reopens a failed run: its failed steps return to pending (keeping their attempts), everything that
   * succeeded, was cached or skipped stays, and the run's generation advances so new jobs get new ids.
   * @throws RunNotResumableError when the run has not failed, or was recorded before pipelines were DAGs
   */
  async reopenFailedRun(runId: string): Promise<Run> {
    return this.mutate(runId, async (trx, run) => {
      if (run.status !== 'failed') throw new RunNotResumableError(runId, run.status);
      // Runs migrated from before 0003 kept no step outputs, so nothing could feed the steps a resume retries.
      const outputless = await trx
        .selectFrom('run_steps')
        .select('name')
        .where('run_id', '=', runId)
        .where('status', 'in', ['succeeded', 'cached'])
        .where('output_json', 'is', null)
        .executeTakeFirst();
      if (outputless !== undefined) {
        throw new RunNotResumableError(runId, run.status, `it was recorded before pipelines were DAGs, and its step "${outputless.name}" kept no output to resume from`);
      }
      await trx
        .updateTable('run_steps')
        .set((eb) => ({
          status: 'pending',
          prior_attempts: eb.ref('attempts'),
          queued_generation: null,
          started_at: null,
          finished_at: null,
          duration_ms: null,
          error: null,
          progress_json: null,
        }))
        .where('run_id', '=', runId)
        .where('status', 'in', ['failed', 'pending', 'running', 'waiting-for-quota'])
        .execute();
      await trx
        .updateTable('runs')
        .set((eb) => ({ status: 'running', finished_at: null, error: null, resumes: eb('resumes', '+', 1) }))
        .where('id', '=', runId)
        .execute();
    });
  }

  /**
   * Upserts one epoch of a training step (and its loss/accuracy metric points), so a retried training overwrites
   * the epochs it repeats, and keeps the step's progress with an ETA. Ignored once the step has finished.
   */
  async recordEpoch(runId: string, step: string, epoch: EpochRecord): Promise<void> {
    const at = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await loadRunState(trx, runId);
      const current = await loadStep(trx, runId, step);
      if (isStepFinished(current.status)) return;
      const row = toEpochRow(runId, step, epoch);
      await trx
        .insertInto('step_epochs')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['run_id', 'step', 'epoch']).doUpdateSet({ loss: row.loss, accuracy: row.accuracy, val_loss: row.val_loss, val_accuracy: row.val_accuracy, duration_ms: row.duration_ms }),
        )
        .execute();
      if (epoch.epochs !== undefined) {
        const done = await trx.selectFrom('step_epochs').select((eb) => eb.fn.avg<number>('duration_ms').as('mean')).where('run_id', '=', runId).where('step', '=', step).executeTakeFirst();
        const etaMs = Math.max(0, Math.round(Number(done?.mean ?? 0) * (epoch.epochs - epoch.epoch)));
        await updateStep(trx, runId, step, { progress_json: toJsonColumn({ epoch: epoch.epoch, epochs: epoch.epochs, loss: epoch.loss, accuracy: epoch.accuracy, etaMs }) });
      }
      await trx.updateTable('runs').set({ backend: epoch.backend }).where('id', '=', runId).execute();
      await upsertMetrics(trx, runId, epochMetricPoints(epoch, at, metricPrefix(current)));
    });
  }

  /** @throws RunNotFoundError */
  async getRun(id: string): Promise<Run> {
    return loadRun(this.db, id);
  }

  /** Every training's per-epoch curve, each training of a grid apart. @throws RunNotFoundError */
  async getTrainingCurves(id: string): Promise<RunTrainingCurves> {
    return loadTrainingCurves(this.db, id);
  }

  /** Newest first. */
  async listRuns({ limit = 50, status }: ListRunsOptions = {}): Promise<RunSummary[]> {
    let query = this.db
      .selectFrom('runs')
      .select(['id', 'pipeline_name', 'status', 'created_at', 'finished_at', 'error', 'metrics_json', 'model_name', 'model_version'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    if (status !== undefined) query = query.where('status', '=', status);
    return (await query.execute()).map(toRunSummary);
  }

  /** Every status is present, with 0 when no run has it. */
  async countRunsByStatus(): Promise<Record<RunStatus, number>> {
    const rows = await this.db
      .selectFrom('runs')
      .select((eb) => ['status', eb.fn.countAll().as('count')])
      .groupBy('status')
      .execute();
    const counts: Record<RunStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0 };
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }

  /** Applies a change in one transaction, then reports a status change once it is committed. */
  private async mutate(runId: string, change: (trx: RegistryDb, run: RunState, at: string) => Promise<void>): Promise<Run> {
    const at = this.clock().toISOString();
    const { before, after } = await this.db.transaction().execute(async (trx) => {
      const run = await loadRunState(trx, runId);
      await change(trx, run, at);
      return { before: run.status, after: await loadRun(trx, runId) };
    });
    if (after.status !== before) await this.onRunStatusChanged?.(after);
    return after;
  }
}

async function loadRunState(db: RegistryDb, runId: string): Promise<RunState> {
  const run = await db.selectFrom('runs').select(['status', 'started_at']).where('id', '=', runId).executeTakeFirst();
  if (run === undefined) throw new RunNotFoundError(runId);
  return run;
}

async function loadStep(db: RegistryDb, runId: string, step: string): Promise<RunStepRow> {
  const row = await db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).where('name', '=', step).executeTakeFirst();
  if (row === undefined) throw new CorruptRecordError(`run_steps of run "${runId}"`, `step "${step}" is missing`);
  return row;
}

async function updateStep(db: RegistryDb, runId: string, step: string, values: Partial<Omit<RunStepRow, 'run_id' | 'name'>>): Promise<void> {
  await db.updateTable('run_steps').set(values).where('run_id', '=', runId).where('name', '=', step).execute();
}

async function startRunIfQueued(db: RegistryDb, runId: string, run: RunState, at: string): Promise<void> {
  if (run.status !== 'queued') return;
  await db.updateTable('runs').set({ status: 'running', started_at: at }).where('id', '=', runId).execute();
}

function isRunFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

function isStepFinished(status: StepStatus): boolean {
  return FINISHED_STEP_STATUSES.includes(status);
}

/** null when the start was never seen (a lost event): an unknown duration, not a zero one. */
function elapsedMs(startedAt: string | null, finishedAt: string): number | null {
  return startedAt === null ? null : Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt));
}
