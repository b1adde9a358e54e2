import { cliConfig, loadConfig } from '@slipway/config';
import { RegistryClient } from '@slipway/registry-client';
import { Option } from 'commander';

export const registryOption = () =>
  new Option('--registry <url>', 'model-registry base URL (default: SLIPWAY_REGISTRY_URL or http://127.0.0.1:3001)');

export const jsonOption = () => new Option('--json', 'print machine-readable JSON');

export const tokenOption = () => new Option('--token <token>', 'bearer token to send (default: SLIPWAY_API_TOKEN)');

export function registryClient(url: string | undefined, token?: string): RegistryClient {
  const config = loadConfig(cliConfig);
  const bearer = token ?? config.SLIPWAY_API_TOKEN;
  return new RegistryClient(url ?? config.SLIPWAY_REGISTRY_URL, bearer ? { token: bearer } : {});
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
