import { Redis } from 'ioredis';

/**
 * `worker`: blocking BullMQ connections must retry forever (maxRetriesPerRequest: null).
 * `request`: connections used while answering HTTP fail fast when Redis is down, so the caller gets a quick 503.
 */
export type RedisRole = 'worker' | 'request';

export function createRedisConnection(url: string, role: RedisRole, connectionName?: string): Redis {
  return new Redis(url, {
    connectionName,
    lazyConnect: false,
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
  });
}

/** Readiness probe: resolves when Redis answers PING. */
export async function pingRedis(redis: Redis): Promise<void> {
  const answer = await redis.ping();
  if (answer !== 'PONG') throw new Error(`redis answered "${answer}" to PING`);
}
