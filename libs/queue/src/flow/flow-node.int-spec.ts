import { defineQueue, type QueueJobDefaults } from '@slipway/contracts';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { FlowProducer, Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { redisOptionsFromUrl } from '../connection/redis-options';
import { JobRouter } from '../consumer/job-router';
import { flowNode } from './flow-node';

class UncountableError extends Error {
  override readonly name = 'UncountableError';
}

const fastRetries: QueueJobDefaults = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 10 },
  removeOnComplete: { age: 3_600, count: 100 },
  removeOnFail: { age: 3_600, count: 100 },
};

const countResultSchema = z.object({ count: z.number().int() });

const countQueue = defineQueue({
  name: 'flow-count',
  jobs: {
    'count-items': {
      data: z.object({ runId: z.string(), items: z.array(z.string()), outcome: z.enum(['count', 'fail']).default('count') }),
      result: countResultSchema,
    },
  },
  defaultJobOptions: fastRetries,
  lockDurationMs: 30_000,
});

const reportQueue = defineQueue({
  name: 'flow-report',
  jobs: {
    'report-total': { data: z.object({ runId: z.string(), multiplier: z.number() }), result: z.object({ total: z.number() }) },
  },
  defaultJobOptions: fastRetries,
  lockDurationMs: 30_000,
});

const silentLogger = { log: () => undefined, error: () => undefined, warn: () => undefined };

describe('flowNode with a real FlowProducer', () => {
  const prefix = uniqueQueuePrefix();
  const parentRuns: string[] = [];
  let redis: TestRedis;
  let flows: FlowProducer;
  let reportEvents: QueueEvents;
  let reportQueueClient: Queue;
  let workers: Worker[];

  beforeAll(async () => {
    redis = await startTestRedis();
    const connection = redisOptionsFromUrl(redis.url);
    const metrics = new Registry();
    const countRouter = new JobRouter(
      countQueue,
      {
        'count-items': async (data) => {
          if (data.outcome === 'fail') throw new UncountableError(`run ${data.runId}: the items cannot be counted`);
          return { count: data.items.length };
        },
      },
      { logger: silentLogger, metrics, isPermanentError: (error) => error instanceof UncountableError },
    );
    const reportRouter = new JobRouter(
      reportQueue,
      {
        'report-total': async (data, job) => {
          parentRuns.push(data.runId);
          const [child] = Object.values(await job.getChildrenValues());
          const { count } = countResultSchema.parse(child);
          return { total: count * data.multiplier };
        },
      },
      { logger: silentLogger, metrics },
    );
    flows = new FlowProducer({ connection, prefix });
    reportEvents = new QueueEvents(reportQueue.name, { connection, prefix });
    reportQueueClient = new Queue(reportQueue.name, { connection, prefix });
    workers = [
      new Worker(countQueue.name, (job) => countRouter.process(job), { connection, prefix }),
      new Worker(reportQueue.name, (job) => reportRouter.process(job), { connection, prefix }),
    ];
    await Promise.all([reportEvents.waitUntilReady(), ...workers.map((worker) => worker.waitUntilReady())]);
  });

  afterAll(async () => {
    await Promise.all((workers ?? []).map((worker) => worker.close()));
    await reportEvents?.close();
    await reportQueueClient?.close();
    await flows?.close();
    if (redis) {
      await removeQueuePrefix(redis.url, prefix);
      await redis.stop();
    }
  });

  async function submit(runId: string, items: string[], outcome: 'count' | 'fail', multiplier = 3): Promise<Job> {
    const { job } = await flows.add(
      flowNode(reportQueue, 'report-total', { runId, multiplier }, {
        prefix,
        jobId: `${runId}-report`,
        children: [flowNode(countQueue, 'count-items', { runId, items, outcome }, { prefix, jobId: `${runId}-count`, opts: { failParentOnFailure: true } })],
      }),
    );
    return job;
  }

  async function expectParentFailedOnce(parent: Job): Promise<Job> {
    await expect(parent.waitUntilFinished(reportEvents)).rejects.toThrow();
    const failed = await reportQueueClient.getJob(parent.id ?? '');
    expect(await failed?.getState()).toBe('failed');
    return failed as Job;
  }

  it('runs the child first and gives its result to the parent', async () => {
    const items = ['setosa', 'versicolor', 'virginica', 'setosa'];
    const multiplier = 5;
    const parent = await submit('run-ok', items, 'count', multiplier);
    await expect(parent.waitUntilFinished(reportEvents)).resolves.toEqual({ total: items.length * multiplier });
  });

  it('fails the parent, without running it, when a child with failParentOnFailure fails for good', async () => {
    const parent = await submit('run-child-fails', ['a'], 'fail');
    await expectParentFailedOnce(parent);
    expect(parentRuns).not.toContain('run-child-fails');
  });
});
