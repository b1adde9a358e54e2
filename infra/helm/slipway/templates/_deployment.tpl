{{/*
One service's Deployment. dict "root" $ "component" "serving" "track" "stable"|"canary"
The serving canary is the same Deployment under another name, track label, replica count and (optionally) tag.
*/}}
{{- define "slipway.deployment" -}}
{{- $root := .root -}}
{{- $component := .component -}}
{{- $svc := index $root.Values.services $component -}}
{{- $canary := eq .track "canary" -}}
{{- $ctx := dict "root" $root "component" $component -}}
{{- $gpu := false -}}
{{- $keda := false -}}
{{- $hpa := false -}}
{{- $imageName := $component -}}
{{- if eq $component "trainer" -}}
{{- $gpu = $svc.gpu.enabled -}}
{{- $keda = $svc.autoscaling.keda.enabled -}}
{{- if $gpu }}{{ $imageName = $svc.gpu.imageName }}{{ end -}}
{{- end -}}
{{- if eq $component "serving" -}}
{{- $hpa = and $svc.autoscaling.enabled (not $canary) -}}
{{- end -}}
{{- $tag := include "slipway.imageTag" $root -}}
{{- if and $canary $svc.canary.tag }}{{ $tag = $svc.canary.tag }}{{ end -}}
{{- $resources := deepCopy (default dict $svc.resources) -}}
{{- $tolerations := default list $svc.tolerations -}}
{{- $nodeSelector := deepCopy (default dict $svc.nodeSelector) -}}
{{- if $gpu -}}
{{- $limits := default dict $resources.limits -}}
{{- $_ := set $limits "nvidia.com/gpu" (int $svc.gpu.count) -}}
{{- $_ := set $resources "limits" $limits -}}
{{- $tolerations = append $tolerations (dict "key" "nvidia.com/gpu" "operator" "Exists" "effect" "NoSchedule") -}}
{{- $_ := set $nodeSelector "nvidia.com/gpu.product" (required "services.trainer.gpu.product is required when the GPU trainer is enabled" $svc.gpu.product) -}}
{{- end -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "slipway.componentName" $ctx }}{{ if $canary }}-canary{{ end }}
  labels:
    {{- include "slipway.labels" $ctx | nindent 4 }}
    {{- if eq $component "serving" }}
    slipway.dev/track: {{ .track }}
    {{- end }}
spec:
  {{- if not (or $hpa $keda) }}
  replicas: {{ if $canary }}{{ $svc.canary.replicas }}{{ else }}{{ $svc.replicas }}{{ end }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "slipway.selectorLabels" $ctx | nindent 6 }}
      {{- if eq $component "serving" }}
      slipway.dev/track: {{ .track }}
      {{- end }}
  {{- $sqlite := include "slipway.registryOnSqlite" $root }}
  {{- if and (eq $component "model-registry") $sqlite (gt (int $svc.replicas) 1) }}
  {{- fail "services.model-registry.replicas must be 1 while the registry runs on SQLite (set database.url to PostgreSQL or enable postgresql)" }}
  {{- end }}
  {{- if and (eq $component "model-registry") $sqlite }}
  # One SQLite writer on a ReadWriteOnce volume: the old pod stops before the new one starts.
  strategy:
    type: Recreate
  {{- else }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  {{- end }}
  template:
    metadata:
      labels:
        {{- include "slipway.labels" $ctx | nindent 8 }}
        {{- if eq $component "serving" }}
        slipway.dev/track: {{ .track }}
        {{- end }}
      annotations:
        checksum/connections: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "slipway.serviceAccountName" $root }}
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $svc.terminationGracePeriodSeconds }}
      terminationGracePeriodSeconds: {{ . }}
      {{- end }}
      containers:
        - name: {{ $component }}
          image: "{{ $root.Values.image.repository }}/{{ $imageName }}:{{ $tag }}"
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: ["node", "--enable-source-maps", "/app/dist/apps/{{ $component }}/src/main.js"]
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
          env:
            {{- include "slipway.env" $ctx | nindent 12 }}
          startupProbe:
            httpGet: { path: {{ $root.Values.probes.startup.path }}, port: http }
            periodSeconds: {{ $root.Values.probes.startup.periodSeconds }}
            timeoutSeconds: {{ $root.Values.probes.startup.timeoutSeconds }}
            failureThreshold: {{ $root.Values.probes.startup.failureThreshold }}
          livenessProbe:
            httpGet: { path: {{ $root.Values.probes.liveness.path }}, port: http }
            periodSeconds: {{ $root.Values.probes.liveness.periodSeconds }}
            timeoutSeconds: {{ $root.Values.probes.liveness.timeoutSeconds }}
            failureThreshold: {{ $root.Values.probes.liveness.failureThreshold }}
          readinessProbe:
            httpGet: { path: {{ $root.Values.probes.readiness.path }}, port: http }
            periodSeconds: {{ $root.Values.probes.readiness.periodSeconds }}
            timeoutSeconds: {{ $root.Values.probes.readiness.timeoutSeconds }}
            failureThreshold: {{ $root.Values.probes.readiness.failureThreshold }}
          resources:
            {{- toYaml $resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if has $component (include "slipway.artifactUsers" $root | fromJsonArray) }}
            - name: artifacts
              mountPath: {{ $root.Values.artifacts.mountPath }}
            {{- end }}
            {{- if and (eq $component "model-registry") (include "slipway.registryOnSqlite" $root) }}
            - name: registry-data
              mountPath: {{ $root.Values.registryData.mountPath }}
            {{- end }}
      volumes:
        # The root filesystem is read-only; Node and TensorFlow.js may still want a scratch directory.
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
        {{- if has $component (include "slipway.artifactUsers" $root | fromJsonArray) }}
        - name: artifacts
          persistentVolumeClaim:
            claimName: {{ include "slipway.artifactsClaim" $root }}
        {{- end }}
        {{- if and (eq $component "model-registry") (include "slipway.registryOnSqlite" $root) }}
        - name: registry-data
          persistentVolumeClaim:
            claimName: {{ include "slipway.registryDataClaim" $root }}
        {{- end }}
      {{- with $nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
