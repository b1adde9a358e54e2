import type { EpochMetrics, Run, RunStep, RunSummary, RunTrainingCurves } from '@slipway/contracts';
import type { RunHeader, RunRecord, StepRecord } from './run-entities';

// The REST shapes of a run (the contracts' Run, RunSummary, RunTrainingCurves), projected from its entities.

export function toRunSummary(run: RunHeader): RunSummary {
  const { id, pipelineName, status, createdAt, finishedAt, error, metrics, modelVersion } = run;
  return { id, pipelineName, status, createdAt, finishedAt, error, metrics, modelVersion };
}

/** `curve`: the epochs of the training the run's model came from ({@link curveStepOf}). */
export function toRun(run: RunRecord, curve: readonly EpochMetrics[]): Run {
  return {
    ...toRunSummary(run),
    startedAt: run.startedAt,
    pipeline: run.pipeline,
    team: run.team,
    submittedBy: run.submittedBy,
    resumes: run.resumes,
    steps: run.steps.map(toRunStep),
    epochs: [...curve],
    datasetDigest: run.datasetDigest,
    backend: run.backend,
    promotedTo: run.promotedTo,
  };
}

/** The training whose curve describes the run: the one behind its registered version, else its first training. */
export function curveStepOf(run: RunRecord): string | undefined {
  for (const step of run.steps) if (step.kind === 'register' && step.output !== null) return step.output.trainStep;
  return run.steps.find((step) => step.kind === 'train')?.name;
}

/** Every training of the run with its curve, in pipeline order. */
export function toTrainingCurves(run: RunRecord, epochs: ReadonlyMap<string, readonly EpochMetrics[]>): RunTrainingCurves {
  return {
    runId: run.id,
    trainings: run.steps
      .filter((step) => step.kind === 'train')
      .map((step) => ({ step: step.name, grid: step.grid === null ? null : { ...step.grid }, status: step.status, epochs: [...(epochs.get(step.name) ?? [])] })),
  };
}

function toRunStep(step: StepRecord): RunStep {
  return {
    name: step.name,
    step: step.step,
    kind: step.kind,
    grid: step.grid === null ? null : { ...step.grid },
    status: step.status,
    attempts: step.attempts,
    startedAt: step.startedAt,
    finishedAt: step.finishedAt,
    durationMs: step.durationMs,
    error: step.error,
    cache: { key: step.cache.key, cachedFrom: step.cache.cachedFrom },
    progress: step.progress,
    metrics: step.metrics,
    dataset: step.kind === 'prepare' && step.output !== null ? { task: step.output.task, rowCounts: step.output.rowCounts, columns: step.output.report } : null,
    earlyStopped: step.kind === 'train' ? (step.output?.earlyStopped ?? null) : null,
  };
}
