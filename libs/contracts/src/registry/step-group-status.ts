import { FINISHED_STEP_STATUSES, type StepStatus } from './run.schema';

/**
 * One status for the rows of a pipeline step (the trainings of a grid): failed once one failed, running once one
 * started and some are unfinished, succeeded when all finished and one ran (a step has at least one row). The CLI
 * and the dashboard show it.
 */
export function groupStatus(statuses: readonly StepStatus[]): StepStatus {
  const distinct = new Set(statuses);
  if (distinct.size === 1) return statuses[0] ?? 'pending';
  if (distinct.has('failed')) return 'failed';
  const unfinished = statuses.filter((status) => !FINISHED_STEP_STATUSES.includes(status));
  if (unfinished.length === 0) return distinct.has('succeeded') ? 'succeeded' : 'cached';
  if (unfinished.length < statuses.length || distinct.has('running')) return 'running';
  return distinct.has('waiting-for-quota') ? 'waiting-for-quota' : 'pending';
}
