import { STEP_NAMES, type StepName } from './run.schema';

/** Deterministic BullMQ job id of a run's step: resubmitting a step never creates a second job. */
export function stepJobId(runId: string, step: StepName): string {
  return `${runId}.${step}`;
}

/** The run and step a job id belongs to, or undefined for jobs that are not pipeline steps. */
export function parseStepJobId(jobId: string): { runId: string; step: StepName } | undefined {
  const dot = jobId.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const step = jobId.slice(dot + 1);
  if (!(STEP_NAMES as readonly string[]).includes(step)) return undefined;
  return { runId: jobId.slice(0, dot), step: step as StepName };
}
