import { z } from 'zod';
import { datasetSourceSchema, preparedDatasetRefSchema } from '../dataset/dataset.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

export const prepareDatasetJobSchema = z.object({
  runId: z.string().min(1),
  source: datasetSourceSchema,
});
export type PrepareDatasetJob = z.infer<typeof prepareDatasetJobSchema>;

export const dataPrepQueue = defineQueue({
  name: 'data-prep',
  jobs: {
    'prepare-dataset': { data: prepareDatasetJobSchema, result: preparedDatasetRefSchema },
  },
  defaultJobOptions: STANDARD_JOB_DEFAULTS,
  lockDurationMs: 30_000,
});
