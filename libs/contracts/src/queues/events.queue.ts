import { z } from 'zod';
import { runStatusSchema } from '../registry/run.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

export const runStatusChangedEventSchema = z.object({
  runId: z.string(),
  pipelineName: z.string(),
  status: runStatusSchema,
  at: z.iso.datetime(),
});
export type RunStatusChangedEvent = z.infer<typeof runStatusChangedEventSchema>;

/** Sampled predictions carry what drift detection and live accuracy need; the others only count. */
export const predictionPayloadSchema = z.object({
  /** Answers feedback: `POST /api/feedback` names predictions by this id (the request's V2 `id`, or one serving made up). */
  id: z.string().min(1),
  at: z.iso.datetime(),
  /** Raw feature values per column, as the client sent them. */
  inputs: z.record(z.string(), z.array(z.union([z.number(), z.string()]))),
  /** Predicted label per row. */
  labels: z.array(z.string()),
});
export type PredictionPayload = z.infer<typeof predictionPayloadSchema>;

export const predictionRecordSchema = z.object({
  model: z.string(),
  version: z.number().int(),
  rows: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
  ok: z.boolean(),
  prediction: predictionPayloadSchema.optional(),
});
export type PredictionRecord = z.infer<typeof predictionRecordSchema>;

/** Serving sends its prediction records in batches so its hot path never waits on Redis. */
export const predictionBatchEventSchema = z.object({
  source: z.string(),
  records: z.array(predictionRecordSchema).min(1),
});
export type PredictionBatchEvent = z.infer<typeof predictionBatchEventSchema>;

const acknowledgedSchema = z.object({ accepted: z.number().int() });

export const eventsQueue = defineQueue({
  name: 'events',
  jobs: {
    'run-status-changed': { data: runStatusChangedEventSchema, result: acknowledgedSchema },
    'prediction-batch': { data: predictionBatchEventSchema, result: acknowledgedSchema },
  },
  defaultJobOptions: {
    ...STANDARD_JOB_DEFAULTS,
    removeOnComplete: { age: 60 * 60, count: 1_000 },
  },
  lockDurationMs: 30_000,
});
