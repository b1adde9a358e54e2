import type { StepKind } from '@slipway/contracts';

/**
 * Part of every cache key: bump a kind's version when its processing changes what it outputs for the same
 * inputs, so outputs of the old code are never reused.
 */
export const STEP_CODE_VERSIONS: Readonly<Record<StepKind, string>> = {
  prepare: 'prepare-dataset/2',
  train: 'train-model/2',
  evaluate: 'evaluate-models/2',
  register: 'register-model/2',
  promote: 'promote-version/1',
};

/** Promotion moves an alias, a state anyone may have changed since: it always runs. */
export const CACHEABLE_KINDS: readonly StepKind[] = ['prepare', 'train', 'evaluate', 'register'];
