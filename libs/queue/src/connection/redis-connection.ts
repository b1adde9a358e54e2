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

/**
 * Resolves when Redis answers PING within `timeoutMs` (a Redis that hangs keeps the socket open and answers nothing);
 * the reason names Redis and where it was looked for.
 */
export async function pingRedis(redis: Redis, timeoutMs = 500): Promise<void> {
  const where = `${redis.options.host ?? '127.0.0.1'}:${redis.options.port ?? 6379}`;
  if (redis.status !== 'ready') throw new Error(`Redis at ${where} is not connected (${redis.status})`);
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis at ${where} did not answer PING within ${timeoutMs} ms`)), timeoutMs)));
  try {
    const answer = await Promise.race([redis.ping(), silent]);
    if (answer !== 'PONG') throw new Error(`Redis at ${where} answered "${answer}" to PING`);
  } finally {
    clearTimeout(timer);
  }
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
