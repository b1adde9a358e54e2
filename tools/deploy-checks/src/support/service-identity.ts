import { SERVICE_CONFIGS, type ServiceName } from '@slipway/config';

export const SERVICES = Object.keys(SERVICE_CONFIGS) as ServiceName[];

/** docker-compose services that run another service's code with other settings (the GPU trainer). */
export const COMPOSE_VARIANTS: Readonly<Record<string, ServiceName>> = { 'trainer-gpu': 'trainer' };

export const isService = (name: string): name is ServiceName => (SERVICES as string[]).includes(name);

/** Which service's code a compose service runs, or undefined for infrastructure (redis, postgres, prometheus …). */
export function composeServiceIdentity(name: string): ServiceName | undefined {
  return isService(name) ? name : COMPOSE_VARIANTS[name];
}
