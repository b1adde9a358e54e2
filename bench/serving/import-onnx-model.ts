import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { RegistryClient } from '@slipway/registry-client';
import { waitForServedVersion } from './demo-platform';
import { MlserverBenchError } from './mlserver-bench.error';

export interface ImportedVersion {
  name: string;
  version: number;
}

/**
 * Uploads an ONNX file through the registry's import endpoint (multipart POST /api/models/{name}/versions:import)
 * with `alias` pointed at the new version, and resolves once serving lists that version in its V2 metadata.
 * `token` must carry promote:<alias> when the alias is protected (production is, by default).
 */
export async function importOnnxModel(registryUrl: string, servingUrl: string, file: string, name: string, alias: string, token: string): Promise<ImportedVersion> {
  const client = new RegistryClient(registryUrl, { token });
  const { versions } = await client.importModel(name, [{ path: basename(file), bytes: await readFile(file) }], { format: 'onnx', alias, description: 'the MLServer bench’s scikit-learn pipeline, exported with skl2onnx' });
  const version = versions.find((imported) => imported.model === name)?.version;
  if (version === undefined) throw new MlserverBenchError(`importing ${file} as ${name} answered no version of ${name}: ${JSON.stringify(versions)}`);
  await waitForServedVersion(servingUrl, { name, version });
  return { name, version };
}
