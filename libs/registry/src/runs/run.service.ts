import type {
  EpochMetrics,
  PipelineSpec,
  PreparedDatasetRef,
  RegistrationResult,
  Run,
  RunStatus,
  RunSummary,
  StepName,
  StepStatus,
  TfBackend,
  TrainedModel,
} from '@slipway/contracts';
import { DEFAULT_EXPERIMENT, STEP_NAMES } from '@slipway/contracts';
import { CorruptRecordError } from '../database/corrupt-record.error';
import { toJsonColumn } from '../database/json-column';
import type { RegistryDb, RunEpochRow, RunRow, RunStepRow } from '../database/registry-database.types';
import { RunNotFoundError } from '../errors/run-not-found.error';
import { pipelineParams } from '../tracking/pipeline-params';
import { epochMetricPoints, evaluationMetricPoints, upsertMetrics } from '../tracking/run-metrics';
import { InvalidRunIdError } from './invalid-run-id.error';
import { RunAlreadyExistsError } from './run-already-exists.error';
import { newRunId, RUN_ID_PATTERN } from './run-id';
import { loadRun, toRunSummary } from './run-record';

export interface RunServiceOptions {
  /**
   * Source of every timestamp the service writes.
   * @defaultValue `() => new Date()`
   */
  clock?: () => Date;
  /**
   * Called after commit each time a run's status actually changes (queued → running → succeeded | failed),
   * with the run as committed; not called by createRun (the caller has the new run in hand).
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
}

/** One epoch as the trainer reports it (TrainingProgress fits). */
export type EpochRecord = EpochMetrics & { backend: TfBackend };

type RunState = Pick<RunRow, 'status' | 'started_at'>;

// SQLite caps bound parameters per statement; 7 columns × 500 rows stays far below it.
const EPOCH_INSERT_CHUNK = 500;

/**
 * Tracks pipeline runs and their steps. Every method tolerates at-least-once delivery: repeated,
 * late or stale events (a start of an attempt already seen, a success after the step finished,
 * anything after the run finished) change nothing.
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
   * write-once params. `idOrOptions` as a string is the id, as before options existed.
   * @throws InvalidRunIdError, RunAlreadyExistsError
   */
  async createRun(spec: PipelineSpec, idOrOptions: string | CreateRunOptions = {}): Promise<Run> {
    const { id, experiment = DEFAULT_EXPERIMENT } = typeof idOrOptions === 'string' ? { id: idOrOptions } : idOrOptions;
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
        })
        .execute();
      const params = Object.entries(pipelineParams(spec)).map(([key, value]) => ({ run_id: runId, key, value }));
      // Chunked under SQLite's bound-parameter cap (3 columns per row).
      for (let i = 0; i < params.length; i += 500) await trx.insertInto('run_params').values(params.slice(i, i + 500)).execute();
      await trx
        .insertInto('run_steps')
        .values(
          STEP_NAMES.map((name) => ({
            run_id: runId,
            name,
            status: 'pending' as const,
            attempts: 0,
            started_at: null,
            finished_at: null,
            duration_ms: null,
            error: null,
          })),
        )
        .execute();
      return loadRun(trx, runId);
    });
  }

  /** `attempt` counts from 1 (BullMQ: attemptsMade + 1). The step's timestamps describe its latest attempt. */
  async markStepStarted(runId: string, step: StepName, attempt: number): Promise<Run> {
    return this.mutate(runId, async (trx, run, at) => {
      if (isRunFinished(run.status)) return;
      const current = await loadStep(trx, runId, step);
      if (isStepFinished(current.status) || attempt <= current.attempts) return;
      await updateStep(trx, runId, step, { status: 'running', attempts: attempt, started_at: at, finished_at: null, duration_ms: null });
      await startRunIfQueued(trx, runId, run, at);
    });
  }

  async markStepSucceeded(runId: string, step: StepName): Promise<Run> {
    return this.mutate(runId, async (trx, run, at) => {
      if (isRunFinished(run.status)) return;
      await succeedStep(trx, runId, step, at);
      await startRunIfQueued(trx, runId, run, at);
    });
  }

  /**
   * `final: false`: this attempt failed and the queue retries it — the step returns to `pending`, keeping the error.
   * `final: true`: no retry follows — the step and the run fail, the run's error naming the step.
   */
  async markStepFailed(runId: string, step: StepName, error: string, final: boolean): Promise<Run> {
    return this.mutate(runId, async (trx, run, at) => {
      if (isRunFinished(run.status)) return;
      const current = await loadStep(trx, runId, step);
      if (isStepFinished(current.status)) return;
      const attempts = Math.max(current.attempts, 1);
      if (!final) {
        await updateStep(trx, runId, step, { status: 'pending', attempts, started_at: null, finished_at: null, duration_ms: null, error });
        await startRunIfQueued(trx, runId, run, at);
        return;
      }
      await updateStep(trx, runId, step, {
        status: 'failed',
        attempts,
        finished_at: at,
        duration_ms: elapsedMs(current.started_at, at),
        error,
      });
      await trx
        .updateTable('runs')
        .set({ status: 'failed', finished_at: at, error: `${step}: ${error}` })
        .where('id', '=', runId)
        .execute();
    });
  }

  /**
   * Upserts one epoch (and its loss/accuracy metric points at step = epoch), so a retried training
   * overwrites the epochs it repeats. Ignored once the training step has finished (its final history is
   * then recorded). Returns nothing: it runs once per epoch and never changes the run's status.
   */
  async recordEpoch(runId: string, epoch: EpochRecord): Promise<void> {
    const at = this.clock().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await loadRunState(trx, runId);
      const train = await loadStep(trx, runId, 'train');
      if (isStepFinished(train.status)) return;
      const row = toEpochRow(runId, epoch);
      await trx
        .insertInto('run_epochs')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['run_id', 'epoch']).doUpdateSet({
            loss: row.loss,
            accuracy: row.accuracy,
            val_loss: row.val_loss,
            val_accuracy: row.val_accuracy,
            duration_ms: row.duration_ms,
          }),
        )
        .execute();
      await trx.updateTable('runs').set({ backend: epoch.backend }).where('id', '=', runId).execute();
      await upsertMetrics(trx, runId, epochMetricPoints(epoch, at));
    });
  }

  async recordPreparedDataset(runId: string, prepared: PreparedDatasetRef): Promise<Run> {
    return this.mutate(runId, async (trx) => {
      await trx.updateTable('runs').set({ dataset_digest: prepared.sourceDigest }).where('id', '=', runId).execute();
    });
  }

  /**
   * Records backend, timings and test metrics, and replaces the per-epoch progress with the final history;
   * the history and the test metrics also go to the run's metric points.
   */
  async recordTrainedModel(runId: string, trained: TrainedModel): Promise<Run> {
    return this.mutate(runId, async (trx, _run, at) => {
      await trx
        .updateTable('runs')
        .set({
          backend: trained.backend,
          metrics_json: toJsonColumn(trained.metrics),
          dataset_digest: trained.sourceDigest,
          training_duration_ms: trained.trainingDurationMs,
          samples_per_second: trained.samplesPerSecond,
        })
        .where('id', '=', runId)
        .execute();
      await upsertMetrics(trx, runId, trained.history.flatMap((epoch) => epochMetricPoints(epoch, at)), { keepTimestamps: true });
      await upsertMetrics(trx, runId, evaluationMetricPoints(trained.metrics, trained.history.length + 1, at));
      await trx.deleteFrom('run_epochs').where('run_id', '=', runId).execute();
      const rows = trained.history.map((epoch) => toEpochRow(runId, epoch));
      for (let i = 0; i < rows.length; i += EPOCH_INSERT_CHUNK) {
        await trx.insertInto('run_epochs').values(rows.slice(i, i + EPOCH_INSERT_CHUNK)).execute();
      }
    });
  }

  /** Marks the register step and the run succeeded, with the version it produced. */
  async completeRun(runId: string, registration: RegistrationResult): Promise<Run> {
    return this.mutate(runId, async (trx, run, at) => {
      if (isRunFinished(run.status)) return;
      await succeedStep(trx, runId, 'register', at);
      await trx
        .updateTable('runs')
        .set({
          status: 'succeeded',
          started_at: run.started_at ?? at,
          finished_at: at,
          error: null,
          model_name: registration.modelName,
          model_version: registration.version,
          promoted_to: registration.promotedTo,
        })
        .where('id', '=', runId)
        .execute();
    });
  }

  /** @throws RunNotFoundError */
  async getRun(id: string): Promise<Run> {
    return loadRun(this.db, id);
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

async function loadStep(db: RegistryDb, runId: string, step: StepName): Promise<RunStepRow> {
  const row = await db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).where('name', '=', step).executeTakeFirst();
  // createRun writes every step, so a missing one means the row was tampered with.
  if (row === undefined) throw new CorruptRecordError(`run_steps of run "${runId}"`, `step "${step}" is missing`);
  return row;
}

