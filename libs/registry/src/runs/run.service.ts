import { DEFAULT_EXPERIMENT, type EpochMetrics, type NoCache, type PipelineSpec, type Run, type RunStatus, type RunSummary, type RunTrainingCurves } from '@slipway/contracts';
import { InvalidRunIdError } from './invalid-run-id.error';
import { pipelineParams } from './pipeline-params';
import type { RunRecord, StepRecord } from './run-entities';
import { newRunId, RUN_ID_PATTERN } from './run-id';
import { planRunSteps } from './run-plan';
import type { ActiveTraining, RunChange, RunStore } from './run-store';
import {
  claimReleased,
  epochRecorded,
  runFailed,
  runReopened,
  runSucceededIfFinished,
  stepClaimed,
  stepCompleted,
  stepFailed,
  stepSkipped,
  stepStarted,
  stepWaitingForQuota,
  type EpochRecord,
  type JobTimings,
  type StepCompletion,
} from './run-transitions';
import { curveStepOf, toRun, toRunSummary, toTrainingCurves } from './run-views';

/** A step whose status changed, or a running training that finished an epoch, as committed. */
export interface StepStatusChange {
  run: RunRecord;
  step: StepRecord;
  at: string;
  /** The epoch a running training just finished, with how many it will train. */
  epoch?: EpochMetrics & { epochs: number };
}

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
  onRunStatusChanged?: (run: RunRecord) => void | Promise<void>;
  /** Called after commit for every step whose status changed, and for every epoch a running training records; rejections propagate likewise. */
  onStepStatusChanged?: (change: StepStatusChange) => void | Promise<void>;
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
  /** @defaultValue null (no token) */
  submittedBy?: string | null;
  /** @defaultValue null */
  idempotencyKey?: string | null;
}

/**
 * Records pipeline runs and their steps through a RunStore: each event becomes one change of the run's record
 * (decided by the run transitions, which tolerate at-least-once delivery) and is then told to the listeners.
 * What to run next is the PipelineEngine's decision, not this service's.
 */
export class RunService {
  private readonly clock: () => Date;

