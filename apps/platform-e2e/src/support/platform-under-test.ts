import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { e2eConfig, loadConfig, type ServiceName } from '@slipway/config';
import { findFreePort, LocalPlatform, PLATFORM_SERVICES } from '@slipway/local-runtime';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix } from '@slipway/testing';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

interface LocalOptions {
  /** Extra variables for the services; only possible when the suite starts them itself. */
  env?: Record<string, string>;
}

export interface PlatformUnderTest {
  urls: Record<ServiceName, string>;
  /** Present when the suite started the services itself, so tests can restart one. */
  local?: LocalPlatform;
  stop(): Promise<void>;
}

/**
 * The platform the golden path runs against: the URLs in SLIPWAY_E2E_*_URL when all are set (a kind cluster,
 * a compose stack), else the five services started here as separate processes on free ports, with a Redis of
 * their own, a fresh state directory and a queue prefix no other test uses.
 */
export async function startPlatformUnderTest(options: LocalOptions = {}): Promise<PlatformUnderTest> {
  const config = loadConfig(e2eConfig);
  const remote = {
    'model-registry': config.SLIPWAY_E2E_REGISTRY_URL,
    'data-prep': config.SLIPWAY_E2E_DATA_PREP_URL,
    trainer: config.SLIPWAY_E2E_TRAINER_URL,
    monitoring: config.SLIPWAY_E2E_MONITORING_URL,
    serving: config.SLIPWAY_E2E_SERVING_URL,
  };
  if (Object.values(remote).every((url) => url !== undefined)) {
    if (options.env) throw new Error(`this suite configures the services itself (${Object.keys(options.env).join(', ')}); run it without SLIPWAY_E2E_*_URL`);
    return { urls: remote as Record<ServiceName, string>, stop: async () => undefined };
  }
  const redis = await startTestRedis();
  const stateDir = await mkdtemp(join(tmpdir(), 'slipway-e2e-'));
  const queuePrefix = uniqueQueuePrefix();
  const ports = Object.fromEntries(await Promise.all(PLATFORM_SERVICES.map(async (name) => [name, await findFreePort()] as const)));
  const local = new LocalPlatform({
    workspaceRoot: WORKSPACE_ROOT,
    redisUrl: redis.url,
    ports: ports as Record<ServiceName, number>,
    stateDir,
    queuePrefix,
    env: { SLIPWAY_RECONCILE_INTERVAL_MS: '2000', SLIPWAY_PREDICTION_LOG_FLUSH_MS: '200', SLIPWAY_QUEUE_POLL_MS: '500', ...options.env },
  });
  await local.start();
  const urls = Object.fromEntries(PLATFORM_SERVICES.map((name) => [name, local.url(name)])) as Record<ServiceName, string>;
  return {
    urls,
    local,
    stop: async () => {
      await local.stop();
      await removeQueuePrefix(redis.url, queuePrefix);
      await redis.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
