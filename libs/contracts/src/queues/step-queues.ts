import type { StepKind } from '../pipeline/pipeline-step.schema';
import { dataPrepQueue } from './data-prep.queue';
import type { JobData, JobName } from './queue-contract';
import { registrationQueue } from './registration.queue';
import { trainingQueue } from './training.queue';

/** The queue each kind of pipeline step runs on (the registry consumes `registration` itself). */
export const STEP_QUEUES = {
  prepare: dataPrepQueue,
  train: trainingQueue,
  evaluate: registrationQueue,
  register: registrationQueue,
  promote: registrationQueue,
} as const;

/** The job name each kind of step is queued as. */
export const STEP_JOB_NAMES = {
  prepare: 'prepare-dataset',
  train: 'train-model',
  evaluate: 'evaluate-models',
  register: 'register-model',
  promote: 'promote-version',
} as const satisfies { [K in StepKind]: keyof (typeof STEP_QUEUES)[K]['jobs'] };

type StepQueue<K extends StepKind> = (typeof STEP_QUEUES)[K];
type StepJobName<K extends StepKind> = (typeof STEP_JOB_NAMES)[K];
type StepJobData<K extends StepKind> = StepJobName<K> extends JobName<StepQueue<K>> ? JobData<StepQueue<K>, StepJobName<K>> : never;

/** A step's job as its queue's contract types it: a payload of another job name does not compile. */
export type StepJobOf<K extends StepKind> = {
  kind: K;
  queue: StepQueue<K>['name'];
  job: StepJobName<K>;
  data: StepJobData<K>;
};
export type StepJob = { [K in StepKind]: StepJobOf<K> }[StepKind];

/** The job of a step of kind `kind` carrying `data`. */
export function stepJob<K extends StepKind>(kind: K, data: StepJobOf<K>['data']): StepJobOf<K> {
  return { kind, queue: STEP_QUEUES[kind].name, job: STEP_JOB_NAMES[kind], data };
}