async function updateStep(db: RegistryDb, runId: string, step: StepName, values: Partial<Omit<RunStepRow, 'run_id' | 'name'>>): Promise<void> {
  await db.updateTable('run_steps').set(values).where('run_id', '=', runId).where('name', '=', step).execute();
}

async function succeedStep(db: RegistryDb, runId: string, step: StepName, at: string): Promise<void> {
  const current = await loadStep(db, runId, step);
  if (isStepFinished(current.status)) return;
  await updateStep(db, runId, step, {
    status: 'succeeded',
    attempts: Math.max(current.attempts, 1),
    finished_at: at,
    duration_ms: elapsedMs(current.started_at, at),
    error: null,
  });
}

async function startRunIfQueued(db: RegistryDb, runId: string, run: RunState, at: string): Promise<void> {
  if (run.status !== 'queued') return;
  await db.updateTable('runs').set({ status: 'running', started_at: at }).where('id', '=', runId).execute();
}

function toEpochRow(runId: string, epoch: EpochMetrics): RunEpochRow {
  return {
    run_id: runId,
    epoch: epoch.epoch,
    loss: epoch.loss,
    accuracy: epoch.accuracy,
    val_loss: epoch.valLoss ?? null,
    val_accuracy: epoch.valAccuracy ?? null,
    duration_ms: epoch.durationMs,
  };
}

function isRunFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

function isStepFinished(status: StepStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

/** null when the start was never seen (a lost event): an unknown duration, not a zero one. */
function elapsedMs(startedAt: string | null, finishedAt: string): number | null {
  return startedAt === null ? null : Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt));
}
