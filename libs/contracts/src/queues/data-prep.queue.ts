import { z } from 'zod';
import { datasetSourceSchema, preparedDatasetRefSchema } from '../dataset/dataset.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

export const prepareDatasetJobSchema = z.object({
  runId: z.string().min(1),
  /** The run's step this job is (its name in the run). */
  step: z.string().min(1),
  source: datasetSourceSchema,
  /**
   * Outputs earlier runs prepared from this same source and params, by the content digest of the raw file they
   * read. When the file's digest is among them and their artifacts still exist, the job returns that output
   * instead of preparing again (the registry cannot hash the file itself: only data-prep reads the data).
   */
  reusable: z.array(z.object({ sourceDigest: z.string(), output: preparedDatasetRefSchema })).default([]),
});
export type PrepareDatasetJob = z.infer<typeof prepareDatasetJobSchema>;

export const prepareDatasetResultSchema = preparedDatasetRefSchema.extend({
  /** True when an earlier output was returned instead of preparing again. */
  reused: z.boolean().default(false),
});
export type PrepareDatasetResult = z.infer<typeof prepareDatasetResultSchema>;

export const dataPrepQueue = defineQueue({
  name: 'data-prep',
  jobs: {
    'prepare-dataset': { data: prepareDatasetJobSchema, result: prepareDatasetResultSchema },
  },
  defaultJobOptions: STANDARD_JOB_DEFAULTS,
  lockDurationMs: 30_000,
});
