import { FINISHED_STEP_STATUSES, type EpochMetrics, type StepStatus, type TrainingBackend } from '@slipway/contracts';
import { isRunFinished, stepNamed, type RunRecord, type StepCacheState, type StepRecord } from './run-entities';
import { RunNotResumableError } from './run-not-resumable.error';
import { epochMetricPoints, evaluationMetricPoints } from './metric-points';
import type { RunChange, RunPatch, StepPatch } from './run-store';
import { outputMetrics, STEP_OUTPUT_SCHEMAS, type KindedOutput } from './step-outputs';

// How a run's record changes on each event, as pure functions of the record: null means the event changes
// nothing. They tolerate at-least-once delivery: repeated, late or stale events (a start of an attempt already
// seen, a success after the step finished, a start or retry after the run finished) give null. A step that
// completes after its run failed is still recorded — its work happened, and a resume must not redo it.

/** The job's own record of its last attempt, which survives a registry that was down while it ran. */
export interface JobTimings {
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
}

/** How a step ended well: it ran, or an earlier run's outputs were reused. */
export interface StepCompletion {
  status: 'succeeded' | 'cached';
  output: KindedOutput['output'];
  cacheKey: StepCacheState['key'];
  components: StepCacheState['components'];
  cachedFrom: StepCacheState['cachedFrom'];
  job?: JobTimings;
}

/** One epoch as the trainer reports it (TrainingProgress fits). */
export type EpochRecord = EpochMetrics & { backend: TrainingBackend; epochs?: number };

/** `attempt` is the job's own count from 1 (BullMQ: attemptsStarted). The step's timestamps describe its latest attempt. */
export function stepStarted(run: RunRecord, name: string, attempt: number, at: string): RunChange | null {
  if (isRunFinished(run.status)) return null;
  const step = stepNamed(run, name);
  const attempts = step.priorAttempts + attempt;
  if (isStepFinished(step.status) || attempts <= step.attempts) return null;
  return { run: startedIfQueued(run, at), steps: [{ name, patch: { status: 'running', attempts, startedAt: at, finishedAt: null, durationMs: null } }] };
}

/**
 * `final: false`: this attempt failed and the queue retries it — the step returns to `pending`, keeping the error.
 * `final: true`: no retry follows — the step and the run fail, the run's error naming the step.
 */
export function stepFailed(run: RunRecord, name: string, error: string, final: boolean, at: string, job?: JobTimings): RunChange | null {
  const step = stepNamed(run, name);
  if (isStepFinished(step.status)) return null;
  const attempts = Math.max(step.attempts, step.priorAttempts + (job?.attempts ?? 1));
  if (!final) {
    if (isRunFinished(run.status)) return null;
    return { run: startedIfQueued(run, at), steps: [{ name, patch: { status: 'pending', attempts, startedAt: null, finishedAt: null, durationMs: null, error } }] };
  }
  const startedAt = step.startedAt ?? job?.startedAt ?? null;
  const finishedAt = job?.finishedAt ?? at;
  const failedStep = { name, patch: { status: 'failed' as const, attempts, startedAt, finishedAt, durationMs: elapsedMs(startedAt, finishedAt), error } };
  if (isRunFinished(run.status)) return { steps: [failedStep] };
  return { run: { status: 'failed', startedAt: run.startedAt ?? at, finishedAt: at, error: `${name}: ${error}` }, steps: [failedStep] };
}

