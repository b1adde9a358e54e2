import { z } from 'zod';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

/**
 * The parent of every step's job in a BullMQ flow: it runs when its step's job has finished (succeeded, or
 * failed for good — the step job ignores its dependency on failure), records the outcome and queues what
 * became ready. Because it lives in Redis with the step's job, no outcome is lost while the registry is down.
 */
export const stepFinishedJobSchema = z.object({
  runId: z.string().min(1),
  step: z.string().min(1),
  generation: z.number().int().nonnegative(),
});
export type StepFinishedJob = z.infer<typeof stepFinishedJobSchema>;

export const pipelineQueue = defineQueue({
  name: 'pipeline',
  jobs: {
    'step-finished': { data: stepFinishedJobSchema, result: z.object({ queued: z.array(z.string()) }) },
  },
  defaultJobOptions: { ...STANDARD_JOB_DEFAULTS, attempts: 10, backoff: { type: 'exponential', delay: 500 } },
  lockDurationMs: 30_000,
});
