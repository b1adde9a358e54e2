import { join, resolve } from 'node:path';
import { findFreePort, ServiceProcess } from '@slipway/local-runtime';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** What every registry under test needs: loopback, its Redis and queue prefix, a SQLite file and artifacts in `stateDir`. */
export function registryTestEnv(redisUrl: string, prefix: string, stateDir: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    SLIPWAY_QUEUE_PREFIX: prefix,
    SLIPWAY_DATABASE_URL: `sqlite:${join(stateDir, 'registry.db')}`,
    SLIPWAY_ARTIFACTS: join(stateDir, 'artifacts'),
  };
}

/**
 * The real model-registry (main.ts, from source) as its own process, on a free port, ready. Writes need no token and
 * nothing is protected (as under `slipway up`) unless `env` says otherwise.
 */
export async function startRegistry(env: Record<string, string>, logFile: string): Promise<ServiceProcess> {
  const registry = new ServiceProcess({
    name: 'model-registry',
    entry: join(WORKSPACE_ROOT, 'apps/model-registry/src/main.ts'),
    port: await findFreePort(),
    env: { SLIPWAY_AUTH_WRITES: 'false', SLIPWAY_PROTECTED_ALIASES: 'none', ...env, NODE_OPTIONS: '--require @swc-node/register', SWC_NODE_PROJECT: join(WORKSPACE_ROOT, 'apps/model-registry/tsconfig.json') },
    logFile,
    cwd: WORKSPACE_ROOT,
  });
  await registry.start();
  await registry.waitUntilReady(30_000);
  return registry;
}
