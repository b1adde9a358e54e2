import { secretValue, resolveContainerEnv, referencesIn } from './support/chart-env';
import { helmTemplate, helmTemplateText, NAMESPACE } from './support/helm';
import { componentOf, ofKind, workloadsOf, type ContainerSpec, type K8sObject, type Workload } from './support/manifests';
import { connectionAllowed, policyPods, type NetworkPolicySpec, type PolicyPod } from './support/network-policy';
import { httpRouteForwards, publicGateways, virtualServiceForwards } from './support/route-match';
import { SERVICES } from './support/service-identity';
import { valueSet, VALUE_SETS, type ValueSet } from './support/value-sets';

/** Serving paths a public route must forward: inference, model metadata and readiness, server health and metadata. */
const PUBLIC_PATHS = [
  '/v1/models',
  '/v1/models/iris',
  '/v1/models/iris:predict',
  '/v2',
  '/v2/health/live',
  '/v2/health/ready',
  '/v2/models/iris',
  '/v2/models/iris/ready',
  '/v2/models/iris/infer',
  '/v2/models/iris/versions/3/infer',
];
/** And those it must never forward: the model repository extension (load/unload), metrics, probes, the API document. */
const PRIVATE_PATHS = ['/v2/repository/index', '/v2/repository/models/iris/load', '/v2/repository/models/iris/unload', '/metrics', '/healthz', '/readyz', '/openapi.json', '/', '/v2/modelsx'];

/** Pods outside the release that policies are asked about. */
const outside = (name: string, namespace: string, labels: Record<string, string> = {}): PolicyPod => ({ name, namespace, labels, ports: {} });
const KUBE_DNS = outside('coredns', 'kube-system', { 'k8s-app': 'kube-dns' });
const PROMETHEUS = outside('prometheus', 'monitoring', { 'app.kubernetes.io/name': 'prometheus' });
const GRAFANA = outside('grafana', 'monitoring', { 'app.kubernetes.io/name': 'grafana' });
const ELSEWHERE = outside('somewhere', 'elsewhere');

const redisContainer = (objects: K8sObject[]) => workloadsOf(objects).find((w) => componentOf(w) === 'redis')?.pod.containers[0];
const serviceDeployments = (objects: K8sObject[]) => workloadsOf(objects).filter((w) => w.object.kind === 'Deployment' && SERVICES.includes(componentOf(w) as never));
const envOf = (container: ContainerSpec, name: string) => container.env?.find((variable) => variable.name === name);
const policiesOf = (objects: K8sObject[]) => ofKind(objects, 'NetworkPolicy');

/** The password the in-chart Redis requires: the variable after --requirepass, resolved from its Secret. */
function requiredPassword(objects: K8sObject[]): string | undefined {
  const container = redisContainer(objects);
  const command = container?.command ?? [];
  const argument = command[command.indexOf('--requirepass') + 1] ?? '';
  const [reference] = referencesIn(argument);
  const ref = reference ? envOf(container as ContainerSpec, reference)?.valueFrom?.secretKeyRef : undefined;
  return ref && secretValue(objects, ref);
}

/** component:port of every release pod the source's pods may open a connection to. */
function reachable(objects: K8sObject[], source: string): string[] {
  const pods = policyPods(workloadsOf(objects), NAMESPACE);
  const from = pods.filter((pod) => pod.labels['app.kubernetes.io/component'] === source);
  const found = new Set<string>();
  for (const a of from) {
    for (const b of pods.filter((pod) => pod !== a)) {
      for (const port of Object.values(b.ports)) {
        if (connectionAllowed(policiesOf(objects), { from: a, to: b, port })) found.add(`${b.labels['app.kubernetes.io/component']}:${port}`);
      }
    }
  }
  return [...found].sort();
}

const usesInChartRedis = (set: ValueSet) => set.set?.['redis.enabled'] !== 'false';