/** Records a step's output, and what it means for the run: its dataset, model, version or alias. */
export function stepCompleted(run: RunRecord, name: string, completion: StepCompletion, at: string): RunChange | null {
  const step = stepNamed(run, name);
  if (isStepFinished(step.status)) return null;
  const produced = { kind: step.kind, output: STEP_OUTPUT_SCHEMAS[step.kind].parse(completion.output) } as KindedOutput;
  const cached = completion.status === 'cached';
  const startedAt = cached ? null : (step.startedAt ?? completion.job?.startedAt ?? null);
  const finishedAt = completion.job?.finishedAt ?? at;
  const patch: StepPatch = {
    status: completion.status,
    attempts: cached ? step.attempts : Math.max(step.attempts, step.priorAttempts + (completion.job?.attempts ?? 1)),
    startedAt,
    finishedAt,
    // A cached step took no time; a step whose start was never seen took an unknown time, not none.
    durationMs: cached ? 0 : elapsedMs(startedAt, finishedAt),
    error: null,
    progress: null,
    output: produced.output,
    cache: { key: completion.cacheKey, components: completion.components, cachedFrom: completion.cachedFrom },
    metrics: outputMetrics(produced),
  };
  const outcome = outcomeFor(run, step, produced, at);
  return { ...outcome, run: { ...startedIfQueued(run, at), ...outcome.run }, steps: [{ name, patch }] };
}

/** The step will not run: its condition did not hold, or an input was skipped. */
export function stepSkipped(run: RunRecord, name: string, reason: string, at: string): RunChange | null {
  if (isStepFinished(stepNamed(run, name).status)) return null;
  return { steps: [{ name, patch: { status: 'skipped', finishedAt: at, error: reason } }] };
}

/** Ready, but over a quota: it waits (the reason names the quota) and is admitted when room frees up. */
export function stepWaitingForQuota(run: RunRecord, name: string, reason: string): RunChange | null {
  const step = stepNamed(run, name);
  if (!isQueueable(step) || step.queuedGeneration !== null) return null;
  if (step.status === 'waiting-for-quota' && step.error === reason) return null;
  return { steps: [{ name, patch: { status: 'waiting-for-quota', error: reason } }] };
}

/** Marks a step queued in `generation` unless it already is; a step waiting for quota returns to pending (its wait is over). */
export function stepClaimed(run: RunRecord, name: string, generation: number): RunChange | null {
  const step = stepNamed(run, name);
  if (!isQueueable(step) || (step.queuedGeneration !== null && step.queuedGeneration >= generation)) return null;
  return { steps: [{ name, patch: { queuedGeneration: generation, status: 'pending', error: null } }] };
}

/** Undoes a claim whose job could not be queued, so a later pass queues it. */
export function claimReleased(run: RunRecord, name: string): RunChange | null {
  if (stepNamed(run, name).queuedGeneration === null) return null;
  return { steps: [{ name, patch: { queuedGeneration: null } }] };
}

/** Fails a run for a reason outside its steps (they stay as they are, so a resume picks them up). */
export function runFailed(run: RunRecord, error: string, at: string): RunChange | null {
  if (isRunFinished(run.status)) return null;
  return { run: { status: 'failed', startedAt: run.startedAt ?? at, finishedAt: at, error } };
}

/** A run whose steps have all finished, none failed, has succeeded. */
export function runSucceededIfFinished(run: RunRecord, at: string): RunChange | null {
  if (isRunFinished(run.status)) return null;
  if (!run.steps.every((step) => isStepFinished(step.status)) || run.steps.some((step) => step.status === 'failed')) return null;
  return { run: { status: 'succeeded', startedAt: run.startedAt ?? at, finishedAt: at, error: null } };
}

/**
 * Reopens a failed run: its failed steps return to pending (keeping their attempts), everything that succeeded,
 * was cached or skipped stays, and the run's generation advances so new jobs get new ids.
 * @throws RunNotResumableError when the run has not failed, or was recorded before pipelines were DAGs
 */
export function runReopened(run: RunRecord): RunChange {
  if (run.status !== 'failed') throw new RunNotResumableError(run.id, run.status);
  // Runs migrated from before 0003 kept no step outputs, so nothing could feed the steps a resume retries.
  const outputless = run.steps.find((step) => (step.status === 'succeeded' || step.status === 'cached') && step.output === null);
  if (outputless !== undefined) {
    throw new RunNotResumableError(run.id, run.status, `it was recorded before pipelines were DAGs, and its step "${outputless.name}" kept no output to resume from`);
  }
  const reopened = run.steps.filter((step) => REOPENED_STATUSES.includes(step.status));
  return {
    run: { status: 'running', finishedAt: null, error: null, resumes: run.resumes + 1 },
    steps: reopened.map((step) => ({
      name: step.name,
      patch: { status: 'pending', priorAttempts: step.attempts, queuedGeneration: null, startedAt: null, finishedAt: null, durationMs: null, error: null, progress: null },
    })),
  };
}

