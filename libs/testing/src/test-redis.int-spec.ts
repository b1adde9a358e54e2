import { Redis } from 'ioredis';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, type TestRedis } from './test-redis';

describe('startTestRedis', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startTestRedis();
  });

  afterAll(async () => {
    await redis.stop();
  });

  it('gives a Redis that answers commands', async () => {
    const client = new Redis(redis.url);
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('removes only the keys under a test prefix', async () => {
    const client = new Redis(redis.url);
    const mine = uniqueQueuePrefix();
    const other = uniqueQueuePrefix();
    try {
      await client.set(`${mine}:a`, '1');
      await client.set(`${mine}:b`, '2');
      await client.set(`${other}:a`, '3');
      await removeQueuePrefix(redis.url, mine);
      expect(await client.keys(`${mine}:*`)).toEqual([]);
      expect(await client.get(`${other}:a`)).toBe('3');
      await removeQueuePrefix(redis.url, other);
    } finally {
      client.disconnect();
    }
  });
});
