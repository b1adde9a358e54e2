import { describeZodError, type JobData, type JobName, type QueueContract } from '@slipway/contracts';
import type { FlowJob, JobsOptions } from 'bullmq';
import { InvalidJobError } from '../consumer/invalid-job.error';

export interface FlowNodeOptions {
  prefix: string;
  /** Deterministic id, so submitting the same step twice never creates a second job. */
  jobId: string;
  children?: FlowJob[];
  opts?: JobsOptions;
}

/** A typed, validated node of a BullMQ flow: children run first, and the parent reads their results. */
export function flowNode<Q extends QueueContract, N extends JobName<Q>>(
  contract: Q,
  name: N,
  data: JobData<Q, N>,
  options: FlowNodeOptions,
): FlowJob {
  const parsed = contract.jobs[name].data.safeParse(data);
  if (!parsed.success) throw new InvalidJobError(`${contract.name}/${name}: ${describeZodError(parsed.error)}`);
  return {
    name,
    queueName: contract.name,
    prefix: options.prefix,
    data: parsed.data,
    opts: { ...contract.defaultJobOptions, ...options.opts, jobId: options.jobId },
    children: options.children,
  };
}
