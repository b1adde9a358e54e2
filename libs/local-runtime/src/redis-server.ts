import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port';
import { waitForExit } from './wait-for-exit';

export class RedisServerNotFoundError extends Error {
  override readonly name = 'RedisServerNotFoundError';
  constructor() {
    super(
      'no Redis answers at REDIS_URL and redis-server is not on PATH: install it (Debian/Ubuntu: `apt-get install -y redis-server`, macOS: `brew install redis`) or set REDIS_URL to a running Redis',
    );
  }
}

export interface RunningRedis {
  url: string;
  /** Set when this process started the server, so stop() only stops what we own. */
  process?: ChildProcess;
  stop(): Promise<void>;
}

/** Resolves true when a Redis answers PING at the URL within the timeout. */
export async function isRedisAnswering(url: string, timeoutMs = 1_000): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: timeoutMs, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    // After a refused connection the client has already ended; disconnect() then leaves a 2 s timer that delays exit.
    if (redis.status !== 'end') redis.disconnect();
  }
}

export function isRedisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Starts `redis-server` from PATH on a free loopback port, its data (append-only file) under dataDir. */
export async function startRedisServer(dataDir: string): Promise<RunningRedis> {
  if (!isRedisServerInstalled()) throw new RedisServerNotFoundError();
  await mkdir(dataDir, { recursive: true });
  const port = await findFreePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--appendonly', 'yes', '--save', '', '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil(() => isRedisAnswering(url, 250), 10_000, () => child.exitCode !== null, () => `redis-server did not start on port ${port}: ${output.join('').slice(-500)}`);
  return {
    url,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await waitForExit(child, 10_000);
    },
  };
}

async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  gaveUp: () => boolean,
  describeFailure: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(describeFailure());
}