describe.each(VALUE_SETS.map((set) => [set.name, set] as const))('hardening of the %s values', (_name, set) => {
  let objects: K8sObject[];
  let deployments: Workload[];

  beforeAll(async () => {
    objects = await helmTemplate(set);
    deployments = serviceDeployments(objects);
  });

  it('runs the in-chart Redis with --requirepass from its Secret and protected mode on, probed with that password', () => {
    const container = redisContainer(objects);
    if (!usesInChartRedis(set)) {
      expect(container).toBeUndefined();
      return;
    }
    const command = container?.command ?? [];
    expect(command).toContain('--requirepass');
    expect(command[command.indexOf('--protected-mode') + 1]).toBe('yes');
    const password = requiredPassword(objects);
    expect(password?.length).toBeGreaterThanOrEqual(32);
    // redis-cli reads REDISCLI_AUTH: the probes authenticate with the same key of the same Secret.
    const argument = command[command.indexOf('--requirepass') + 1] ?? '';
    const passwordRef = envOf(container as ContainerSpec, referencesIn(argument)[0] ?? '')?.valueFrom?.secretKeyRef;
    expect(envOf(container as ContainerSpec, 'REDISCLI_AUTH')?.valueFrom?.secretKeyRef).toEqual(passwordRef);
    expect(container?.livenessProbe?.exec?.command).toEqual(['redis-cli', 'ping']);
  });

  it('gives every service a REDIS_URL that carries the password Redis requires', () => {
    expect(deployments.length).toBeGreaterThanOrEqual(SERVICES.length);
    for (const { object, pod } of deployments) {
      const container = pod.containers[0] as ContainerSpec;
      const entry = envOf(container, 'REDIS_URL');
      const fromSecret = entry?.valueFrom?.secretKeyRef;
      if (fromSecret && !secretValue(objects, fromSecret)) {
        // An existing Secret of the operator's, named in the values: the chart cannot see inside it.
        expect({ deployment: object.metadata.name, secret: fromSecret.name }).toEqual({ deployment: object.metadata.name, secret: set.set?.['redis.external.existingSecret'] });
        continue;
      }
      const url = new URL(resolveContainerEnv(container, objects)['REDIS_URL'] as string);
      expect({ deployment: object.metadata.name, hasPassword: url.password.length > 0 }).toEqual({ deployment: object.metadata.name, hasPassword: true });
      if (usesInChartRedis(set)) expect({ deployment: object.metadata.name, password: url.password }).toEqual({ deployment: object.metadata.name, password: requiredPassword(objects) });
    }
  });

  it('keeps the Redis password out of everything but its Secret', async () => {
    if (!usesInChartRedis(set)) return;
    const password = requiredPassword(objects) as string;
    const text = await helmTemplateText(set);
    expect(text.includes(password)).toBe(false);
    expect(text.split(Buffer.from(password).toString('base64')).length - 1).toBe(1);
  });

  it('gives every NetworkPolicy an egress part', () => {
    for (const policy of policiesOf(objects)) {
      const spec = policy.spec as unknown as NetworkPolicySpec;
      expect({ policy: policy.metadata.name, types: spec.policyTypes, egress: Array.isArray(spec.egress) }).toEqual({ policy: policy.metadata.name, types: ['Ingress', 'Egress'], egress: true });
    }
  });

  it('lets each pod reach only the pods of the release it talks to', () => {
    if (policiesOf(objects).length === 0) return;
    const inChartDatabase = ofKind(objects, 'StatefulSet').some((s) => s.metadata.labels?.['app.kubernetes.io/component'] === 'postgresql');
    const redis = usesInChartRedis(set) ? ['redis:6379'] : [];
    const expected: Record<string, string[]> = {
      'model-registry': [...(inChartDatabase ? ['postgresql:5432'] : []), ...redis],
      'data-prep': redis,
      trainer: redis,
      monitoring: ['model-registry:3001', ...redis],
      serving: ['model-registry:3001', ...redis],
      redis: [],
      ...(inChartDatabase ? { postgresql: [] } : {}),
    };
    const components = [...new Set(workloadsOf(objects).map(componentOf))].filter((c): c is string => c !== undefined && c !== 'test');
    expect(Object.fromEntries(components.map((component) => [component, reachable(objects, component)]))).toEqual(Object.fromEntries(components.map((c) => [c, [...(expected[c] ?? ['unexpected component'])].sort()])));
  });

  it('admits only the services to Redis and only the registry to PostgreSQL (not the helm test pod)', () => {
    if (policiesOf(objects).length === 0) return;
    const pods = policyPods(workloadsOf(objects), NAMESPACE);
    for (const [target, port, admittedComponents] of [
      ['redis', 6379, SERVICES as readonly string[]],
      ['postgresql', 5432, ['model-registry']],
    ] as const) {
      const destination = pods.find((pod) => pod.labels['app.kubernetes.io/component'] === target);
      if (!destination) continue;
      const admitted = pods
        .filter((pod) => pod !== destination)
        .filter((pod) => connectionAllowed(policiesOf(objects).filter((p) => p.metadata.name === destination.name), { from: pod, to: destination, port }))
        .map((pod) => pod.labels['app.kubernetes.io/component'] as string);
      expect({ target, admitted: [...new Set(admitted)].sort() }).toEqual({ target, admitted: [...admittedComponents].sort() });
    }
  });

  it('lets the services resolve names with the cluster DNS, and reach nothing else outside unless configured', () => {
    if (policiesOf(objects).length === 0) return;
    for (const from of policyPods(deployments, NAMESPACE)) {
      for (const protocol of ['UDP', 'TCP'] as const) expect({ from: from.name, protocol, dns: connectionAllowed(policiesOf(objects), { from, to: KUBE_DNS, port: 53, protocol }) }).toEqual({ from: from.name, protocol, dns: true });
      for (const port of [22, 80, 443, 5432, 8080]) expect({ from: from.name, port, out: connectionAllowed(policiesOf(objects), { from, to: ELSEWHERE, port }) }).toEqual({ from: from.name, port, out: false });
    }
  });

  it('admits Prometheus pods, and no other pod of the monitoring namespace, to the port that serves /metrics only', () => {
    if (policiesOf(objects).length === 0) return;
    for (const to of policyPods(deployments, NAMESPACE)) {
      const http = to.ports['http'] as number;
      expect({ to: to.name, scrape: connectionAllowed(policiesOf(objects), { from: PROMETHEUS, to, port: http }), grafana: connectionAllowed(policiesOf(objects), { from: GRAFANA, to, port: http }) }).toEqual({ to: to.name, scrape: true, grafana: false });
    }
    const redis = policyPods(workloadsOf(objects), NAMESPACE).find((pod) => pod.labels['app.kubernetes.io/component'] === 'redis');
    if (redis) expect(connectionAllowed(policiesOf(objects), { from: PROMETHEUS, to: redis, port: 6379 })).toBe(false);
    for (const monitor of ofKind(objects, 'ServiceMonitor')) {
      expect((monitor.spec as { endpoints: { port: string; path: string }[] }).endpoints.map(({ port, path }) => ({ port, path }))).toEqual([{ port: 'http', path: '/metrics' }]);
    }
  });

  it('routes only inference, model metadata and health paths of serving publicly', () => {
    for (const route of ofKind(objects, 'HTTPRoute')) {
      expect(PUBLIC_PATHS.filter((path) => !httpRouteForwards(route, path))).toEqual([]);
      expect(PRIVATE_PATHS.filter((path) => httpRouteForwards(route, path))).toEqual([]);
    }
    for (const service of ofKind(objects, 'VirtualService')) {
      for (const gateway of publicGateways(service)) {
        expect({ gateway, missing: PUBLIC_PATHS.filter((path) => !virtualServiceForwards(service, gateway, path)) }).toEqual({ gateway, missing: [] });
        expect({ gateway, exposed: PRIVATE_PATHS.filter((path) => virtualServiceForwards(service, gateway, path)) }).toEqual({ gateway, exposed: [] });
      }
    }
  });
});

