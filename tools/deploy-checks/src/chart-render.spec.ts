import { readdirSync } from 'node:fs';
import { ensureSchemaLocations } from './schemas/schema-cache';
import { helmLint, helmTemplate, helmTemplateText } from './support/helm';
import { kubeconform } from './support/kubeconform';
import { parseManifests } from './support/manifests';
import { valueSet, VALUE_SETS } from './support/value-sets';
import { CHART_DIR } from './support/workspace';

describe('the Helm chart renders valid manifests for every value set', () => {
  let schemaLocations: string[];

  beforeAll(async () => {
    schemaLocations = await ensureSchemaLocations();
  });

  it('checks every value file the chart ships', () => {
    const shipped = readdirSync(CHART_DIR).filter((file) => /^values-.+\.yaml$/.test(file));
    const checked = new Set(VALUE_SETS.flatMap((set) => set.files));
    expect(shipped.filter((file) => !checked.has(file))).toEqual([]);
  });

  describe.each(VALUE_SETS.map((set) => [set.name, set] as const))('%s values', (_name, set) => {
    it('pass helm lint --strict', async () => {
      expect(await helmLint(set)).toContain('0 chart(s) failed');
    });

    it('render manifests that kubeconform validates offline against the schema of each kind', async () => {
      const text = await helmTemplateText(set);
      const results = await kubeconform(text, schemaLocations);
      expect(results.filter((result) => result.status !== 'statusValid').map((r) => `${r.kind}/${r.name}: ${r.status} ${r.msg}`)).toEqual([]);
      expect(results).toHaveLength(parseManifests(text).length);
    });
  });

  it('renders the custom resources of KEDA, Istio, the Gateway API and the Prometheus Operator in some value set', async () => {
    const kinds = new Set<string>();
    for (const set of VALUE_SETS) for (const object of await helmTemplate(set)) kinds.add(`${object.apiVersion} ${object.kind}`);
    expect([...kinds]).toEqual(
      expect.arrayContaining([
        'keda.sh/v1alpha1 ScaledObject',
        'keda.sh/v1alpha1 TriggerAuthentication',
        'networking.istio.io/v1 VirtualService',
        'networking.istio.io/v1 DestinationRule',
        'gateway.networking.k8s.io/v1 HTTPRoute',
        'monitoring.coreos.com/v1 ServiceMonitor',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'policy/v1 PodDisruptionBudget',
        'networking.k8s.io/v1 NetworkPolicy',
        'v1 ResourceQuota',
        'v1 LimitRange',
      ]),
    );
  });

  it('is validated strictly: a misspelt field fails kubeconform', async () => {
    const text = (await helmTemplateText(valueSet('default'))).replace('containerPort:', 'containerPrt:');
    const invalid = (await kubeconform(text, schemaLocations)).filter((result) => result.status === 'statusInvalid');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.msg).toContain('containerPrt');
  });

  it('rejects values that values.schema.json (or the chart) does not accept, naming them', async () => {
    await expect(helmTemplate(valueSet('default'), { 'services.serving.replica': '2' })).rejects.toThrow(/services\/serving.*replica/);
    await expect(helmTemplate(valueSet('default'), { 'services.model-registry.replicas': '2' })).rejects.toThrow(/model-registry.replicas must be 1 while the registry runs on SQLite/);
    await expect(helmTemplate(valueSet('default'), { 'services.trainer.gpu.enabled': 'true' })).rejects.toThrow(/gpu\/product/);
    await expect(helmTemplate(valueSet('default'), { 'redis.enabled': 'false' })).rejects.toThrow(/external/);
  });
});
