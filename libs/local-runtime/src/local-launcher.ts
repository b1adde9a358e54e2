import { join } from 'node:path';
import type { ServiceName } from '@slipway/config';
import { findFreePort } from './free-port';
import { LocalPlatform } from './platform';
import { PLATFORM_SERVICES, LOCAL_DEV_ENV } from './platform-services';
import { platformStateFile, removePlatformState, writePlatformState } from './platform-state-file';
import { isRedisAnswering, isRedisServerInstalled, RedisServerNotFoundError, RedisServerProcess } from './redis-server';
import { Supervisor, type SupervisorOptions } from './supervisor';

export interface LaunchOptions {
  workspaceRoot: string;
  stateDir: string;
  ports: Record<ServiceName, number>;
  /** A Redis to use when it answers; otherwise the launcher starts (and supervises) a redis-server of its own. */
  redisUrl?: string;
  report: (line: string) => void;
  onReady?: (name: string, ms: number) => void;
  /** Extra variables for every service, over {@link LOCAL_DEV_ENV}. */
  env?: Record<string, string>;
  restartPolicy?: SupervisorOptions['restartPolicy'];
}

export interface LaunchedPlatform {
  platform: LocalPlatform;
  redisUrl: string;
  /** Set when the launcher started redis-server itself. */
  redis?: RedisServerProcess;
  supervisor: Supervisor;
  stateFile: string;
  /** Stops the services, then Redis; removes the state file. Lists what had to be SIGKILLed. */
  stop(): Promise<{ killed: string[] }>;
}

/**
 * `slipway up`: Redis (the one at `redisUrl` when it answers, else a supervised redis-server with its data under the
 * state dir) and the five services, each in a process group of its own, restarted when they die, with their state in
 * `<stateDir>/up.json` for `slipway status`.
 */
export async function launchLocalPlatform(options: LaunchOptions): Promise<LaunchedPlatform> {
  const external = options.redisUrl && (await isRedisAnswering(options.redisUrl)) ? options.redisUrl : undefined;
  let redis: RedisServerProcess | undefined;
  if (!external) {
    if (!isRedisServerInstalled()) throw new RedisServerNotFoundError();
    redis = new RedisServerProcess(join(options.stateDir, 'redis'), await findFreePort());
  }
  const redisUrl = external ?? (redis as RedisServerProcess).url;
  const platform = new LocalPlatform({
    workspaceRoot: options.workspaceRoot,
    redisUrl,
    ports: options.ports,
    stateDir: options.stateDir,
    env: { ...LOCAL_DEV_ENV, ...options.env },
  });
  const stateFile = platformStateFile(options.stateDir);
  const startedAt = new Date().toISOString();
  const supervisor: Supervisor = new Supervisor(
    [
      ...(redis ? [{ process: redis, url: redis.url, dependency: true }] : []),
      ...PLATFORM_SERVICES.map((name) => ({ process: platform.services[name], url: platform.url(name) })),
    ],
    {
      report: options.report,
      restartPolicy: options.restartPolicy,
      onChange: (processes) =>
        writePlatformState(stateFile, { launcherPid: process.pid, startedAt, stateDir: options.stateDir, externalRedisUrl: external ?? null, processes }),
    },
  );
  const stop = async () => {
    const outcome = await supervisor.stop();
    removePlatformState(stateFile);
    return outcome;
  };
  try {
    await supervisor.start(options.onReady);
  } catch (error) {
    removePlatformState(stateFile);
    throw error;
  }
  return { platform, redisUrl, redis, supervisor, stateFile, stop };
}
