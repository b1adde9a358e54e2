import type { StepStatus } from './run.schema';
import { groupStatus } from './step-group-status';

describe('groupStatus', () => {
  it.each([
    [['succeeded', 'succeeded'], 'succeeded'],
    [['succeeded', 'pending'], 'running'],
    [['pending', 'waiting-for-quota'], 'waiting-for-quota'],
    [['pending', 'pending'], 'pending'],
    [['running', 'failed'], 'failed'],
    [['cached', 'succeeded'], 'succeeded'],
    [['cached', 'skipped'], 'cached'],
  ] as [StepStatus[], StepStatus][])('sums up %j as %s', (statuses, expected) => {
    expect(groupStatus(statuses)).toBe(expected);
  });
});
