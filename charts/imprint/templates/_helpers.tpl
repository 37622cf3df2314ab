{{/* Names. "imprint.fullname" is the release name when it already contains the chart name, else "<release>-imprint". */}}
{{- define "imprint.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "imprint.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The operator's Deployment, ClusterRole and bindings; "imprint-operator" for a release named "imprint", as in config/rbac. */}}
{{- define "imprint.operatorName" -}}
{{- printf "%s-operator" (include "imprint.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "imprint.leaderElectionName" -}}
{{- printf "%s-leader-election" (include "imprint.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "imprint.operatorServiceAccountName" -}}
{{- default (include "imprint.operatorName" .) .Values.operator.serviceAccount.name }}
{{- end }}

{{- define "imprint.agentServiceAccountName" -}}
{{- default (printf "%s-agent" (include "imprint.fullname" .) | trunc 63 | trimSuffix "-") .Values.agent.serviceAccount.name }}
{{- end }}

{{/* The namespaces that get the agent's ServiceAccount, as a YAML list (read back with fromYamlArray). */}}
{{- define "imprint.agentNamespaces" -}}
{{- concat (list .Release.Namespace) .Values.agent.serviceAccount.extraNamespaces | uniq | toYaml }}
{{- end }}

{{- define "imprint.operatorImage" -}}
{{- printf "%s:%s" .Values.operator.image.repository (default .Chart.AppVersion .Values.operator.image.tag) }}
{{- end }}

{{- define "imprint.agentImage" -}}
{{- printf "%s:%s" .Values.agent.image.repository (default .Chart.AppVersion .Values.agent.image.tag) }}
{{- end }}

{{/* Labels. Call with (dict "context" $ "component" "operator"). */}}
{{- define "imprint.selectorLabels" -}}
app.kubernetes.io/name: {{ include "imprint.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "imprint.labels" -}}
{{ include "imprint.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: imprint
helm.sh/chart: {{ printf "%s-%s" .context.Chart.Name .context.Chart.Version | replace "+" "_" }}
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* "labels:" with the labels below it; used by the generated templates (templates/crds, templates/rbac). */}}
{{- define "imprint.metadataLabels" -}}
labels:
  {{- include "imprint.labels" . | nindent 2 }}
{{- end }}

{{/* "annotations:" of a ServiceAccount, or nothing when there are none. */}}
{{- define "imprint.serviceAccountAnnotations" -}}
{{- $values := ternary .context.Values.agent.serviceAccount .context.Values.operator.serviceAccount (eq .component "agent") }}
{{- with $values.annotations -}}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* "annotations:" of the CRDs: kept on helm uninstall unless crds.keep is false. */}}
{{- define "imprint.crdAnnotations" -}}
{{- if .Values.crds.keep -}}
annotations:
  helm.sh/resource-policy: keep
{{- end }}
{{- end }}

{{/* The operator's configuration file (IMPRINT_CONFIG), as JSON. */}}
{{- define "imprint.config" -}}
{{- $agent := dict
  "Image" (include "imprint.agentImage" .)
  "ImagePullPolicy" .Values.agent.image.pullPolicy
  "ServiceAccountName" (include "imprint.agentServiceAccountName" .)
  "NodeSelector" .Values.agent.nodeSelector
  "Tolerations" .Values.agent.tolerations
  "Resources" .Values.agent.resources
  "MaxRetries" .Values.agent.maxRetries
  "ActiveDeadlineSeconds" .Values.agent.activeDeadlineSeconds
  "OneJobPerDisk" .Values.agent.oneJobPerDisk }}
{{- /* false is a value here, not "unset": no `default`, which would turn it into auto. */}}
{{- $kvm := ternary (toString .Values.agent.kvm) "auto" (hasKey .Values.agent "kvm") }}
{{- if ne $kvm "auto" }}{{- $_ := set $agent "RequestKvm" (eq $kvm "true") }}{{- end }}
{{- $clone := dict "CsiCloneTimeoutSeconds" .Values.clone.csiCloneTimeoutSeconds }}
{{- $capabilities := dict }}
{{- range $class, $can := .Values.storage.capabilities }}
{{- $stated := dict }}
{{- if hasKey $can "clone" }}{{- $_ := set $stated "Clone" $can.clone }}{{- end }}
{{- if hasKey $can "snapshot" }}{{- $_ := set $stated "Snapshot" $can.snapshot }}{{- end }}
{{- $_ := set $capabilities $class $stated }}
{{- end }}
{{- $storage := dict "Capabilities" $capabilities }}
{{- dict "Imprint" (dict "LeaderElection" .Values.operator.leaderElection "Agent" $agent "Clone" $clone "Storage" $storage) | toPrettyJson }}
{{- end }}
