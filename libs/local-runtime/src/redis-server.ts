import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port';
import { describeExit, hasExited, killGroup, stopGroup, type ExitInfo, type StopOutcome } from './process-group';
import type { SupervisedProcess } from './supervised-process';

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
  /** Set when this process started the server: the handle that can restart it on the same port. */
  server?: RedisServerProcess;
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

/**
 * `redis-server` from PATH on one loopback port, its data (append-only file) under dataDir, in a process group of its
 * own (so the terminal's Ctrl+C does not end it before the services that use it). Started again after a crash, it
 * comes back on the same port with the same data.
 */
export class RedisServerProcess implements SupervisedProcess {
  readonly name = 'redis';
  readonly url: string;
  readonly spec: { logFile: string };
  private child?: ChildProcess;
  private output: string[] = [];
  private readonly exits = new EventEmitter();

  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
    // Its output is kept beside its data, so a crash report can point there.
    this.spec = { logFile: join(dataDir, 'redis.log') };
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get process(): ChildProcess | undefined {
    return this.child;
  }

  onExit(listener: (exit: ExitInfo) => void): void {
    this.exits.on('exit', listener);
  }

  async start(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    this.output = [];
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dataDir, '--appendonly', 'yes', '--save', '', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    this.child = child;
    const log = createWriteStream(this.spec.logFile, { flags: 'a' });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
      stream?.pipe(log, { end: false });
    }
    child.once('close', () => log.end());
    child.once('exit', (code, signal) => this.exits.emit('exit', { code, signal } satisfies ExitInfo));
  }

  async waitUntilReady(timeoutMs: number): Promise<void> {
    const child = this.child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child && hasExited(child)) break;
      if (await isRedisAnswering(this.url, 250)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const how = child && hasExited(child) ? describeExit({ code: child.exitCode, signal: child.signalCode }) : `did not answer within ${timeoutMs} ms`;
    throw new Error(`redis-server on port ${this.port} ${how}: ${this.output.join('').slice(-500)} (see ${this.spec.logFile})`);
  }

  /** SIGTERM: Redis flushes its append-only file and exits; SIGKILL after the grace period. */
  stop(graceMs = 10_000): Promise<StopOutcome> {
    return stopGroup(this.child, graceMs);
  }

  /** Kills the server without a chance to clean up, as a crash would. */
  kill(): Promise<void> {
    return killGroup(this.child);
  }
}

/** Starts `redis-server` from PATH on a free loopback port, its data (append-only file) under dataDir. */
export async function startRedisServer(dataDir: string): Promise<RunningRedis> {
  if (!isRedisServerInstalled()) throw new RedisServerNotFoundError();
  const server = new RedisServerProcess(dataDir, await findFreePort());
  await server.start();
  try {
    await server.waitUntilReady(10_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: server.url,
    process: server.process,
    server,
    stop: async () => {
      await server.stop();
    },
  };
}
