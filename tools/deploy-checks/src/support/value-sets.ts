/** A set of chart values the checks render: value files of infra/helm/slipway plus --set overrides. */
export interface ValueSet {
  readonly name: string;
  readonly files: readonly string[];
  readonly set?: Readonly<Record<string, string>>;
}

/**
 * Every value file of the chart appears in at least one set (chart-render.spec checks it), each in the
 * combination its header comment documents.
 */
export const VALUE_SETS: readonly ValueSet[] = [
  { name: 'default', files: [] },
  { name: 'production', files: ['values-prod.yaml'] },
  { name: 'gpu-keda', files: ['values-prod.yaml', 'values-gpu-keda.yaml'] },
  { name: 'istio', files: ['values-istio.yaml'] },
  { name: 'gateway-api', files: ['values-gateway-api.yaml'] },
  { name: 'kind', files: ['values-kind.yaml'] },
  { name: 'dev', files: ['values-dev.yaml'] },
  { name: 'staging', files: ['values-prod.yaml', 'values-staging.yaml'] },
  {
    name: 'postgresql',
    files: [],
    set: { 'postgresql.enabled': 'true', 'postgresql.password': 'rendered-only-a8f3', 'services.model-registry.replicas': '2' },
  },
  {
    name: 'external-redis',
    files: ['values-gpu-keda.yaml'],
    set: {
      'redis.enabled': 'false',
      'redis.external.existingSecret': 'slipway-redis',
      'redis.external.address': 'redis.data.svc.cluster.local:6379',
    },
  },
];

export const valueSet = (name: string): ValueSet => {
  const found = VALUE_SETS.find((set) => set.name === name);
  if (!found) throw new Error(`no value set named ${name}`);
  return found;
};
