import { parseAllDocuments } from 'yaml';

/** The parts of rendered Kubernetes objects the checks read. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface EnvVarSpec {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: { name: string; key: string } };
}

export interface HttpProbe {
  httpGet?: { path: string; port: number | string };
  exec?: { command: string[] };
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVarSpec[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface PodSpec {
  containers: ContainerSpec[];
  securityContext?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; effect?: string; value?: string }[];
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: object; configMap?: { name: string } }[];
}

export interface Workload {
  object: K8sObject;
  labels: Record<string, string>;
  pod: PodSpec;
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null && typeof object === 'object');
}

export const ofKind = (objects: readonly K8sObject[], kind: string): K8sObject[] => objects.filter((object) => object.kind === kind);

export function findObject(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** Deployments, StatefulSets and bare Pods with their pod template. */
export function workloadsOf(objects: readonly K8sObject[]): Workload[] {
  return objects.flatMap((object): Workload[] => {
    if (object.kind === 'Pod') return [{ object, labels: object.metadata.labels ?? {}, pod: object.spec as unknown as PodSpec }];
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return [];
    const template = (object.spec as { template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec } }).template;
    return [{ object, labels: template.metadata?.labels ?? {}, pod: template.spec }];
  });
}

export const componentOf = (workload: Workload): string | undefined => workload.labels['app.kubernetes.io/component'];
