{{/*
Environment of one service: exactly the variables its configuration schema reads (libs/config SERVICE_CONFIGS),
no more, no fewer (tools/deploy-checks holds them in parity). The chart derives the wiring - port, Redis, prefix,
artifact volume, registry address, backend - and takes every other setting from services.<name>.settings, keyed by
the variable's own name; lists and objects there become JSON. Sensitive variables come from a Secret, or are
composed from variables taken from one (REDIS_URL from REDIS_PASSWORD).
dict "root" $ "component" "serving"
*/}}
{{- define "slipway.env" -}}
{{- $root := .root -}}
{{- $svc := index $root.Values.services .component -}}
- name: PORT
  value: {{ $svc.port | quote }}
- name: HOST
  value: "0.0.0.0"
- name: LOG_LEVEL
  value: {{ $root.Values.config.logLevel | quote }}
{{- if $root.Values.redis.enabled }}
{{- /* Not a variable of libs/config: only REDIS_URL below reads it, as $(REDIS_PASSWORD), so it comes first. */}}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "slipway.redisAuthSecret" $root }}
      key: redis-password
- name: REDIS_URL
  value: {{ include "slipway.inChartRedisUrl" $root | quote }}
{{- else }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "slipway.redisSecret" $root }}
      key: REDIS_URL
{{- end }}
- name: SLIPWAY_QUEUE_PREFIX
  value: {{ $root.Values.config.queuePrefix | quote }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $root.Values.config.otlpEndpoint | quote }}
{{- if has .component (include "slipway.artifactUsers" $root | fromJsonArray) }}
- name: SLIPWAY_ARTIFACTS
  value: {{ $root.Values.artifacts.mountPath | quote }}
{{- end }}
{{- if has .component (include "slipway.registryClients" $root | fromJsonArray) }}
- name: SLIPWAY_REGISTRY_URL
  value: {{ include "slipway.registryUrl" $root | quote }}
{{- end }}
{{- if has .component (list "trainer" "serving") }}
- name: SLIPWAY_TF_BACKEND
  value: {{ if and (eq .component "trainer") $svc.gpu.enabled }}"tensorflow-gpu"{{ else }}{{ $root.Values.config.tfBackend | quote }}{{ end }}
{{- end }}
{{- if eq .component "model-registry" }}
- name: SLIPWAY_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "slipway.databaseSecret" $root }}
      key: SLIPWAY_DATABASE_URL
- name: SLIPWAY_API_TOKENS
  valueFrom:
    secretKeyRef:
      name: {{ default (include "slipway.connectionsSecret" $root) $svc.apiTokensSecret }}
      key: SLIPWAY_API_TOKENS
{{- end }}
{{- if eq .component "monitoring" }}
{{- /* Issued with `slipway tokens create`, kept in a Secret of yours; without one, retraining runs carry no token. */}}
- name: SLIPWAY_RETRAIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ default (include "slipway.connectionsSecret" $root) $svc.retrainTokenSecret }}
      key: SLIPWAY_RETRAIN_TOKEN
      optional: true
{{- end }}
{{- range $name, $value := $svc.settings }}
{{- $text := toString $value }}
{{- if or (kindIs "map" $value) (kindIs "slice" $value) }}{{ $text = toJson $value }}{{ end }}
{{- /* YAML numbers arrive as floats: 1000000 would print as 1e+06. */}}
{{- if and (kindIs "float64" $value) (eq $value (float64 (int64 $value))) }}{{ $text = toString (int64 $value) }}{{ end }}
- name: {{ $name }}
  value: {{ $text | quote }}
{{- end }}
{{- end -}}
