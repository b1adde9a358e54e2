import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUEUE_PREFIX, trainingQueue } from '@slipway/contracts';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { Queue, QueueKeys } from 'bullmq';
import { Redis } from 'ioredis';
import { downloadGoModule } from './schemas/go-module';
import { helmTemplate } from './support/helm';
import { ofKind, type K8sObject } from './support/manifests';
import { SCHEMA_SOURCES } from './support/pins';
import { valueSet } from './support/value-sets';

/** The keys KEDA must count for the training queue: BullMQ's own key names for the code's queue name and prefix. */
function trainingQueueKeys(prefix: string) {
  const keys = new QueueKeys(prefix).getKeys(trainingQueue.name);
  return { wait: keys['wait'], prioritized: keys['prioritized'] };
}

/** Trigger name → listName of the chart's trainer ScaledObject. */
function scaledObjectKeys(objects: K8sObject[]): Record<string, string> {
  const [scaledObject] = ofKind(objects, 'ScaledObject');
  const triggers = (scaledObject?.spec as { triggers: { type: string; name: string; metadata: { listName: string } }[] }).triggers;
  expect(triggers.every((trigger) => trigger.type === 'redis')).toBe(true);
  return Object.fromEntries(triggers.map((trigger) => [trigger.name, trigger.metadata.listName]));
}

/** The Lua script KEDA's Redis scaler runs per trigger, read from the KEDA release whose CRDs the chart is validated against. */
async function kedaRedisScalerScript(): Promise<string> {
  const source = readFileSync(join(await downloadGoModule(SCHEMA_SOURCES.keda), 'pkg/scalers/redis_scaler.go'), 'utf8');
  const script = /luaScript := `([^`]+)`/.exec(source)?.[1];
  if (!script) throw new Error(`no luaScript in KEDA ${SCHEMA_SOURCES.keda.version} pkg/scalers/redis_scaler.go`);
  return script;
}

describe('KEDA scales trainers on the keys where BullMQ keeps the training backlog', () => {
  let testRedis: TestRedis;
  let redis: Redis;
  let queue: Queue;
  const prefix = uniqueQueuePrefix();

  beforeAll(async () => {
    testRedis = await startTestRedis();
    redis = new Redis(testRedis.url, { maxRetriesPerRequest: null });
    queue = new Queue(trainingQueue.name, { connection: redis, prefix });
  });

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    if (testRedis) {
      await removeQueuePrefix(testRedis.url, prefix);
      await testRedis.stop();
    }
  });

  it('renders the key names of the code (QUEUE_PREFIX, trainingQueue.name) into the ScaledObject, following config.queuePrefix', async () => {
    expect(scaledObjectKeys(await helmTemplate(valueSet('gpu-keda')))).toEqual(trainingQueueKeys(QUEUE_PREFIX));
    expect(scaledObjectKeys(await helmTemplate(valueSet('gpu-keda'), { 'config.queuePrefix': prefix }))).toEqual(trainingQueueKeys(prefix));
  });

  it('finds a waiting and a prioritized job in those keys of a real Redis, and KEDA’s count adds up to the backlog', async () => {
    const keys = scaledObjectKeys(await helmTemplate(valueSet('gpu-keda'), { 'config.queuePrefix': prefix }));
    const waiting = await queue.add('train-model', { runId: 'keda-waiting' });
    const prioritized = await queue.add('train-model', { runId: 'keda-prioritized' }, { priority: 5 });

    expect(await redis.type(keys['wait'] as string)).toBe('list');
    expect(await redis.lrange(keys['wait'] as string, 0, -1)).toEqual([waiting.id]);
    expect(await redis.type(keys['prioritized'] as string)).toBe('zset');
    expect(await redis.zrange(keys['prioritized'] as string, 0, -1)).toEqual([prioritized.id]);

    const script = await kedaRedisScalerScript();
    const counted = await Promise.all(Object.values(keys).map(async (key) => Number(await redis.eval(script, 1, key))));
    const backlog = await queue.getJobCounts('wait', 'prioritized');
    expect(counted.reduce((sum, n) => sum + n, 0)).toBe((backlog['wait'] ?? 0) + (backlog['prioritized'] ?? 0));
    expect(counted).toEqual([1, 1]);
  });
});
