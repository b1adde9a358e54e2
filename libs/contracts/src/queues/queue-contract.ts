import type { z } from 'zod';

/** The contract of one job name: what goes in, what comes out, what progress it reports. */
export interface JobContract<TData extends z.ZodType = z.ZodType, TResult extends z.ZodType = z.ZodType> {
  readonly data: TData;
  readonly result: TResult;
  readonly progress?: z.ZodType;
}

/** Retry and retention policy shared by every job of a queue (a subset of BullMQ's JobsOptions). */
export interface QueueJobDefaults {
  readonly attempts: number;
  readonly backoff: { readonly type: 'exponential' | 'fixed'; readonly delay: number };
  readonly removeOnComplete: { readonly age: number; readonly count: number };
  readonly removeOnFail: { readonly age: number; readonly count: number };
}

export interface QueueContract<TJobs extends Record<string, JobContract> = Record<string, JobContract>> {
  /** Wire name: a fixed kebab-case literal, never derived from a class name. */
  readonly name: string;
  readonly jobs: TJobs;
  readonly defaultJobOptions: QueueJobDefaults;
  /** How long a worker holds a job's lock before BullMQ considers it stalled, in ms. */
  readonly lockDurationMs: number;
}

export function defineQueue<const TName extends string, TJobs extends Record<string, JobContract>>(
  contract: QueueContract<TJobs> & { name: TName },
): QueueContract<TJobs> & { name: TName } {
  return contract;
}

export type JobName<Q extends QueueContract> = Extract<keyof Q['jobs'], string>;
export type JobData<Q extends QueueContract, N extends JobName<Q>> = z.input<Q['jobs'][N]['data']>;
export type ParsedJobData<Q extends QueueContract, N extends JobName<Q>> = z.output<Q['jobs'][N]['data']>;
export type JobResult<Q extends QueueContract, N extends JobName<Q>> = z.output<Q['jobs'][N]['result']>;

const DAY_SECONDS = 24 * 60 * 60;

/** Keep finished jobs a week (failed two) so runs can be inspected, bounded by count. */
export const STANDARD_JOB_DEFAULTS: QueueJobDefaults = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * DAY_SECONDS, count: 1_000 },
  removeOnFail: { age: 14 * DAY_SECONDS, count: 5_000 },
};
