import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eConfig } from '@slipway/config';
import { parse } from 'yaml';
import { downloadGoModule } from './schemas/go-module';
import { ensureSchemaLocations } from './schemas/schema-cache';
import { helmTemplate } from './support/helm';
import { kubeconform } from './support/kubeconform';
import { ofKind, parseManifests } from './support/manifests';
import { KUBE_VERSION } from './support/pins';
import { valueSet } from './support/value-sets';
import { CHART_DIR, WORKSPACE_ROOT } from './support/workspace';

const read = (path: string) => readFileSync(join(WORKSPACE_ROOT, path), 'utf8');

interface KindCluster {
  kind: string;
  nodes: { role: string; image: string; extraPortMappings?: { containerPort: number; hostPort: number; listenAddress?: string }[] }[];
}

/** The kind version tools/go-tools/install.sh builds. */
function pinnedKindVersion(): string {
  const line = read('tools/go-tools/tools.tsv')
    .split('\n')
    .find((row) => row.startsWith('kind\t'));
  const version = line?.split('\t')[2];
  if (!version) throw new Error('tools/go-tools/tools.tsv pins no kind version');
  return version;
}

describe('kind e2e assets', () => {
  const cluster = parse(read('infra/kind/cluster.yaml')) as KindCluster;
  const script = read('tools/kind/e2e.sh');

  it('runs the node image that the pinned kind release was made with, on the Kubernetes minor the chart is checked for', async () => {
    const kindSource = await downloadGoModule({ module: 'sigs.k8s.io/kind', version: pinnedKindVersion() });
    const defaultImage = /const Image = "([^"]+)"/.exec(readFileSync(join(kindSource, 'pkg/apis/config/defaults/image.go'), 'utf8'))?.[1];
    expect(cluster.nodes.map((node) => node.image)).toEqual([defaultImage]);
    const nodeMinor = /:v(\d+\.\d+)\./.exec(defaultImage ?? '')?.[1];
    expect(KUBE_VERSION.startsWith(`${nodeMinor}.`)).toBe(true);
  });

  it('publishes exactly the node ports of the kind values, on the loopback address only', async () => {
    const services = ofKind(await helmTemplate(valueSet('kind')), 'Service').filter((service) => (service.spec as { type: string }).type === 'NodePort');
    const nodePorts = services.map((service) => (service.spec as { ports: { nodePort: number }[] }).ports[0]?.nodePort);
    const mappings = cluster.nodes.flatMap((node) => node.extraPortMappings ?? []);
    expect(mappings.map((m) => m.containerPort).sort()).toEqual([...nodePorts].sort());
    for (const mapping of mappings) expect(mapping).toEqual(expect.objectContaining({ hostPort: mapping.containerPort, listenAddress: '127.0.0.1' }));
  });

  it('points every SLIPWAY_E2E_*_URL of the e2e suite at the node port of its service', async () => {
    const services = ofKind(await helmTemplate(valueSet('kind')), 'Service');
    const nodePortOf = (component: string) =>
      (services.find((s) => s.metadata.labels?.['app.kubernetes.io/component'] === component && (s.spec as { type: string }).type === 'NodePort')?.spec as { ports: { nodePort: number }[] })
        .ports[0]?.nodePort;
    const exported = Object.fromEntries([...script.matchAll(/^export (SLIPWAY_E2E_[A-Z_]+_URL)=(\S+)$/gm)].map((match) => [match[1], match[2]]));
    expect(Object.keys(exported).sort()).toEqual(Object.keys(e2eConfig.variables).sort());
    const serviceOf: Record<string, string> = {
      SLIPWAY_E2E_REGISTRY_URL: 'model-registry',
      SLIPWAY_E2E_DATA_PREP_URL: 'data-prep',
      SLIPWAY_E2E_TRAINER_URL: 'trainer',
      SLIPWAY_E2E_MONITORING_URL: 'monitoring',
      SLIPWAY_E2E_SERVING_URL: 'serving',
    };
    for (const [variable, url] of Object.entries(exported)) expect({ variable, url }).toEqual({ variable, url: `http://127.0.0.1:${nodePortOf(serviceOf[variable] ?? '')}` });
  });

  it('runs e2e suites that exist', () => {
    const suites = /E2E_SUITES:-([^}]+)\}/.exec(script)?.[1]?.split(' ') ?? [];
    expect(suites.length).toBeGreaterThan(0);
    for (const suite of suites) expect({ suite, exists: existsSync(join(WORKSPACE_ROOT, 'apps/platform-e2e/src', `${suite}.e2e-spec.ts`)) }).toEqual({ suite, exists: true });
  });
});

describe('Argo CD manifests', () => {
  const files = ['infra/argocd/application.yaml', 'infra/argocd/applicationset.yaml'];

  it('validate against the Argo CD CRDs', async () => {
    const locations = await ensureSchemaLocations();
    const text = files.map(read).join('\n---\n');
    const results = await kubeconform(text, locations);
    expect(results.map((r) => `${r.kind}/${r.name}: ${r.status} ${r.msg}`)).toEqual(['Application/slipway: statusValid ', 'ApplicationSet/slipway: statusValid ']);
  });

  it('keep the Redis password the chart made: Argo CD renders without lookup, so they ignore that Secret’s data', async () => {
    const generated = ofKind(await helmTemplate(valueSet('production')), 'Secret').filter((secret) => secret.metadata.labels?.['app.kubernetes.io/component'] === 'redis');
    expect(generated.map((secret) => Object.keys(secret.data ?? {}))).toEqual([['redis-password']]);
    const [application, applicationSet] = files.map((file) => parseManifests(read(file))[0]);
    const specs = [application?.spec, (applicationSet?.spec as { template: { spec: unknown } }).template.spec] as { ignoreDifferences?: unknown[]; syncPolicy: { syncOptions: string[] } }[];
    for (const spec of specs) {
      expect(spec.ignoreDifferences).toEqual([{ kind: 'Secret', name: generated[0]?.metadata.name, jsonPointers: ['/data'] }]);
      expect(spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    }
  });

  it('deploy the chart with value files it ships, dev, staging and prod each', () => {
    const [application, applicationSet] = files.map((file) => parseManifests(read(file))[0]);
    const chartPath = CHART_DIR.slice(WORKSPACE_ROOT.length + 1);
    const source = (application?.spec as { source: { path: string; helm: { valueFiles: string[] } } }).source;
    expect(source.path).toBe(chartPath);
    const spec = applicationSet?.spec as { generators: { list: { elements: { env: string; valueFiles: string[] }[] } }[]; template: { spec: { source: { path: string } } } };
    expect(spec.template.spec.source.path).toBe(chartPath);
    const elements = spec.generators[0]?.list.elements ?? [];
    expect(elements.map((element) => element.env)).toEqual(['dev', 'staging', 'prod']);
    for (const valueFile of [...source.helm.valueFiles, ...elements.flatMap((element) => element.valueFiles)]) {
      expect({ valueFile, exists: existsSync(join(CHART_DIR, valueFile)) }).toEqual({ valueFile, exists: true });
    }
  });
});
