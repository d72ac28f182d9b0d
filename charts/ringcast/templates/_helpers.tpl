{{/* The chart name, or nameOverride. */}}
{{- define "ringcast.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" }}
{{- end }}

{{/* Base of every resource name: fullnameOverride, else the release name (with the chart name unless it has it). */}}
{{- define "ringcast.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ringcast.operatorName" -}}
{{- printf "%s-operator" (include "ringcast.fullname" .) }}
{{- end }}

{{- define "ringcast.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: ringcast
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The operator pods' selector (immutable once installed). */}}
{{- define "ringcast.operatorSelectorLabels" -}}
app.kubernetes.io/name: {{ include "ringcast.name" . }}-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ringcast.operatorLabels" -}}
{{ include "ringcast.labels" . }}
{{ include "ringcast.operatorSelectorLabels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "ringcast.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "ringcast.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ringcast.operatorName" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The RealtimeCluster's name: cluster.name, else the release name (checked like the CRD checks it). */}}
{{- define "ringcast.clusterName" -}}
{{- $name := default .Release.Name .Values.cluster.name }}
{{- if or (gt (len $name) 40) (not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $name)) }}
{{- fail (printf "the RealtimeCluster name %q is not a DNS label of at most 40 characters starting with a letter: set cluster.name" $name) }}
{{- end }}
{{- $name }}
{{- end }}

{{/* The RealtimeCluster's client Service port (spec.service.port, default 8000). */}}
{{- define "ringcast.clusterServicePort" -}}
{{- $service := .Values.cluster.spec.service | default dict }}
{{- $service.port | default 8000 }}
{{- end }}

{{/* secretKeyRef of one of the cluster's secrets: spec.secrets.<key> when set, else the generated Secret's key. */}}
{{- define "ringcast.clusterSecretRef" -}}
{{- $secrets := .root.Values.cluster.spec.secrets | default dict }}
{{- $ref := get $secrets .field }}
{{- if $ref }}
name: {{ $ref.name }}
key: {{ $ref.key }}
{{- else }}
name: {{ include "ringcast.clusterName" .root }}-credentials
key: {{ .generatedKey }}
{{- end }}
{{- end }}

{{/* The operator's rules: the same list test/helpers/operator-rbac.ts grants in the tests (a unit test compares them). */}}
{{- define "ringcast.operatorRules" -}}
- apiGroups: [ringcast.dev]
  resources: [realtimeclusters]
  verbs: [get, list, watch]
- apiGroups: [ringcast.dev]
  resources: [realtimeclusters/status]
  verbs: [get, patch, update]
# Only the operator's own credentials Secrets are listed (by label, as metadata); one's data is read to add a key.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, patch]
- apiGroups: [""]
  resources: [configmaps, serviceaccounts, services]
  verbs: [get, list, watch, create, update, patch, delete]
# Readiness of shards and nodes, pod IPs to read connection counts, deletion costs on scale-down.
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, patch]
- apiGroups: [apps]
  resources: [deployments, statefulsets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list, watch, create, update, patch, delete]
# The nodes' Role and RoleBinding (read their own RealtimeCluster): granting a Role needs the rights it grants.
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/* prometheus-adapter's rules (its --config file): ringcast_node_connections per node pod. */}}
{{- define "ringcast.prometheusAdapterRules" -}}
{{- $rule := .Values.autoscaling.prometheusAdapterRule -}}
rules:
  - seriesQuery: 'ringcast_node_connections{ {{- $rule.namespaceLabel }}!="",{{ $rule.podLabel }}!=""}'
    resources:
      overrides:
        {{ $rule.namespaceLabel }}: {resource: namespace}
        {{ $rule.podLabel }}: {resource: pod}
    name:
      matches: ^ringcast_node_connections$
      as: ringcast_node_connections
    metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'
{{- end }}
