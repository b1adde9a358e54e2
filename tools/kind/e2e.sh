#!/usr/bin/env bash
# The platform in a kind cluster, end to end (npm run e2e:kind). Needs a Docker engine and Go; builds helm and
# kind at their pinned versions into .tools/bin (tools/go-tools/install.sh).
#   1. create a cluster from infra/kind/cluster.yaml       4. helm upgrade --install with values-kind.yaml, wait
#   2. build the five service images                        5. run the e2e suites against the node ports, then helm test
#   3. kind load them into the cluster                      6. on failure collect logs; always delete the cluster
# Environment: KIND_CLUSTER_NAME (slipway-e2e), E2E_SUITES ("golden-path bad-input cli": the suites that need no
# local process), KEEP_CLUSTER=1 keeps the cluster afterwards, SLIPWAY_E2E_LOGS (where logs go on failure).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

cluster="${KIND_CLUSTER_NAME:-slipway-e2e}"
suites="${E2E_SUITES:-golden-path bad-input cli}"
logs="${SLIPWAY_E2E_LOGS:-$root/.slipway/kind-e2e-logs}"
namespace=slipway
release=slipway
tag=e2e
services=(model-registry data-prep trainer monitoring serving)
values="infra/helm/slipway/values-kind.yaml"

if ! docker info >/dev/null 2>&1; then
  echo "kind e2e: no Docker engine answers (docker info failed); kind needs one" >&2
  exit 1
fi

tools/go-tools/install.sh helm kind
helm="$root/.tools/bin/helm"
kind="$root/.tools/bin/kind"

work="$(mktemp -d)"
kubeconfig="$work/kubeconfig"

finish() {
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "kind e2e: failed (exit $status); collecting logs into $logs" >&2
    mkdir -p "$logs"
    "$helm" status "$release" -n "$namespace" --kubeconfig "$kubeconfig" >"$logs/helm-status.txt" 2>&1 || true
    "$kind" export logs "$logs" --name "$cluster" >/dev/null 2>&1 || true
  fi
  if [ "${KEEP_CLUSTER:-0}" = 1 ]; then
    echo "kind e2e: keeping cluster $cluster (kubeconfig: $kubeconfig)"
  else
    "$kind" delete cluster --name "$cluster" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
  exit "$status"
}
trap finish EXIT

echo "kind e2e: creating cluster $cluster"
"$kind" create cluster --name "$cluster" --config infra/kind/cluster.yaml --kubeconfig "$kubeconfig" --wait 180s

for service in "${services[@]}"; do
  echo "kind e2e: building slipway/$service:$tag"
  docker build -f infra/docker/Dockerfile --build-arg "APP=$service" -t "slipway/$service:$tag" .
  "$kind" load docker-image "slipway/$service:$tag" --name "$cluster"
done

echo "kind e2e: installing the chart"
"$helm" upgrade --install "$release" infra/helm/slipway \
  --kubeconfig "$kubeconfig" --namespace "$namespace" --create-namespace \
  -f "$values" --set "image.tag=$tag" --wait --timeout 10m

# The node ports of values-kind.yaml, published on the host by infra/kind/cluster.yaml.
export SLIPWAY_E2E_REGISTRY_URL=http://127.0.0.1:30001
export SLIPWAY_E2E_DATA_PREP_URL=http://127.0.0.1:30002
export SLIPWAY_E2E_TRAINER_URL=http://127.0.0.1:30003
export SLIPWAY_E2E_MONITORING_URL=http://127.0.0.1:30004
export SLIPWAY_E2E_SERVING_URL=http://127.0.0.1:30080

echo "kind e2e: running the e2e suites ($suites) against the cluster"
read -r -a suite_args <<<"$suites"
npx jest -c apps/platform-e2e/jest.config.cjs --runInBand "${suite_args[@]}"

echo "kind e2e: helm test (a prediction from inside the cluster)"
"$helm" test "$release" --kubeconfig "$kubeconfig" --namespace "$namespace" --timeout 10m --logs

echo "kind e2e: passed"
