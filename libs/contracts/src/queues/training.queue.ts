import { z } from 'zod';
import { artifactRefSchema } from '../artifacts/artifact-ref.schema';
import { preparedDatasetRefSchema } from '../dataset/dataset.schema';
import { modelSpecSchema } from '../model/model-spec.schema';
import { epochMetricsSchema, trainingBackendSchema, trainedModelSchema } from '../model/training-result.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

export const trainModelJobSchema = z.object({
  runId: z.string().min(1),
  /** The run's step this job is (`<name>[<index>]` for one training of a grid). */
  step: z.string().min(1),
  dataset: preparedDatasetRefSchema,
  modelSpec: modelSpecSchema,
});
export type TrainModelJob = z.infer<typeof trainModelJobSchema>;

/** Reported with job.updateProgress after every epoch. */
export const trainingProgressSchema = epochMetricsSchema.extend({
  epochs: z.number().int().min(1),
  backend: trainingBackendSchema,
  /**
   * The latest training checkpoint (MEDIA_TYPES.trainingCheckpoint) saved at or before this epoch. BullMQ keeps
   * the job's last progress, so a job taken up again after a crash resumes from it.
   */
  checkpoint: artifactRefSchema.optional(),
});
export type TrainingProgress = z.infer<typeof trainingProgressSchema>;

export const trainingQueue = defineQueue({
  name: 'training',
  jobs: {
    'train-model': { data: trainModelJobSchema, result: trainedModelSchema, progress: trainingProgressSchema },
  },
  defaultJobOptions: STANDARD_JOB_DEFAULTS,
  // Training runs off the event loop, so renewal keeps up; a generous lock still covers GC pauses.
  lockDurationMs: 60_000,
});
