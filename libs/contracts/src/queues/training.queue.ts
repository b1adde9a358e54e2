import { z } from 'zod';
import { artifactRefSchema } from '../artifacts/artifact-ref.schema';
import { preparedDatasetRefSchema } from '../dataset/dataset.schema';
import { modelSpecSchema } from '../model/model-spec.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

export const TF_BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const tfBackendSchema = z.enum(TF_BACKENDS);
export type TfBackend = z.infer<typeof tfBackendSchema>;

export const trainModelJobSchema = z.object({
  runId: z.string().min(1),
  /** The run's step this job is (`<name>[<index>]` for one training of a grid). */
  step: z.string().min(1),
  dataset: preparedDatasetRefSchema,
  modelSpec: modelSpecSchema,
});
export type TrainModelJob = z.infer<typeof trainModelJobSchema>;

export const epochMetricsSchema = z.object({
  epoch: z.number().int().min(1),
  loss: z.number(),
  accuracy: z.number(),
  valLoss: z.number().optional(),
  valAccuracy: z.number().optional(),
  durationMs: z.number().nonnegative(),
});
export type EpochMetrics = z.infer<typeof epochMetricsSchema>;

/** Reported with job.updateProgress after every epoch. */
export const trainingProgressSchema = epochMetricsSchema.extend({
  epochs: z.number().int().min(1),
  backend: tfBackendSchema,
  /**
   * The latest training checkpoint (MEDIA_TYPES.trainingCheckpoint) saved at or before this epoch. BullMQ keeps
   * the job's last progress, so a job taken up again after a crash resumes from it.
   */
  checkpoint: artifactRefSchema.optional(),
});
export type TrainingProgress = z.infer<typeof trainingProgressSchema>;

export const evaluationMetricsSchema = z.object({
  testAccuracy: z.number().min(0).max(1),
  testLoss: z.number(),
  testRows: z.number().int().nonnegative(),
});
export type EvaluationMetrics = z.infer<typeof evaluationMetricsSchema>;

export const trainedModelSchema = z.object({
  sourceDigest: z.string(),
  model: artifactRefSchema,
  transform: artifactRefSchema,
  backend: tfBackendSchema,
  metrics: evaluationMetricsSchema,
  history: z.array(epochMetricsSchema),
  trainingDurationMs: z.number().nonnegative(),
  samplesPerSecond: z.number().nonnegative(),
});
export type TrainedModel = z.infer<typeof trainedModelSchema>;

export const trainingQueue = defineQueue({
  name: 'training',
  jobs: {
    'train-model': { data: trainModelJobSchema, result: trainedModelSchema, progress: trainingProgressSchema },
  },
  defaultJobOptions: STANDARD_JOB_DEFAULTS,
  // Training runs off the event loop, so renewal keeps up; a generous lock still covers GC pauses.
  lockDurationMs: 60_000,
});
