{{/*
Environment of one service: exactly the variables its configuration schema reads (libs/config SERVICE_CONFIGS),
no more, no fewer. Sensitive ones (REDIS_URL, SLIPWAY_DATABASE_URL) come from a Secret.
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
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "slipway.redisSecret" $root }}
      key: REDIS_URL
- name: SLIPWAY_QUEUE_PREFIX
  value: {{ $root.Values.config.queuePrefix | quote }}
{{- if has .component (include "slipway.artifactUsers" $root | fromJsonArray) }}
- name: SLIPWAY_ARTIFACTS
  value: {{ $root.Values.artifacts.mountPath | quote }}
{{- end }}
{{- if eq .component "data-prep" }}
- name: SLIPWAY_DATA_ROOT
  value: {{ $svc.dataRoot | quote }}
- name: SLIPWAY_DATA_PREP_CONCURRENCY
  value: {{ $svc.concurrency | quote }}
{{- end }}
{{- if eq .component "trainer" }}
- name: SLIPWAY_TF_BACKEND
  value: {{ ternary "tensorflow-gpu" $root.Values.config.tfBackend $svc.gpu.enabled | quote }}
- name: SLIPWAY_TRAINER_CONCURRENCY
  value: {{ $svc.concurrency | quote }}
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
- name: SLIPWAY_PROTECTED_ALIASES
  value: {{ join "," $svc.protectedAliases | quote }}
{{- end }}
{{- if eq .component "serving" }}
- name: SLIPWAY_REGISTRY_URL
  value: {{ include "slipway.registryUrl" $root | quote }}
- name: SLIPWAY_TF_BACKEND
  value: {{ $root.Values.config.tfBackend | quote }}
- name: SLIPWAY_RECONCILE_INTERVAL_MS
  value: {{ $svc.reconcileIntervalMs | quote }}
- name: SLIPWAY_PREDICTION_LOG_FLUSH_MS
  value: {{ $svc.predictionLogFlushMs | quote }}
- name: SLIPWAY_PREDICTION_LOG_SAMPLE_RATE
  value: {{ $svc.predictionLogSampleRate | quote }}
- name: SLIPWAY_BATCHING
  value: {{ $svc.batching.enabled | quote }}
- name: SLIPWAY_BATCH_MAX_SIZE
  value: {{ $svc.batching.maxSize | quote }}
- name: SLIPWAY_BATCH_MAX_DELAY_US
  value: {{ $svc.batching.maxDelayUs | quote }}
- name: SLIPWAY_BATCH_MAX_QUEUE
  value: {{ $svc.batching.maxQueue | quote }}
- name: SLIPWAY_SERVING_ALIASES
  value: {{ join "," $svc.aliases | quote }}
- name: SLIPWAY_TRAFFIC_POLICY
  value: {{ toJson $svc.trafficPolicy | quote }}
{{- end }}
{{- if eq .component "monitoring" }}
- name: SLIPWAY_QUEUE_POLL_MS
  value: {{ $svc.queuePollMs | quote }}
{{- end }}
{{- end -}}
