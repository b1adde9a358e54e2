import { cliConfig, loadConfig } from '@slipway/config';
import { RegistryClient } from '@slipway/registry-client';
import { Option } from 'commander';

export const registryOption = () =>
  new Option('--registry <url>', 'model-registry base URL (default: SLIPWAY_REGISTRY_URL or http://127.0.0.1:3001)');

export const jsonOption = () => new Option('--json', 'print machine-readable JSON');

export function registryClient(url: string | undefined): RegistryClient {
  return new RegistryClient(url ?? loadConfig(cliConfig).SLIPWAY_REGISTRY_URL);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
