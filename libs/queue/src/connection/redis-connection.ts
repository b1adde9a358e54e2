import { Redis } from 'ioredis';
import { observeRedisErrors } from './redis-errors';

/**
 * `worker`: blocking BullMQ connections must retry forever (maxRetriesPerRequest: null).
 * `request`: connections used while answering HTTP fail fast when Redis is down, so the caller gets a quick 503.
 */
export type RedisRole = 'worker' | 'request';

export function createRedisConnection(url: string, role: RedisRole, connectionName?: string): Redis {
  const redis = new Redis(url, {
    connectionName,
    lazyConnect: false,
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
  });
  return observeRedisErrors(connectionName ?? `${role} connection`, redis);
}

/** Readiness probe: resolves when Redis answers PING; the reason names Redis and where it was looked for. */
export async function pingRedis(redis: Redis): Promise<void> {
  const where = `${redis.options.host ?? '127.0.0.1'}:${redis.options.port ?? 6379}`;
  if (redis.status !== 'ready') throw new Error(`Redis at ${where} is not connected (${redis.status})`);
  const answer = await redis.ping();
  if (answer !== 'PONG') throw new Error(`Redis at ${where} answered "${answer}" to PING`);
}

/**
 * Closes a connection without waiting on a Redis that is away: QUIT when connected, else disconnect at once (a QUIT
 * queued offline would wait for a reconnect that may never come, and hang the shutdown).
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
    return;
  }
  redis.disconnect();
}
