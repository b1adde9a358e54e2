import { describeZodError } from '@slipway/contracts';
import type { Job } from 'bullmq';
import type { z } from 'zod';
import { InvalidJobError } from '../consumer/invalid-job.error';

/** The single child result a flow step depends on, validated against the child's result contract. */
export async function readChildResult<T extends z.ZodType>(job: Job, schema: T, childDescription: string): Promise<z.output<T>> {
  const values = Object.values(await job.getChildrenValues());
  if (values.length !== 1) {
    throw new InvalidJobError(`${job.queueName}/${job.name} ${job.id}: expected one ${childDescription} result, found ${values.length}`);
  }
  const parsed = schema.safeParse(values[0]);
  if (!parsed.success) throw new InvalidJobError(`${childDescription} result: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
