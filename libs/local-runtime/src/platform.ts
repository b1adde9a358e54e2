import { join } from 'node:path';
import type { ServiceName } from '@slipway/config';
import { builtEntryOf, PLATFORM_SERVICES } from './platform-services';
import { ServiceProcess } from './service-process';

export interface PlatformOptions {
  workspaceRoot: string;
  redisUrl: string;
  ports: Record<ServiceName, number>;
  /** Holds artifacts, the registry database and logs. */
  stateDir: string;
  queuePrefix?: string;
  /** Extra variables for every service (e.g. LOG_LEVEL, SLIPWAY_TF_BACKEND). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** The five services as local processes, wired to one Redis, one artifact store and one registry database. */
export class LocalPlatform {
  readonly services: Record<ServiceName, ServiceProcess>;

  constructor(private readonly options: PlatformOptions) {
    const registryUrl = `http://127.0.0.1:${options.ports['model-registry']}`;
    const shared: Record<string, string> = {
      HOST: '127.0.0.1',
      REDIS_URL: options.redisUrl,
      SLIPWAY_ARTIFACTS: join(options.stateDir, 'artifacts'),
      SLIPWAY_DATABASE_URL: `sqlite:${join(options.stateDir, 'registry.db')}`,
      SLIPWAY_REGISTRY_URL: registryUrl,
      SLIPWAY_DATA_ROOT: options.workspaceRoot,
      // Local development: writes need no token and no alias is protected, unless the caller's env says otherwise.
      SLIPWAY_AUTH_WRITES: 'false',
      SLIPWAY_PROTECTED_ALIASES: 'none',
      ...(options.queuePrefix ? { SLIPWAY_QUEUE_PREFIX: options.queuePrefix } : {}),
      ...options.env,
    };
    this.services = Object.fromEntries(
      PLATFORM_SERVICES.map((name) => [
        name,
        new ServiceProcess({
          name,
          entry: builtEntryOf(options.workspaceRoot, name),
          port: options.ports[name],
          env: shared,
          logFile: join(options.stateDir, 'logs', `${name}.log`),
          cwd: options.workspaceRoot,
        }),
      ]),
    ) as Record<ServiceName, ServiceProcess>;
  }

  url(service: ServiceName): string {
    return this.services[service].baseUrl;
  }

  /** Starts every service, then waits for all of them to be ready; on failure stops what started. */
  async start(onReady: (service: ServiceName, ms: number) => void = () => undefined): Promise<void> {
    const startedAt = performance.now();
    try {
      for (const name of PLATFORM_SERVICES) await this.services[name].start();
      await Promise.all(
        PLATFORM_SERVICES.map(async (name) => {
          await this.services[name].waitUntilReady(this.options.readyTimeoutMs ?? 60_000);
          onReady(name, Math.round(performance.now() - startedAt));
        }),
      );
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops every service at once (each hands its job back on SIGTERM), SIGKILL after the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    await Promise.all(PLATFORM_SERVICES.map((name) => this.services[name].stop(graceMs)));
  }
}
