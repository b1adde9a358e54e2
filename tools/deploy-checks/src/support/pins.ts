/**
 * The Kubernetes version the chart is rendered for (`helm template --kube-version`) and validated against.
 * Same minor as the node image of infra/kind/cluster.yaml (kind v0.33.0's default, v1.37.0).
 */
export const KUBE_VERSION = '1.37.2';

/** A Go module of the module proxy, downloaded with `go mod download` into the Go module cache. */
export interface GoModulePin {
  readonly module: string;
  readonly version: string;
}

/** Where each schema comes from: the API definitions published in these Go modules. */
export const SCHEMA_SOURCES = {
  /** api/openapi-spec/swagger.json: every built-in kind. */
  kubernetes: { module: 'k8s.io/kubernetes', version: `v${KUBE_VERSION}` },
  /** config/crd/bases: ScaledObject, TriggerAuthentication. */
  keda: { module: 'github.com/kedacore/keda/v2', version: 'v2.21.0' },
  /** kubernetes/customresourcedefinitions.gen.yaml: VirtualService, DestinationRule, ... */
  istio: { module: 'istio.io/api', version: 'v1.32.0' },
  /** config/crd/standard: HTTPRoute, Gateway, ... */
  gatewayApi: { module: 'sigs.k8s.io/gateway-api', version: 'v1.6.3' },
  /** The API types (v1): controller-gen generates the ServiceMonitor CRD from them. */
  prometheusOperator: { module: 'github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring', version: 'v0.95.2' },
  /** manifests/crds: Application, ApplicationSet, AppProject. */
  argoCd: { module: 'github.com/argoproj/argo-cd/v3', version: 'v3.5.7' },
} as const satisfies Record<string, GoModulePin>;
