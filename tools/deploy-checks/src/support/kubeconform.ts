import { KUBE_VERSION } from './pins';
import { CommandFailedError, runCommand } from './run-command';
import { toolPath } from './workspace';

export interface ValidatedResource {
  kind: string;
  name: string;
  version: string;
  status: 'statusValid' | 'statusInvalid' | 'statusError' | 'statusSkipped' | 'statusEmpty';
  msg: string;
}

/**
 * Validates YAML manifests offline with kubeconform against the given schema locations only (no download; a kind
 * without a schema is an error, never skipped). Resolves with one entry per resource.
 */
export async function kubeconform(manifests: string, schemaLocations: readonly string[]): Promise<ValidatedResource[]> {
  const args = [
    '-strict',
    '-verbose',
    '-output',
    'json',
    '-kubernetes-version',
    KUBE_VERSION,
    ...schemaLocations.flatMap((location) => ['-schema-location', location]),
    '-',
  ];
  let stdout: string;
  try {
    ({ stdout } = await runCommand(toolPath('kubeconform'), args, { input: manifests }));
  } catch (error) {
    // Exit code 1 = some resource is invalid: the JSON report still says which.
    if (!(error instanceof CommandFailedError) || !error.stdout.trim().startsWith('{')) throw error;
    stdout = error.stdout;
  }
  return (JSON.parse(stdout) as { resources: ValidatedResource[] }).resources;
}
