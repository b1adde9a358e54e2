import type { LoggerService } from '@nestjs/common';
import { defineQueue } from '@slipway/contracts';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Counter, Registry } from 'prom-client';
import { z } from 'zod';
import { redisOptionsFromUrl } from '../connection/redis-options';
import { JobRouter } from './job-router';

class BadSpecError extends Error {
  override readonly name = 'BadSpecError';
}

class FlakyBackendError extends Error {
  override readonly name = 'FlakyBackendError';
}

const sumJobSchema = z.object({
  runId: z.string().min(1),
  operands: z.object({ left: z.number(), right: z.number() }),
  behaviour: z.enum(['succeed', 'fail-permanently', 'fail-first-attempt']).default('succeed'),
});

// Three attempts with a 10 ms backoff: a retry is observable without slowing the suite down.
const sumQueue = defineQueue({
  name: 'router-test',
  jobs: { 'sum-operands': { data: sumJobSchema, result: z.object({ sum: z.number() }) } },
  defaultJobOptions: {
    attempts: 3,
    backoff: { type: 'fixed', delay: 10 },
    removeOnComplete: { age: 3_600, count: 100 },
    removeOnFail: { age: 3_600, count: 100 },
  },
  lockDurationMs: 30_000,
});

type LogEntry = Record<string, unknown>;

class RecordingLogger implements LoggerService {
  readonly entries: LogEntry[] = [];
  log(entry: LogEntry): void {
    this.entries.push(entry);
  }
  error(entry: LogEntry): void {
    this.entries.push(entry);
  }
  warn(entry: LogEntry): void {
    this.entries.push(entry);
  }
  forJob(jobId: string | undefined): LogEntry[] {
    return this.entries.filter((entry) => entry['jobId'] === jobId);
  }
}

