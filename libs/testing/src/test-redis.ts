import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, testHarnessConfig } from '@slipway/config';
import { isRedisAnswering, startRedisServer } from '@slipway/local-runtime';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  /** How the Redis was obtained, for test logs. */
  source: 'REDIS_URL' | 'testcontainers' | 'redis-server';
  stop(): Promise<void>;
}

/**
 * A real Redis for integration tests: the one at REDIS_URL when it answers, else a testcontainers
 * Redis when a Docker daemon answers, else a `redis-server` child process on a free loopback port.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const config = loadConfig(testHarnessConfig);
  if (config.REDIS_URL && (await isRedisAnswering(config.REDIS_URL))) return { url: config.REDIS_URL, source: 'REDIS_URL', stop: async () => undefined };
  const container = await startRedisContainer(config.DOCKER_HOST);
  if (container) return container;
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-test-redis-'));
  const server = await startRedisServer(dataDir);
  return {
    url: server.url,
    source: 'redis-server',
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function startRedisContainer(dockerHost: string | undefined): Promise<TestRedis | undefined> {
  // testcontainers is loaded only when a Docker endpoint may exist: its probe keeps handles open otherwise.
  if (!dockerHost && !existsSync('/var/run/docker.sock')) return undefined;
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer('redis:7-alpine').start();
  return { url: container.getConnectionUrl(), source: 'testcontainers', stop: async () => void (await container.stop()) };
}

/** A BullMQ key prefix of its own for one test file, so tests never see each other's jobs. */
export function uniqueQueuePrefix(): string {
  return `test-${randomUUID()}`;
}

/** Deletes every key under the prefix (bullmq's cleanup-queue style). */
export async function removeQueuePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