  constructor(
    private readonly store: RunStore,
    private readonly options: RunServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Records a queued run in its experiment (created on first use), with the resolved pipeline spec as its
   * write-once params, and one pending step per step (per training of a grid). `idOrOptions` as a string is the id.
   * @throws InvalidRunIdError, RunAlreadyExistsError
   */
  async createRun(pipeline: PipelineSpec, idOrOptions: string | CreateRunOptions = {}): Promise<Run> {
    const { id, experiment = DEFAULT_EXPERIMENT, noCache = false, submittedBy = null, idempotencyKey = null } = typeof idOrOptions === 'string' ? { id: idOrOptions } : idOrOptions;
    const createdAt = this.clock();
    const runId = id ?? newRunId(createdAt);
    if (!RUN_ID_PATTERN.test(runId)) throw new InvalidRunIdError(runId);
    const run = await this.store.create({
      id: runId,
      pipeline,
      experiment,
      noCache,
      submittedBy,
      idempotencyKey,
      createdAt: createdAt.toISOString(),
      params: pipelineParams(pipeline),
      steps: planRunSteps(pipeline),
    });
    return toRun(run, []);
  }

  /** The run submitted with this Idempotency-Key, if any. */
  findByIdempotencyKey(key: string): Promise<RunRecord | undefined> {
    return this.store.findByIdempotencyKey(key);
  }

  /** The run with its steps, as the engine decides on it. @throws RunNotFoundError */
  record(runId: string): Promise<RunRecord> {
    return this.store.load(runId);
  }

  /** @throws RunNotFoundError */
  async getRun(runId: string): Promise<Run> {
    const run = await this.store.load(runId);
    const curveStep = curveStepOf(run);
    const curve = curveStep === undefined ? [] : ((await this.store.epochs(runId, curveStep)).get(curveStep) ?? []);
    return toRun(run, curve);
  }

  /** Every training's per-epoch curve, each training of a grid apart. @throws RunNotFoundError */
  async getTrainingCurves(runId: string): Promise<RunTrainingCurves> {
    const run = await this.store.load(runId);
    return toTrainingCurves(run, await this.store.epochs(runId));
  }

  /** Newest first. */
  async listRuns({ limit = 50, status }: ListRunsOptions = {}): Promise<RunSummary[]> {
    return (await this.store.list({ limit, status })).map(toRunSummary);
  }

  /** Runs whose source dataset has this content digest, newest first. */
  async listRunsFromDataset(digest: string): Promise<RunSummary[]> {
    return (await this.store.list({ datasetDigest: digest })).map(toRunSummary);
  }

  countRunsByStatus(): Promise<Record<RunStatus, number>> {
    return this.store.countByStatus();
  }

  /** The team's trainings queued or running, across its runs (for its quotas). */
  activeTrainings(team: string): Promise<ActiveTraining[]> {
    return this.store.activeTrainings(team);
  }

  /** Unfinished runs of the team with a training waiting for quota, oldest first. */
  runsWaitingForQuota(team: string): Promise<string[]> {
    return this.store.runsWaitingForQuota(team);
  }

  /** Runs `work` while no other engine decision runs, in this process and on other registry replicas. */
  exclusively<T>(work: () => Promise<T>): Promise<T> {
    return this.store.exclusively(work);
  }

  markStepStarted(runId: string, step: string, attempt: number): Promise<RunRecord> {
    return this.apply(runId, (run, at) => stepStarted(run, step, attempt, at));
  }

  markStepFailed(runId: string, step: string, error: string, final: boolean, job?: JobTimings): Promise<RunRecord> {
    return this.apply(runId, (run, at) => stepFailed(run, step, error, final, at, job));
  }

  completeStep(runId: string, step: string, completion: StepCompletion): Promise<RunRecord> {
    return this.apply(runId, (run, at) => stepCompleted(run, step, completion, at));
  }

  skipStep(runId: string, step: string, reason: string): Promise<RunRecord> {
    return this.apply(runId, (run, at) => stepSkipped(run, step, reason, at));
  }

  markWaitingForQuota(runId: string, step: string, reason: string): Promise<RunRecord> {
    return this.apply(runId, (run) => stepWaitingForQuota(run, step, reason));
  }

  /**
   * Marks a step queued in `generation`, unless another caller already did. Returns the run as claimed when this
   * caller won and must queue the job, null when it lost.
   */
  async claimStep(runId: string, step: string, generation: number): Promise<RunRecord | null> {
    let won = false;
    const run = await this.apply(runId, (current) => {
      const change = stepClaimed(current, step, generation);
      won = change !== null;
      return change;
    });
    return won ? run : null;
  }

  releaseClaim(runId: string, step: string): Promise<RunRecord> {
    return this.apply(runId, (run) => claimReleased(run, step));
  }

  failRun(runId: string, error: string): Promise<RunRecord> {
    return this.apply(runId, (run, at) => runFailed(run, error, at));
  }

  succeedIfFinished(runId: string): Promise<RunRecord> {
    return this.apply(runId, (run, at) => runSucceededIfFinished(run, at));
  }

  /** @throws RunNotResumableError when the run has not failed, or was recorded before pipelines were DAGs */
  reopenFailedRun(runId: string): Promise<RunRecord> {
    return this.apply(runId, (run) => runReopened(run));
  }

  async recordEpoch(runId: string, step: string, epoch: EpochRecord): Promise<RunRecord> {
    const recorded = (await this.store.epochs(runId, step)).get(step) ?? [];
    const { backend: _backend, epochs, ...metrics } = epoch;
    return this.apply(runId, (run, at) => epochRecorded(run, step, epoch, recorded, at), epochs === undefined ? undefined : { step, epoch: { ...metrics, epochs } });
  }

  /** Writes one change of the run, then tells the listeners what it changed. */
  private async apply(runId: string, decide: (run: RunRecord, at: string) => RunChange | null, epoch?: { step: string; epoch: StepStatusChange['epoch'] }): Promise<RunRecord> {
    const at = this.clock().toISOString();
    const { before, after, changed } = await this.store.change(runId, (run) => decide(run, at));
    if (!changed) return after;
    if (after.status !== before.status) await this.options.onRunStatusChanged?.(after);
    for (const [i, step] of after.steps.entries()) {
      const statusChanged = step.status !== before.steps[i]?.status;
      const epochOfStep = epoch?.step === step.name ? epoch.epoch : undefined;
      if (statusChanged || epochOfStep !== undefined) await this.options.onStepStatusChanged?.({ run: after, step, at, ...(epochOfStep === undefined ? {} : { epoch: epochOfStep }) });
    }
    return after;
  }
}