describe('JobRouter with a real BullMQ worker', () => {
  const prefix = uniqueQueuePrefix();
  const logger = new RecordingLogger();
  const metrics = new Registry();
  const handlerCalls = new Map<string, number>();
  let redis: TestRedis;
  let queue: Queue;
  let events: QueueEvents;
  let worker: Worker;

  beforeAll(async () => {
    redis = await startTestRedis();
    const connection = redisOptionsFromUrl(redis.url);
    const router = new JobRouter(
      sumQueue,
      {
        'sum-operands': async (data, job) => {
          const calls = (handlerCalls.get(job.id ?? '') ?? 0) + 1;
          handlerCalls.set(job.id ?? '', calls);
          if (data.behaviour === 'fail-permanently') throw new BadSpecError(`run ${data.runId}: the spec cannot be trained`);
          if (data.behaviour === 'fail-first-attempt' && calls === 1) throw new FlakyBackendError('backend busy, try again');
          return { sum: data.operands.left + data.operands.right };
        },
      },
      { logger, metrics, isPermanentError: (error) => error instanceof BadSpecError },
    );
    queue = new Queue(sumQueue.name, { connection, prefix });
    events = new QueueEvents(sumQueue.name, { connection, prefix });
    worker = new Worker(sumQueue.name, (job) => router.process(job), { connection, prefix, concurrency: 4 });
    await Promise.all([events.waitUntilReady(), worker.waitUntilReady()]);
  });

  afterAll(async () => {
    await worker?.close();
    await events?.close();
    await queue?.close();
    if (redis) {
      await removeQueuePrefix(redis.url, prefix);
      await redis.stop();
    }
  });

  const addRaw = (name: string, data: unknown): Promise<Job> => queue.add(name, data, { ...sumQueue.defaultJobOptions });

  async function expectFailedOnce(job: Job): Promise<Job> {
    await expect(job.waitUntilFinished(events)).rejects.toThrow();
    const failed = await queue.getJob(job.id ?? '');
    expect(await failed?.getState()).toBe('failed');
    expect(failed?.attemptsMade).toBe(1);
    return failed as Job;
  }

  it('completes a valid job with the result of its handler', async () => {
    const job = await addRaw('sum-operands', { runId: 'run-ok', operands: { left: 19, right: 23 } });
    await expect(job.waitUntilFinished(events)).resolves.toEqual({ sum: 19 + 23 });
    expect(handlerCalls.get(job.id ?? '')).toBe(1);
  });

  it('logs start and end of the job with its queue, name, id, run id and duration', async () => {
    const job = await addRaw('sum-operands', { runId: 'run-logged', operands: { left: 1, right: 2 } });
    await job.waitUntilFinished(events);
    const [started, completed] = logger.forJob(job.id);
    expect(started).toMatchObject({ event: 'job.started', queue: sumQueue.name, job: 'sum-operands', runId: 'run-logged' });
    expect(completed).toMatchObject({ event: 'job.completed', queue: sumQueue.name, job: 'sum-operands', runId: 'run-logged' });
    expect(completed?.['durationMs']).toEqual(expect.any(Number));
  });

  it('fails a job with an invalid payload once, naming the field, without calling the handler', async () => {
    expect(sumQueue.defaultJobOptions.attempts).toBeGreaterThan(1);
    const job = await addRaw('sum-operands', { runId: 'run-bad-payload', operands: { left: 'nineteen', right: 23 } });
    const failed = await expectFailedOnce(job);
    expect(failed.failedReason).toContain('operands.left');
    expect(handlerCalls.has(job.id ?? '')).toBe(false);
  });

  it.each(['no-such-job', 'constructor'])('fails a job named "%s", which the contract does not define, once', async (name) => {
    const job = await addRaw(name, { runId: 'run-unknown-job', operands: { left: 1, right: 2 } });
    const failed = await expectFailedOnce(job);
    expect(failed.failedReason).toContain(name);
  });

  it('fails a job once when the handler throws a permanent domain error', async () => {
    const job = await addRaw('sum-operands', { runId: 'run-permanent', operands: { left: 1, right: 2 }, behaviour: 'fail-permanently' });
    const failed = await expectFailedOnce(job);
    expect(failed.failedReason).toContain('run-permanent: the spec cannot be trained');
    expect(handlerCalls.get(job.id ?? '')).toBe(1);
    expect(logger.forJob(job.id).find((entry) => entry['event'] === 'job.failed')).toMatchObject({ error: 'BadSpecError', permanent: true });
  });

  it('retries a transient error with the contract backoff and completes on the second attempt', async () => {
    const job = await addRaw('sum-operands', { runId: 'run-flaky', operands: { left: 5, right: 8 }, behaviour: 'fail-first-attempt' });
    await expect(job.waitUntilFinished(events)).resolves.toEqual({ sum: 5 + 8 });
    expect(handlerCalls.get(job.id ?? '')).toBe(2);
    expect(logger.forJob(job.id).find((entry) => entry['event'] === 'job.failed')).toMatchObject({ error: 'FlakyBackendError', permanent: false, attempt: 1 });
  });

  it('counts outcomes per queue, job and error class in slipway_jobs_processed_total', async () => {
    const count = async (outcome: string, error: string): Promise<number> => {
      const counter = metrics.getSingleMetric('slipway_jobs_processed_total') as Counter | undefined;
      const values = counter ? (await counter.get()).values : [];
      return values
        .filter(({ labels }) => labels['queue'] === sumQueue.name && labels['job'] === 'sum-operands' && labels['outcome'] === outcome && labels['error'] === error)
        .reduce((total, { value }) => total + value, 0);
    };
    const before = {
      completed: await count('completed', ''),
      permanent: await count('failed', 'BadSpecError'),
      transient: await count('failed', 'FlakyBackendError'),
    };

    const succeeding = await addRaw('sum-operands', { runId: 'run-count-ok', operands: { left: 1, right: 1 } });
    const permanent = await addRaw('sum-operands', { runId: 'run-count-permanent', operands: { left: 1, right: 1 }, behaviour: 'fail-permanently' });
    const flaky = await addRaw('sum-operands', { runId: 'run-count-flaky', operands: { left: 1, right: 1 }, behaviour: 'fail-first-attempt' });
    await succeeding.waitUntilFinished(events);
    await expect(permanent.waitUntilFinished(events)).rejects.toThrow();
    await flaky.waitUntilFinished(events);

    expect(await count('completed', '')).toBe(before.completed + 2);
    expect(await count('failed', 'BadSpecError')).toBe(before.permanent + 1);
    expect(await count('failed', 'FlakyBackendError')).toBe(before.transient + 1);
  });
});
