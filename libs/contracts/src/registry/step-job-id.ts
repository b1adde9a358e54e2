/**
 * Deterministic BullMQ job id of a step of a run: resubmitting it never creates a second job. `generation`
 * counts the run's resumes, so a resumed step gets a fresh job instead of finding its failed one.
 * Run ids have no dots and step names none either (`train[3]` for a grid's training), so the id splits back.
 */
export function stepJobId(runId: string, step: string, generation: number): string {
  return `${runId}.${step}.${generation}`;
}

export interface StepJobRef {
  runId: string;
  step: string;
  generation: number;
}

/** The run and step a job id belongs to, or undefined for jobs that are not pipeline steps. */
export function parseStepJobId(jobId: string): StepJobRef | undefined {
  const match = /^([a-z0-9][a-z0-9-]*)\.([a-z][a-z0-9-]*(?:\[\d+\])?)\.(\d+)$/.exec(jobId);
  if (!match) return undefined;
  return { runId: match[1], step: match[2], generation: Number(match[3]) };
}

/** The name of one training of a grid step. */
export function gridStepName(step: string, index: number): string {
  return `${step}[${index}]`;
}
