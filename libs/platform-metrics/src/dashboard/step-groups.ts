import { groupStatus, type DashboardSnapshot, type RunStep, type StepStatus } from '@slipway/contracts';

export type StepGroup = NonNullable<DashboardSnapshot['runs']>[number]['stepGroups'][number];

/** A run's steps by pipeline step, in the order the run lists them, each with its count of rows per status. */
export function stepGroupsOf(steps: readonly RunStep[]): StepGroup[] {
  const groups = new Map<string, StepStatus[]>();
  for (const { step, status } of steps) {
    const statuses = groups.get(step) ?? [];
    statuses.push(status);
    groups.set(step, statuses);
  }
  return [...groups].map(([step, statuses]) => {
    const counts: Record<string, number> = {};
    for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
    return { step, status: groupStatus(statuses), rows: statuses.length, statuses: counts };
  });
}
