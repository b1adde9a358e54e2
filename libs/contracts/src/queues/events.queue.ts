import { z } from 'zod';
import { legacyPredictionBatchSchema, predictionLogEventSchema } from '../monitoring/prediction-log.schema';
import { runStatusSchema } from '../registry/run.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

export const runStatusChangedEventSchema = z.object({
  runId: z.string(),
  pipelineName: z.string(),
  status: runStatusSchema,
  at: z.iso.datetime(),
});
export type RunStatusChangedEvent = z.infer<typeof runStatusChangedEventSchema>;

const acknowledgedSchema = z.object({ accepted: z.number().int() });

export const eventsQueue = defineQueue({
  name: 'events',
  jobs: {
    'run-status-changed': { data: runStatusChangedEventSchema, result: acknowledgedSchema },
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