/**
 * One epoch of a training (and its loss/accuracy metric points), upserted so a retried training overwrites the
 * epochs it repeats; the step's progress gets an ETA from the mean epoch time so far (`recorded`: the epochs the
 * step has already). Ignored once the step has finished.
 */
export function epochRecorded(run: RunRecord, name: string, epoch: EpochRecord, recorded: readonly EpochMetrics[], at: string): RunChange | null {
  const step = stepNamed(run, name);
  if (isStepFinished(step.status)) return null;
  const { backend, epochs, ...metrics } = epoch;
  const curve = [...recorded.filter((earlier) => earlier.epoch !== epoch.epoch), metrics];
  const meanMs = curve.reduce((sum, e) => sum + e.durationMs, 0) / curve.length;
  const progress = epochs === undefined ? undefined : { epoch: epoch.epoch, epochs, loss: epoch.loss, accuracy: epoch.accuracy, etaMs: Math.max(0, Math.round(meanMs * (epochs - epoch.epoch))) };
  return {
    run: { backend },
    steps: progress === undefined ? [] : [{ name, patch: { progress } }],
    epochs: [{ step: name, epochs: [metrics], replace: false }],
    metrics: [{ points: epochMetricPoints(metrics, at, metricPrefix(step)), keepTimestamps: false }],
  };
}

/** A grid's trainings keep their metric history apart: `train[2].loss`; a single training writes plain keys. */
export function metricPrefix(step: Pick<StepRecord, 'name' | 'grid'>): string {
  return step.grid === null ? '' : `${step.name}.`;
}

export function isStepFinished(status: StepStatus): boolean {
  return FINISHED_STEP_STATUSES.includes(status);
}

const REOPENED_STATUSES: readonly StepStatus[] = ['failed', 'pending', 'running', 'waiting-for-quota'];

function isQueueable(step: StepRecord): boolean {
  return step.status === 'pending' || step.status === 'waiting-for-quota';
}

function startedIfQueued(run: RunRecord, at: string): RunPatch {
  return run.status === 'queued' ? { status: 'running', startedAt: at } : {};
}

/** What a finished step means for the run's own record: the data set, the trained model, the version, the alias. */
function outcomeFor(run: RunRecord, step: StepRecord, produced: KindedOutput, at: string): RunChange {
  switch (produced.kind) {
    case 'prepare':
      return run.datasetDigest === null ? { run: { datasetDigest: produced.output.sourceDigest } } : {};
    case 'train': {
      const trained = produced.output;
      const prefix = metricPrefix(step);
      return {
        run: {
          backend: trained.backend,
          trainingDurationMs: trained.trainingDurationMs,
          samplesPerSecond: trained.samplesPerSecond,
          datasetDigest: trained.sourceDigest,
          ...(run.metrics === null ? { metrics: trained.metrics } : {}),
        },
        metrics: [
          { points: trained.history.flatMap((epoch) => epochMetricPoints(epoch, at, prefix)), keepTimestamps: true },
          { points: evaluationMetricPoints(trained.metrics, trained.history.length + 1, at, prefix), keepTimestamps: false },
        ],
        epochs: [{ step: step.name, epochs: trained.history, replace: true }],
      };
    }
    case 'register':
      return { run: { modelVersion: { model: produced.output.modelName, version: produced.output.version }, metrics: produced.output.metrics } };
    case 'promote':
      return { run: { promotedTo: produced.output.alias } };
    case 'evaluate':
      return {};
  }
}

/** null when the start was never seen (a lost event): an unknown duration, not a zero one. */
function elapsedMs(startedAt: string | null, finishedAt: string): number | null {
  return startedAt === null ? null : Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt));
}
