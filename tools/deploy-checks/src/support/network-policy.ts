import type { K8sObject, Workload } from './manifests';

/**
 * What the Kubernetes NetworkPolicy API says about one connection between pods, read from rendered policies - the
 * semantics every enforcing CNI implements: a pod that no policy of a direction selects is open in that direction;
 * once one does, only what some rule of those policies admits gets through.
 */

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface PolicyPort {
  port?: number | string;
  protocol?: string;
}

export interface PolicyRule {
  to?: PolicyPeer[];
  from?: PolicyPeer[];
  ports?: PolicyPort[];
}

export interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

/** A pod as policies see it: where it runs, its labels and its named container ports. */
export interface PolicyPod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ports: Record<string, number>;
}

/** A connection to a port of a pod. */
export interface Connection {
  from: PolicyPod;
  to: PolicyPod;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    byLabels &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'In') return key in labels && values.includes(labels[key] as string);
      if (operator === 'NotIn') return !(key in labels && values.includes(labels[key] as string));
      if (operator === 'Exists') return key in labels;
      return !(key in labels);
    })
  );
}

/** The labels the API server puts on every namespace. */
const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

function peerMatches(peer: PolicyPeer, pod: PolicyPod, policyNamespace: string): boolean {
  // An ipBlock names addresses outside the cluster's pods, as far as these checks go.
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels(pod.namespace)) : pod.namespace === policyNamespace;
  return namespaceOk && (peer.podSelector ? selects(peer.podSelector, pod.labels) : true);
}

function portMatches(ports: PolicyPort[] | undefined, destination: PolicyPod, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((entry) => {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined) return true;
    return typeof entry.port === 'number' ? entry.port === port : destination.ports[entry.port] === port;
  });
}

const specOf = (policy: K8sObject) => policy.spec as unknown as NetworkPolicySpec;
const applies = (policy: K8sObject, direction: 'Ingress' | 'Egress', pod: PolicyPod) =>
  (policy.metadata.namespace ?? pod.namespace) === pod.namespace && (specOf(policy).policyTypes ?? ['Ingress']).includes(direction) && selects(specOf(policy).podSelector, pod.labels);

function admitted(policies: readonly K8sObject[], direction: 'Ingress' | 'Egress', connection: Connection): boolean {
  const subject = direction === 'Egress' ? connection.from : connection.to;
  const peer = direction === 'Egress' ? connection.to : connection.from;
  const selecting = policies.filter((policy) => applies(policy, direction, subject));
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    ((direction === 'Egress' ? specOf(policy).egress : specOf(policy).ingress) ?? []).some((rule) => {
      const peers = direction === 'Egress' ? rule.to : rule.from;
      return (!peers || peers.length === 0 || peers.some((p) => peerMatches(p, peer, subject.namespace))) && portMatches(rule.ports, connection.to, connection.port, connection.protocol ?? 'TCP');
    }),
  );
}

/** Whether the policies let the connection through: out of its source and into its destination. */
export function connectionAllowed(policies: readonly K8sObject[], connection: Connection): boolean {
  return admitted(policies, 'Egress', connection) && admitted(policies, 'Ingress', connection);
}

/** The pods of the rendered workloads, in the release's namespace. */
export function policyPods(workloads: readonly Workload[], namespace: string): PolicyPod[] {
  return workloads.map(({ object, labels, pod }) => ({
    name: object.metadata.name,
    namespace,
    labels,
    ports: Object.fromEntries(pod.containers.flatMap((container) => container.ports ?? []).flatMap((port) => (port.name ? [[port.name, port.containerPort]] : []))),
  }));
}
