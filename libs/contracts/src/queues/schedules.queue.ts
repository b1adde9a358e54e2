import { z } from 'zod';
import { scheduleNameSchema } from '../registry/schedule.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

/** One trigger of a schedule; BullMQ's job scheduler (id = schedule name) adds it with the id `repeat:<name>:<millis>`. */
export const scheduledRunJobSchema = z.object({ scheduleId: scheduleNameSchema });
export type ScheduledRunJob = z.infer<typeof scheduledRunJobSchema>;

/**
 * `submitted`: this trigger submitted `runId`. `already-submitted`: a retry of a trigger that had submitted
 * `runId` before. `paused` / `unknown-schedule`: a trigger that outlived its schedule's pause or deletion.
 */
export const scheduledRunOutcomeSchema = z.enum(['submitted', 'already-submitted', 'paused', 'unknown-schedule']);
export type ScheduledRunOutcome = z.infer<typeof scheduledRunOutcomeSchema>;

export const scheduledRunResultSchema = z.object({
  outcome: scheduledRunOutcomeSchema,
  runId: z.string().nullable(),
});
export type ScheduledRunResult = z.infer<typeof scheduledRunResultSchema>;

export const schedulesQueue = defineQueue({
  name: 'pipeline-schedules',
  jobs: {
    'scheduled-run': { data: scheduledRunJobSchema, result: scheduledRunResultSchema },
  },
  defaultJobOptions: STANDARD_JOB_DEFAULTS,
  lockDurationMs: 30_000,
});
