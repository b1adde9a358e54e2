import { z } from 'zod';
import { legacyPredictionBatchSchema, predictionLogEventSchema } from '../monitoring/prediction-log.schema';
import { stepKindSchema } from '../pipeline/pipeline-step.schema';
import { runStatusSchema, stepStatusSchema } from '../registry/run.schema';
import { epochMetricsSchema } from '../model/training-result.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

export const runStatusChangedEventSchema = z.object({
  runId: z.string(),
  pipelineName: z.string(),
  status: runStatusSchema,
  at: z.iso.datetime(),
});
export type RunStatusChangedEvent = z.infer<typeof runStatusChangedEventSchema>;

/**
 * A step of a run changed status, as the registry recorded it (the only source of step status: it alone knows a
 * step was cached, skipped, or failed by the engine although its job succeeded). A running training also reports
 * each epoch it finished. Published after commit, so `at` orders the events of one step.
 */
export const stepStatusChangedEventSchema = z.object({
  runId: z.string(),
  pipelineName: z.string(),
  /** The run's step: the pipeline step's name, or `<name>[<index>]` for one training of a grid. */
  step: z.string(),
  /** The pipeline step it belongs to. */
  pipelineStep: z.string(),
  kind: stepKindSchema,
  status: stepStatusSchema,
  at: z.iso.datetime(),
  /** The epoch a running training just finished, with how many it will train. */
  epoch: epochMetricsSchema.extend({ epochs: z.number().int().min(1) }).optional(),
});
export type StepStatusChangedEvent = z.infer<typeof stepStatusChangedEventSchema>;

const acknowledgedSchema = z.object({ accepted: z.number().int() });

export const eventsQueue = defineQueue({
  name: 'events',
  jobs: {
    'run-status-changed': { data: runStatusChangedEventSchema, result: acknowledgedSchema },
    'step-status-changed': { data: stepStatusChangedEventSchema, result: acknowledgedSchema },
    /** Serving's columnar prediction log, a batch of answered requests per job. */
    'prediction-log': { data: predictionLogEventSchema, result: acknowledgedSchema },
    /** Read only: what replicas before `prediction-log` sent, parsed into the same columnar event. */
    'prediction-batch': { data: legacyPredictionBatchSchema, result: acknowledgedSchema },
  },
  defaultJobOptions: {
    ...STANDARD_JOB_DEFAULTS,
    removeOnComplete: { age: 60 * 60, count: 1_000 },
  },
  lockDurationMs: 30_000,
});
