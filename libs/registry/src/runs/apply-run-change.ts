import type { RunRecord, StepRecord } from './run-entities';
import type { RunChange } from './run-store';

/** The run as it reads once `change` is written: what every store returns after a change, without reading again. */
export function applyRunChange(run: RunRecord, change: RunChange): RunRecord {
  const patches = new Map((change.steps ?? []).map(({ name, patch }) => [name, patch]));
  return {
    ...run,
    ...change.run,
    // A patch keeps a step's kind, and the transitions only give a step an output of its own kind.
    steps: run.steps.map((step) => (patches.has(step.name) ? ({ ...step, ...patches.get(step.name) } as StepRecord) : step)),
  };
}
