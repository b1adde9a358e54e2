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

{{/* The Secret holding REDIS_URL and SLIPWAY_DATABASE_URL, the variables marked sensitive in libs/config. */}}
{{- define "slipway.connectionsSecret" -}}
{{- printf "%s-connections" (include "slipway.fullname" .) -}}
{{- end -}}

{{- define "slipway.redisSecret" -}}
{{- default (include "slipway.connectionsSecret" .) .Values.redis.external.existingSecret -}}
{{- end -}}

{{- define "slipway.databaseSecret" -}}
{{- default (include "slipway.connectionsSecret" .) .Values.database.existingSecret -}}
{{- end -}}

{{- define "slipway.redisUrl" -}}
{{- if .Values.redis.enabled -}}
{{- printf "redis://%s:6379" (include "slipway.componentName" (dict "root" . "component" "redis")) -}}
{{- else -}}
{{- required "redis.external.url (or redis.external.existingSecret) is required when redis.enabled is false" .Values.redis.external.url -}}
{{- end -}}
{{- end -}}

{{/* host:port of Redis for the KEDA scaler, which runs in the operator's namespace: a fully qualified name. */}}
{{- define "slipway.redisAddress" -}}
{{- if .Values.redis.enabled -}}
{{- printf "%s.%s.svc.cluster.local:6379" (include "slipway.componentName" (dict "root" . "component" "redis")) .Release.Namespace -}}
{{- else -}}
{{- required "redis.external.address (host:port) is required for KEDA when redis.enabled is false" .Values.redis.external.address -}}
{{- end -}}
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
