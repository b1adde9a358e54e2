import { dataPrepQueue, type JobData } from '@slipway/contracts';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { Queue } from 'bullmq';
import { redisOptionsFromUrl } from '../connection/redis-options';
import { InvalidJobError } from '../consumer/invalid-job.error';
import { TypedProducer } from './typed-producer';

describe('TypedProducer against a real Redis', () => {
  const prefix = uniqueQueuePrefix();
  let redis: TestRedis;
  let queue: Queue;
  let producer: TypedProducer<typeof dataPrepQueue>;

  const validJob = (runId: string): JobData<typeof dataPrepQueue, 'prepare-dataset'> => ({
    runId,
    step: 'prepare',
    source: { uri: 'data/iris.csv', labelColumn: 'species' },
  });

  // Every state (waiting, delayed, prioritized, …), so a job that went anywhere is seen.
  const jobsInQueue = async (): Promise<number> => Object.values(await queue.getJobCounts()).reduce((total, count) => total + count, 0);

  beforeAll(async () => {
    redis = await startTestRedis();
    queue = new Queue(dataPrepQueue.name, { connection: redisOptionsFromUrl(redis.url), prefix });
    producer = new TypedProducer(dataPrepQueue, queue);
  });

  afterEach(async () => {
    await queue.obliterate({ force: true });
  });

  afterAll(async () => {
    await queue?.close();
    if (redis) {
      await removeQueuePrefix(redis.url, prefix);
      await redis.stop();
    }
  });

  it('rejects a bad payload naming the field path, and queues nothing', async () => {
    const bad = { runId: 'run-1', step: 'prepare', source: { uri: 'data/iris.csv', labelColumn: '' } };
    const attempt = producer.add('prepare-dataset', bad);
    await expect(attempt).rejects.toThrow(InvalidJobError);
    await expect(attempt).rejects.toThrow(/source\.labelColumn/);
    expect(await jobsInQueue()).toBe(0);
  });

  it('queues the parsed payload, with the contract defaults filled in', async () => {
    const input = validJob('run-2');
    const id = await producer.add('prepare-dataset', input);
    const job = await queue.getJob(id);
    expect(job?.name).toBe('prepare-dataset');
    expect(job?.data).toEqual(dataPrepQueue.jobs['prepare-dataset'].data.parse(input));
  });

  it("applies the contract's default job options", async () => {
    const id = await producer.add('prepare-dataset', validJob('run-3'));
    const { attempts, backoff, removeOnComplete, removeOnFail } = (await queue.getJob(id))?.opts ?? {};
    expect({ attempts, backoff, removeOnComplete, removeOnFail }).toEqual(dataPrepQueue.defaultJobOptions);
  });

  it('lets per-job options override a default and keeps the others', async () => {
    const attempts = dataPrepQueue.defaultJobOptions.attempts + 2;
    const id = await producer.add('prepare-dataset', validJob('run-4'), { attempts });
    const opts = (await queue.getJob(id))?.opts;
    expect(opts?.attempts).toBe(attempts);
    expect(opts?.backoff).toEqual(dataPrepQueue.defaultJobOptions.backoff);
  });

  it('queues a job once when it is added twice with the same deterministic id', async () => {
    const first = await producer.add('prepare-dataset', validJob('run-5'), { jobId: 'run-5-prepare' });
    const second = await producer.add('prepare-dataset', validJob('run-5'), { jobId: 'run-5-prepare' });
    expect(second).toBe(first);
    expect(await jobsInQueue()).toBe(1);
  });
});
