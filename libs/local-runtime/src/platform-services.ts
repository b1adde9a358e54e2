import { join } from 'node:path';
import type { LauncherConfig, ServiceName } from '@slipway/config';

/** Start order: the registry first (it owns the REST API the others call), serving last (it loads from the registry). */
export const PLATFORM_SERVICES: readonly ServiceName[] = ['model-registry', 'data-prep', 'trainer', 'monitoring', 'serving'];

/**
 * What `slipway up` sets for local development, where one machine holds everything: a killed trainer's job is
 * taken up again within seconds (its lock expires after 6 s and is looked for every 2 s) instead of the
 * production defaults' minute and a half. The training runs in a worker thread, so the lock is still renewed in time.
 */
export const LOCAL_DEV_ENV: Readonly<Record<string, string>> = {
  SLIPWAY_TRAINER_LOCK_MS: '6000',
  SLIPWAY_TRAINER_STALLED_INTERVAL_MS: '2000',
};

/** Where `nx build <service>` puts the entry point (tsc keeps the workspace layout under dist/apps/<service>). */
export function builtEntryOf(workspaceRoot: string, service: ServiceName): string {
  return join(workspaceRoot, 'dist', 'apps', service, 'apps', service, 'src', 'main.js');
}

/** The port of each service from the launcher configuration (MODEL_REGISTRY_PORT, SERVING_PORT, …). */
export function platformPorts(config: LauncherConfig): Record<ServiceName, number> {
  return {
    'model-registry': config.MODEL_REGISTRY_PORT,
    'data-prep': config.DATA_PREP_PORT,
    trainer: config.TRAINER_PORT,
    monitoring: config.MONITORING_PORT,
    serving: config.SERVING_PORT,
  };
}
