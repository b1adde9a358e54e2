import { SERVICE_CONFIGS, type ServiceName } from '@slipway/config';
import { helmTemplate } from './support/helm';
import { referencesIn } from './support/chart-env';
import { componentOf, findObject, ofKind, workloadsOf, type ContainerSpec, type EnvVarSpec, type K8sObject, type Workload } from './support/manifests';
import { SERVICES } from './support/service-identity';
import { valueSet, VALUE_SETS } from './support/value-sets';

const STANDARD_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/component',
  'app.kubernetes.io/version',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
  'helm.sh/chart',
];
const GPU = 'nvidia.com/gpu';

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

const slipwayDeployments = (objects: K8sObject[]) =>
  workloadsOf(objects).filter((w) => w.object.kind === 'Deployment' && SERVICES.includes(componentOf(w) as ServiceName));

const envOf = (container: ContainerSpec, name: string) => container.env?.find((variable) => variable.name === name);

describe.each(VALUE_SETS.map((set) => [set.name, set] as const))('policies of the %s values', (_name, set) => {
  let objects: K8sObject[];
  let workloads: Workload[];

  beforeAll(async () => {
    objects = await helmTemplate(set);
    workloads = workloadsOf(objects);
  });

  it('label every object with the app.kubernetes.io set', () => {
    for (const object of objects) {
      expect({ object: `${object.kind}/${object.metadata.name}`, missing: STANDARD_LABELS.filter((label) => !object.metadata.labels?.[label]) }).toEqual({
        object: `${object.kind}/${object.metadata.name}`,
        missing: [],
      });
    }
  });

  it('run every pod as non-root with a read-only root filesystem, no capabilities, RuntimeDefault seccomp and no API token', () => {
    expect(workloads.length).toBeGreaterThan(0);
    for (const { object, pod } of workloads) {
      const where = `${object.kind}/${object.metadata.name}`;
      expect({ where, runAsNonRoot: pod.securityContext?.['runAsNonRoot'] }).toEqual({ where, runAsNonRoot: true });
      expect({ where, seccomp: pod.securityContext?.['seccompProfile'] }).toEqual({ where, seccomp: { type: 'RuntimeDefault' } });
      expect({ where, automount: pod.automountServiceAccountToken }).toEqual({ where, automount: false });
      for (const container of pod.containers) {
        const context = container.securityContext ?? {};
        expect({ where, container: container.name, privilegeEscalation: context['allowPrivilegeEscalation'], readOnlyRoot: context['readOnlyRootFilesystem'] }).toEqual({
          where,
          container: container.name,
          privilegeEscalation: false,
          readOnlyRoot: true,
        });
        expect((context['capabilities'] as { drop?: string[] } | undefined)?.drop).toContain('ALL');
        for (const kind of ['requests', 'limits'] as const) {
          expect({ where, kind, cpu: container.resources?.[kind]?.['cpu'] !== undefined, memory: container.resources?.[kind]?.['memory'] !== undefined }).toEqual({
            where,
            kind,
            cpu: true,
            memory: true,
          });
        }
      }
    }
    for (const account of ofKind(objects, 'ServiceAccount')) expect((account as unknown as { automountServiceAccountToken: boolean }).automountServiceAccountToken).toBe(false);
  });

  it('probe every long-running container; services on /healthz (liveness) and /readyz (readiness) at the port PORT names', () => {
    for (const { object, pod } of workloads.filter((w) => w.object.kind !== 'Pod')) {
      for (const container of pod.containers) {
        expect({ workload: object.metadata.name, liveness: !!container.livenessProbe, readiness: !!container.readinessProbe }).toEqual({
          workload: object.metadata.name,
          liveness: true,
          readiness: true,
        });
      }
    }
    const deployments = slipwayDeployments(objects);
    expect(new Set(deployments.map(componentOf))).toEqual(new Set(SERVICES));
    for (const { pod } of deployments) {
      const [container] = pod.containers;
      if (!container) throw new Error('a Deployment without a container');
      const httpPort = container.ports?.find((port) => port.name === 'http')?.containerPort;
      expect(String(httpPort)).toBe(envOf(container, 'PORT')?.value);
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.startupProbe?.httpGet?.port).toBe('http');
    }
  });

  it('select pods with Services, PodDisruptionBudgets and NetworkPolicies that match them', () => {
    const podLabels = workloads.map((w) => w.labels);
    for (const kind of ['Service', 'PodDisruptionBudget', 'NetworkPolicy']) {
      for (const object of ofKind(objects, kind)) {
        const spec = object.spec as { selector?: Record<string, string> | { matchLabels: Record<string, string> }; podSelector?: { matchLabels: Record<string, string> } };
        const selector = spec.podSelector?.matchLabels ?? ('matchLabels' in (spec.selector ?? {}) ? (spec.selector as { matchLabels: Record<string, string> }).matchLabels : (spec.selector as Record<string, string>));
        expect({ object: `${kind}/${object.metadata.name}`, matches: podLabels.some((labels) => selects(selector, labels)) }).toEqual({ object: `${kind}/${object.metadata.name}`, matches: true });
      }
    }
    const covered = (kind: string, component: string) =>
      ofKind(objects, kind).some((object) => {
        const spec = object.spec as { selector?: { matchLabels: Record<string, string> }; podSelector?: { matchLabels: Record<string, string> } };
        return (spec.podSelector ?? spec.selector)?.matchLabels['app.kubernetes.io/component'] === component;
      });
    // Policies are all or nothing (networkPolicy.enabled): when there are any, every component has one.
    const policies = ofKind(objects, 'NetworkPolicy').length > 0;
    for (const { labels } of slipwayDeployments(objects)) {
      const component = labels['app.kubernetes.io/component'] as string;
      expect({ component, pdb: covered('PodDisruptionBudget', component), networkPolicy: covered('NetworkPolicy', component) }).toEqual({ component, pdb: true, networkPolicy: policies });
    }
  });

  it('take the variables libs/config marks sensitive (REDIS_URL, SLIPWAY_DATABASE_URL, tokens) from a Secret, or compose them from variables that are', () => {
    const rendered = ofKind(objects, 'Secret');
    const expectFromSecret = (where: object, entry: EnvVarSpec | undefined) => {
      const ref = entry?.valueFrom?.secretKeyRef;
      expect({ ...where, ref: ref !== undefined }).toEqual({ ...where, ref: true });
      const secret = rendered.find((s) => s.metadata.name === ref?.name);
      // A Secret the chart does not render is one the values name as existing; an optional key may be absent (unset).
      if (ref?.optional === true) return;
      if (secret) expect(Object.keys({ ...secret.stringData, ...secret.data })).toContain(ref?.key);
      else expect(Object.values(set.set ?? {})).toContain(ref?.name);
    };
    for (const { pod, labels } of slipwayDeployments(objects)) {
      const service = labels['app.kubernetes.io/component'] as ServiceName;
      const container = pod.containers[0] as ContainerSpec;
      for (const [name, variable] of Object.entries(SERVICE_CONFIGS[service].variables)) {
        const entry = envOf(container, name);
        if (!variable.sensitive) continue;
        if (entry?.value === undefined) {
          expectFromSecret({ service, name }, entry);
          continue;
        }
        // A literal: a URL whose password is nothing but $(NAME) references to variables taken from a Secret.
        const references = referencesIn(entry.value);
        const password = new URL(entry.value.replace(/\$\(([A-Za-z0-9_]+)\)/g, '__$1__')).password;
        expect({ service, name, password }).toEqual({ service, name, password: references.map((reference) => `__${reference}__`).join('') });
        expect(references.length).toBeGreaterThan(0);
        for (const reference of references) expectFromSecret({ service, name, reference }, envOf(container, reference));
      }
    }
  });

  it('give the trainer a GPU, its toleration and node selector exactly when the GPU values ask for it', () => {
    const trainer = slipwayDeployments(objects).find((w) => componentOf(w) === 'trainer');
    const container = trainer?.pod.containers[0] as ContainerSpec;
    const gpuWanted = set.files.includes('values-gpu-keda.yaml');
    const tolerates = (trainer?.pod.tolerations ?? []).some((t) => t.key === GPU && t.operator === 'Exists' && t.effect === 'NoSchedule');
    expect({
      limit: container.resources?.limits?.[GPU] !== undefined,
      tolerates,
      productSelector: trainer?.pod.nodeSelector?.['nvidia.com/gpu.product'] !== undefined,
      backend: envOf(container, 'SLIPWAY_TF_BACKEND')?.value === 'tensorflow-gpu',
      gpuImage: /\/trainer-gpu:/.test(container.image),
    }).toEqual({ limit: gpuWanted, tolerates: gpuWanted, productSelector: gpuWanted, backend: gpuWanted, gpuImage: gpuWanted });
    if (gpuWanted) expect(Number(container.resources?.limits?.[GPU])).toBeGreaterThanOrEqual(1);
    for (const { object, pod } of workloads.filter((w) => w.object !== trainer?.object)) {
      for (const other of pod.containers) expect({ workload: object.metadata.name, gpu: other.resources?.limits?.[GPU] }).toEqual({ workload: object.metadata.name, gpu: undefined });
    }
  });

  it('leave the replica count of an autoscaled Deployment to its autoscaler, scaling trainers to zero', () => {
    const targets = [...ofKind(objects, 'HorizontalPodAutoscaler'), ...ofKind(objects, 'ScaledObject')].map((scaler) => {
      const target = (scaler.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
      return findObject(objects, target.kind, target.name);
    });
    for (const target of targets) expect({ deployment: target.metadata.name, replicas: target.spec?.['replicas'] }).toEqual({ deployment: target.metadata.name, replicas: undefined });
    for (const scaled of ofKind(objects, 'ScaledObject')) expect(scaled.spec?.['minReplicaCount']).toBe(0);
    for (const deployment of slipwayDeployments(objects).filter((w) => !targets.includes(w.object))) {
      expect(deployment.object.spec?.['replicas']).toBeGreaterThanOrEqual(1);
    }
  });

  it('limit GPUs per team with requests.nvidia.com/gpu when a team has GPUs', () => {
    for (const quota of ofKind(objects, 'ResourceQuota')) {
      const namespace = quota.metadata.namespace;
      expect(namespace).toBeDefined();
      expect(ofKind(objects, 'LimitRange').some((range) => range.metadata.namespace === namespace)).toBe(true);
    }
    if (set.files.includes('values-prod.yaml') || set.files.includes('values-gpu-keda.yaml')) {
      expect(ofKind(objects, 'ResourceQuota').some((quota) => (quota.spec as { hard: Record<string, string> }).hard[`requests.${GPU}`] !== undefined)).toBe(true);
    }
  });
});