describe('hardening options', () => {
  const policyPodOf = (objects: K8sObject[], component: string) => policyPods(serviceDeployments(objects), NAMESPACE).find((pod) => pod.labels['app.kubernetes.io/component'] === component) as PolicyPod;
  const portsOut = (objects: K8sObject[], component: string, ports: number[]) => ports.filter((port) => connectionAllowed(policiesOf(objects), { from: policyPodOf(objects, component), to: ELSEWHERE, port }));

  it('opens data-prep, and only data-prep, to the ports of SLIPWAY_DATA_HTTP_HOSTS', async () => {
    const objects = await helmTemplate(valueSet('default'), { 'services.data-prep.settings.SLIPWAY_DATA_HTTP_HOSTS': 'example.com\\,data.example.org:8443' });
    expect(portsOut(objects, 'data-prep', [22, 80, 443, 8443, 9000])).toEqual([80, 443, 8443]);
    expect(portsOut(objects, 'trainer', [80, 443, 8443])).toEqual([]);
  });

  it('opens every service to the OTLP collector port when tracing is on', async () => {
    const objects = await helmTemplate(valueSet('default'), { 'config.otlpEndpoint': 'http://otel-collector.observability:4318' });
    for (const service of SERVICES) expect({ service, out: portsOut(objects, service, [443, 4318]) }).toEqual({ service, out: [4318] });
  });

  it('opens monitoring to the ports of its drift webhooks', async () => {
    const objects = await helmTemplate(valueSet('default'), { 'services.monitoring.settings.SLIPWAY_DRIFT_POLICY.iris.webhook': 'https://hooks.example.com:8443/drift' });
    expect(portsOut(objects, 'monitoring', [443, 8443])).toEqual([8443]);
    expect(portsOut(objects, 'serving', [8443])).toEqual([]);
  });

  it('opens the services to an external Redis on its port only, and the registry to an external PostgreSQL', async () => {
    const redis = await helmTemplate(valueSet('external-redis'));
    for (const service of SERVICES) expect({ service, out: portsOut(redis, service, [443, 6379]) }).toEqual({ service, out: [6379] });
    const database = await helmTemplate(valueSet('default'), { 'database.url': 'postgres://slipway:s3cret@db.example.org:6432/slipway' });
    expect(portsOut(database, 'model-registry', [5432, 6432])).toEqual([6432]);
    expect(portsOut(database, 'serving', [6432])).toEqual([]);
  });

  it('refuses an external REDIS_URL without a password, naming the value', async () => {
    await expect(helmTemplate(valueSet('default'), { 'redis.enabled': 'false', 'redis.external.url': 'redis://redis.data:6379' })).rejects.toThrow(/redis\/external\/url/);
    await expect(helmTemplate(valueSet('default'), { 'redis.enabled': 'false', 'redis.external.url': 'redis://:s3cret@redis.data:6379' })).resolves.toBeDefined();
  });

  it('takes the password from redis.auth.existingSecret when named, rendering no Secret of its own', async () => {
    const objects = await helmTemplate(valueSet('default'), { 'redis.auth.existingSecret': 'team-redis' });
    expect(ofKind(objects, 'Secret').map((s) => s.metadata.name)).not.toContain('slipway-redis-auth');
    for (const container of [redisContainer(objects), ...serviceDeployments(objects).map((w) => w.pod.containers[0])]) {
      expect(envOf(container as ContainerSpec, 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'team-redis', key: 'redis-password' });
    }
  });

  it('authenticates KEDA to the in-chart Redis with its password', async () => {
    const objects = await helmTemplate(valueSet('gpu-keda'));
    const [auth] = ofKind(objects, 'TriggerAuthentication');
    expect((auth?.spec as { secretTargetRef: unknown[] }).secretTargetRef).toEqual([{ parameter: 'password', name: 'slipway-redis-auth', key: 'redis-password' }]);
    const triggers = (ofKind(objects, 'ScaledObject')[0]?.spec as { triggers: { authenticationRef?: { name: string } }[] }).triggers;
    expect(triggers.map((trigger) => trigger.authenticationRef?.name)).toEqual(triggers.map(() => auth?.metadata.name));
  });

  it('still routes every serving path between pods of the Istio mesh', async () => {
    const [service] = ofKind(await helmTemplate(valueSet('istio')), 'VirtualService');
    expect([...PUBLIC_PATHS, '/v2/repository/index', '/metrics'].filter((path) => !virtualServiceForwards(service as K8sObject, 'mesh', path))).toEqual([]);
  });
});
