import { basename, dirname, join } from 'node:path';
import { findFreePort, ServiceProcess, type LocalPlatform } from '@slipway/local-runtime';
import { waitForServedVersion, type DemoModel } from './demo-platform';

const READY_TIMEOUT_MS = 60_000;

/**
 * A serving process started exactly like the platform's own (same built entry, same environment: registry,
 * artifacts, Redis, queue prefix) plus `env`, on a free port, with its own log file; resolves once it serves
 * the model's version. Stops it again when that fails.
 */
export async function startServingVariant(platform: LocalPlatform, label: string, env: Record<string, string>, model: DemoModel): Promise<ServiceProcess> {
  const base = platform.services.serving.spec;
  const variant = new ServiceProcess({
    ...base,
    name: `serving (${label})`,
    port: await findFreePort(),
    env: { ...base.env, ...env },
    logFile: join(dirname(base.logFile), `${basename(base.logFile, '.log')}-${label}.log`),
  });
  try {
    await variant.start();
    await variant.waitUntilReady(READY_TIMEOUT_MS);
    await waitForServedVersion(variant.baseUrl, model);
    return variant;
  } catch (error) {
    await variant.stop();
    throw error;
  }
}