describe('chart options', () => {
  it('admits calls to every component and to Redis by NetworkPolicy by default', async () => {
    const objects = await helmTemplate(valueSet('default'));
    const guarded = ofKind(objects, 'NetworkPolicy').map((policy) => (policy.spec as { podSelector: { matchLabels: Record<string, string> } }).podSelector.matchLabels['app.kubernetes.io/component']);
    expect(guarded.sort()).toEqual([...SERVICES, 'redis'].sort());
  });

  it('labels the ServiceMonitor with the configured release', async () => {
    const objects = await helmTemplate(valueSet('production'), { 'serviceMonitor.release': 'observability' });
    const [monitor] = ofKind(objects, 'ServiceMonitor');
    expect(monitor?.metadata.labels?.['release']).toBe('observability');
    const selector = (monitor?.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
    const scraped = ofKind(objects, 'Service').filter((service) => selects(selector, service.metadata.labels ?? {}));
    // One Service per component: no pod is scraped twice.
    expect(scraped.map((service) => service.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual([...SERVICES].sort());
  });

  it('splits serving traffic between the stable and canary tracks with Istio', async () => {
    const objects = await helmTemplate(valueSet('istio'));
    const [route] = ofKind(objects, 'VirtualService');
    const [rule] = ofKind(objects, 'DestinationRule');
    const destinations = (route?.spec as { http: { route: { destination: { subset: string }; weight: number }[] }[] }).http[0]?.route ?? [];
    expect(destinations.reduce((sum, d) => sum + d.weight, 0)).toBe(100);
    const subsets = (rule?.spec as { subsets: { name: string; labels: Record<string, string> }[] }).subsets;
    const servingPods = workloadsOf(objects).filter((w) => componentOf(w) === 'serving');
    for (const destination of destinations) {
      const subset = subsets.find((s) => s.name === destination.destination.subset);
      expect(servingPods.filter((w) => selects(subset?.labels ?? { none: 'none' }, w.labels))).toHaveLength(1);
    }
  });

  it('splits serving traffic between per-track Services with Gateway API HTTPRoute weights', async () => {
    const objects = await helmTemplate(valueSet('gateway-api'));
    const [route] = ofKind(objects, 'HTTPRoute');
    const backends = (route?.spec as { rules: { backendRefs: { name: string; weight: number }[] }[] }).rules[0]?.backendRefs ?? [];
    expect(backends.reduce((sum, b) => sum + b.weight, 0)).toBe(100);
    const servingPods = workloadsOf(objects).filter((w) => componentOf(w) === 'serving');
    const tracks = backends.map((backend) => {
      const service = findObject(objects, 'Service', backend.name);
      const matching = servingPods.filter((w) => selects((service.spec as { selector: Record<string, string> }).selector, w.labels));
      expect(matching).toHaveLength(1);
      return matching[0]?.labels['slipway.dev/track'];
    });
    expect(tracks.sort()).toEqual(['canary', 'stable']);
  });

  it('ships a helm test pod that makes a prediction through serving', async () => {
    const objects = await helmTemplate(valueSet('default'));
    const pod = ofKind(objects, 'Pod').find((object) => object.metadata.annotations?.['helm.sh/hook'] === 'test');
    const env = Object.fromEntries(((pod?.spec as { containers: ContainerSpec[] }).containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    const serving = findObject(objects, 'Service', 'slipway-serving');
    expect(env['SLIPWAY_SERVING_URL']).toBe(`http://slipway-serving:${(serving.spec as { ports: { port: number }[] }).ports[0]?.port}`);
  });
});
