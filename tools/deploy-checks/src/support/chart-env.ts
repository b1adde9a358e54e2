import type { ContainerSpec, K8sObject } from './manifests';

export class UnresolvableEnvError extends Error {
  override readonly name = 'UnresolvableEnvError';
}

/** A container's environment as the kubelet would give it: literal values and keys of Secrets the chart renders. */
export function resolveContainerEnv(container: ContainerSpec, objects: readonly K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      env[variable.name] = variable.value;
      continue;
    }
    const ref = variable.valueFrom?.secretKeyRef;
    const secret = ref && objects.find((object) => object.kind === 'Secret' && object.metadata.name === ref.name);
    const fromStringData = secret && ref ? secret.stringData?.[ref.key] : undefined;
    const fromData = secret && ref && secret.data?.[ref.key] !== undefined ? Buffer.from(secret.data[ref.key] as string, 'base64').toString('utf8') : undefined;
    const value = fromStringData ?? fromData;
    if (value === undefined) throw new UnresolvableEnvError(`${container.name}: ${variable.name} refers to ${JSON.stringify(variable.valueFrom)}, which the rendered chart does not hold`);
    env[variable.name] = value;
  }
  return env;
}
