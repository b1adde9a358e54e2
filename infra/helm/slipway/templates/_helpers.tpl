{{/* Names, labels and values shared by every template. */}}

{{- define "slipway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "slipway.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects: dict "root" $ "component" "serving" */}}
{{- define "slipway.componentName" -}}
{{- printf "%s-%s" (include "slipway.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "slipway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries: dict "root" $ "component" "serving" */}}
{{- define "slipway.labels" -}}
helm.sh/chart: {{ include "slipway.chart" .root }}
{{ include "slipway.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: slipway
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{/* Labels that select one component's pods: dict "root" $ "component" "serving" */}}
{{- define "slipway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "slipway.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "slipway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "slipway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "slipway.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{/* The Secret holding SLIPWAY_DATABASE_URL, SLIPWAY_API_TOKENS and an external Redis's REDIS_URL. */}}
{{- define "slipway.connectionsSecret" -}}
{{- printf "%s-connections" (include "slipway.fullname" .) -}}
{{- end -}}

{{/* The Secret holding the in-chart Redis's password, under the key redis-password. */}}
{{- define "slipway.redisAuthSecret" -}}
{{- default (printf "%s-redis-auth" (include "slipway.fullname" .)) .Values.redis.auth.existingSecret -}}
{{- end -}}

{{/* The Secret holding an external Redis's REDIS_URL. */}}
{{- define "slipway.redisSecret" -}}
{{- default (include "slipway.connectionsSecret" .) .Values.redis.external.existingSecret -}}
{{- end -}}

{{- define "slipway.databaseSecret" -}}
{{- default (include "slipway.connectionsSecret" .) .Values.database.existingSecret -}}
{{- end -}}

{{/*
REDIS_URL of the in-chart Redis. The kubelet fills in $(REDIS_PASSWORD) from the variable the pod takes from the
Redis Secret (defined before REDIS_URL), so the password appears in no ConfigMap, value or rendered manifest.
*/}}
{{- define "slipway.inChartRedisUrl" -}}
{{- printf "redis://:$(REDIS_PASSWORD)@%s:6379" (include "slipway.componentName" (dict "root" . "component" "redis")) -}}
{{- end -}}

{{- define "slipway.externalRedisUrl" -}}
{{- required "redis.external.url (or redis.external.existingSecret) is required when redis.enabled is false" .Values.redis.external.url -}}
{{- end -}}

{{/* host:port of Redis for the KEDA scaler, which runs in the operator's namespace: a fully qualified name. */}}
{{- define "slipway.redisAddress" -}}
{{- if .Values.redis.enabled -}}
{{- printf "%s.%s.svc.cluster.local:6379" (include "slipway.componentName" (dict "root" . "component" "redis")) .Release.Namespace -}}
{{- else -}}
{{- required "redis.external.address (host:port) is required for KEDA when redis.enabled is false" .Values.redis.external.address -}}
{{- end -}}
{{- end -}}

{{/* The port a URL names, else its scheme's default (http, https, redis, rediss, postgres, postgresql). */}}
{{- define "slipway.urlPort" -}}
{{- $url := urlParse . -}}
{{- $explicit := regexFind ":[0-9]+$" $url.host -}}
{{- if $explicit -}}
{{- trimPrefix ":" $explicit -}}
{{- else -}}
{{- required (printf "%s: no port, and no default port for its scheme" .) (get (dict "http" "80" "https" "443" "redis" "6379" "rediss" "6379" "postgres" "5432" "postgresql" "5432") $url.scheme) -}}
{{- end -}}
{{- end -}}

{{/* The port of an external Redis: redis.external.address's, else redis.external.url's, else 6379. */}}
{{- define "slipway.externalRedisPort" -}}
{{- if .Values.redis.external.address -}}
{{- regexFind "[0-9]+$" .Values.redis.external.address -}}
{{- else if .Values.redis.external.url -}}
{{- include "slipway.urlPort" .Values.redis.external.url -}}
{{- else -}}
6379
{{- end -}}
{{- end -}}

{{/* The services that read SLIPWAY_REGISTRY_URL and call the registry, as a JSON list. */}}
{{- define "slipway.registryClients" -}}
["serving", "monitoring"]
{{- end -}}

{{/* The services that read SLIPWAY_ARTIFACTS and mount the artifacts volume, as a JSON list. */}}
{{- define "slipway.artifactUsers" -}}
["model-registry", "data-prep", "trainer", "serving", "monitoring"]
{{- end -}}

{{/* database.url, else the in-chart PostgreSQL when enabled, else SQLite on the registry volume. */}}
{{- define "slipway.databaseUrl" -}}
{{- if .Values.database.url -}}
{{- .Values.database.url -}}
{{- else if .Values.postgresql.enabled -}}
{{- printf "postgres://%s:%s@%s:5432/%s" .Values.postgresql.username (.Values.postgresql.password | urlquery) (include "slipway.componentName" (dict "root" . "component" "postgresql")) .Values.postgresql.database -}}
{{- else -}}
{{- printf "sqlite:%s/registry.db" .Values.registryData.mountPath -}}
{{- end -}}
{{- end -}}

{{/* "true" when the registry keeps SQLite on the registry volume (one writer: one replica, Recreate). */}}
{{- define "slipway.registryOnSqlite" -}}
{{- if hasPrefix "sqlite:" (include "slipway.databaseUrl" .) }}true{{ end -}}
{{- end -}}

{{- define "slipway.registryUrl" -}}
{{- printf "http://%s:%v" (include "slipway.componentName" (dict "root" . "component" "model-registry")) (index .Values.services "model-registry").port -}}
{{- end -}}

{{- define "slipway.artifactsClaim" -}}
{{- default (printf "%s-artifacts" (include "slipway.fullname" .)) .Values.artifacts.persistence.existingClaim -}}
{{- end -}}

{{- define "slipway.registryDataClaim" -}}
{{- default (printf "%s-registry-data" (include "slipway.fullname" .)) .Values.registryData.persistence.existingClaim -}}
{{- end -}}

{{/* BullMQ key of one list or sorted set of a queue: <prefix>:<queue>:<key> (dict "root" $ "key" "wait") */}}
{{- define "slipway.trainingQueueKey" -}}
{{- printf "%s:%s:%s" .root.Values.config.queuePrefix .root.Values.services.trainer.autoscaling.keda.queue .key -}}
{{- end -}}

{{/*
The paths of serving that a public route (Gateway API HTTPRoute, the Istio VirtualService's gateways) matches, as a
JSON list of Gateway API path matches: inference, model metadata and readiness (KServe V1 /v1/models/..., Open
Inference Protocol V2 /v2/models/...), server health and metadata. Never the model repository extension
(/v2/repository: load and unload), /metrics, /healthz, /readyz or /openapi.json.
*/}}
{{- define "slipway.servingPublicPaths" -}}
[{"type": "PathPrefix", "value": "/v1/models"}, {"type": "PathPrefix", "value": "/v2/models"}, {"type": "PathPrefix", "value": "/v2/health"}, {"type": "Exact", "value": "/v2"}]
{{- end -}}
