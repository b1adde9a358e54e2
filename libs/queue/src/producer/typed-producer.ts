import { describeZodError, type JobData, type JobName, type QueueContract } from '@slipway/contracts';
import type { JobsOptions, Queue } from 'bullmq';
import { InvalidJobError } from '../consumer/invalid-job.error';

/** Adds jobs to one queue; a payload only compiles when it matches the job name's contract, and is validated again at run time. */
export class TypedProducer<Q extends QueueContract> {
  constructor(
    private readonly contract: Q,
    readonly queue: Queue,
  ) {}

  async add<N extends JobName<Q>>(name: N, data: JobData<Q, N>, options: JobsOptions = {}): Promise<string> {
    const parsed = this.contract.jobs[name].data.safeParse(data);
    if (!parsed.success) {
      throw new InvalidJobError(`${this.contract.name}/${name}: ${describeZodError(parsed.error)}`);
    }
    const job = await this.queue.add(name, parsed.data, { ...this.contract.defaultJobOptions, ...options });
    if (!job.id) throw new Error(`${this.contract.name}/${name}: BullMQ returned a job without an id`);
    return job.id;
  }
}
