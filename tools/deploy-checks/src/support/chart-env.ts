import type { ContainerSpec, K8sObject } from './manifests';

export class UnresolvableEnvError extends Error {
  override readonly name = 'UnresolvableEnvError';
}

const REFERENCE = /\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g;

/** The variables a value refers to as $(NAME), the way the kubelet reads it ($$ escapes a dollar). */
export function referencesIn(value: string): string[] {
  return [...value.matchAll(REFERENCE)].flatMap(([, name]) => (name ? [name] : []));
}

/** The kubelet's expansion: $(NAME) of a variable defined earlier becomes its value, $$ a dollar, anything else stays. */
export function expandReferences(value: string, defined: Readonly<Record<string, string>>): string {
  return value.replace(REFERENCE, (whole, name: string | undefined) => (name === undefined ? '$' : (defined[name] ?? whole)));
}

/**
 * Variables of the container that no service reads: those that only other variables take in as $(NAME), such as
 * REDIS_PASSWORD inside REDIS_URL.
 */
export function compositionOnlyVariables(container: ContainerSpec): string[] {
  const referenced = new Set((container.env ?? []).flatMap((variable) => referencesIn(variable.value ?? '')));
  return (container.env ?? []).map((variable) => variable.name).filter((name) => referenced.has(name));
}

/** A Secret key's value from the rendered objects (stringData or base64 data), or undefined when the chart does not hold it. */
export function secretValue(objects: readonly K8sObject[], ref: { name: string; key: string }): string | undefined {
  const secret = objects.find((object) => object.kind === 'Secret' && object.metadata.name === ref.name);
  const encoded = secret?.data?.[ref.key];
  return secret?.stringData?.[ref.key] ?? (encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8'));
}

/**
 * A container's environment as the kubelet would give it: literal values (with $(NAME) of earlier variables
 * expanded) and keys of Secrets the chart renders; an optional key the Secret lacks leaves the variable unset.
 */
export function resolveContainerEnv(container: ContainerSpec, objects: readonly K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      env[variable.name] = expandReferences(variable.value, env);
      continue;
    }
    const ref = variable.valueFrom?.secretKeyRef;
    const value = ref && secretValue(objects, ref);
    if (value === undefined && ref?.optional === true) continue;
    if (value === undefined) throw new UnresolvableEnvError(`${container.name}: ${variable.name} refers to ${JSON.stringify(variable.valueFrom)}, which the rendered chart does not hold`);
    env[variable.name] = value;
  }
  return env;
}
