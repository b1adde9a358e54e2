import { join } from 'node:path';
import { DEFAULT_PORTS, type ServiceName } from '@slipway/config';

/** Start order: the registry first (it owns the REST API the others call), serving last (it loads from the registry). */
export const PLATFORM_SERVICES: readonly ServiceName[] = ['model-registry', 'data-prep', 'trainer', 'monitoring', 'serving'];

/** Where `nx build <service>` puts the entry point (tsc keeps the workspace layout under dist/apps/<service>). */
export function builtEntryOf(workspaceRoot: string, service: ServiceName): string {
  return join(workspaceRoot, 'dist', 'apps', service, 'apps', service, 'src', 'main.js');
}

export interface PlatformPorts {
  readonly ports: Record<ServiceName, number>;
}

/** Ports from the environment (`<SERVICE>_PORT`, e.g. SERVING_PORT) or the defaults. */
export function platformPortsFromEnv(env: Record<string, string | undefined>): Record<ServiceName, number> {
  const entries = PLATFORM_SERVICES.map((service) => {
    const variable = `${service.toUpperCase().replace(/-/g, '_')}_PORT`;
    const raw = env[variable];
    const port = raw === undefined || raw === '' ? DEFAULT_PORTS[service] : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${variable}="${raw}": must be a port number between 1 and 65535`);
    return [service, port] as const;
  });
  return Object.fromEntries(entries) as Record<ServiceName, number>;
}
