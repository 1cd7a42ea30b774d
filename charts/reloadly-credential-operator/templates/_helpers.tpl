{{/* Names, labels and the RBAC rules shared by the templates. */}}

{{- define "rco.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name when it already contains the chart's name. */}}
{{- define "rco.fullname" -}}
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

{{- define "rco.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "rco.labels" -}}
helm.sh/chart: {{ include "rco.chart" . }}
app.kubernetes.io/name: {{ include "rco.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The operator pods' identity: the Deployment's selector, the Service's, the PDB's and the
NetworkPolicy's. The component keeps the helm test pod out of all four.
*/}}
{{- define "rco.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rco.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "rco.testSelectorLabels" -}}
app.kubernetes.io/name: {{ include "rco.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: helm-test
{{- end }}

{{- define "rco.serviceAccountName" -}}
{{- default (include "rco.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "rco.image" -}}
{{- $repository := required "image.repository is required: build the image (see README) and push it to your registry" .Values.image.repository }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The proxy's port: what follows the last colon of host:port. */}}
{{- define "rco.proxyPort" -}}
{{- splitList ":" .Values.proxy | last }}
{{- end }}

{{/*
RBAC, rule for rule as in deploy/cluster/rbac.yaml and deploy/namespaced/rbac.yaml (where the
comments say why each verb is needed); HelmChartTest compares the rendered rules with them.
*/}}

{{/* What the operator does in each namespace it watches. */}}
{{- define "rco.rules.watched" -}}
- apiGroups: ["security.reloadly.dev"]
  resources: ["reloadlycredentials"]
  verbs: ["list", "watch", "patch"]
- apiGroups: ["security.reloadly.dev"]
  resources: ["reloadlycredentials/status"]
  verbs: ["patch"]
- apiGroups: ["security.reloadly.dev"]
  resources: ["reloadlycredentials/finalizers"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets", "daemonsets"]
  verbs: ["list", "watch", "patch"]
{{- if .Values.argoRollouts }}
- apiGroups: ["argoproj.io"]
  resources: ["rollouts"]
  verbs: ["list", "watch", "patch"]
{{- end }}
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["pods/eviction"]
  verbs: ["create"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch", "create"]
- apiGroups: ["wgpolicyk8s.io"]
  resources: ["policyreports"]
  verbs: ["get", "create", "patch"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/* What has no namespace: ClusterRoles and their bindings, the NAT nodes, Cilium's policies. */}}
{{- define "rco.rules.clusterScoped" -}}
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["clusterroles", "clusterrolebindings"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["list", "watch"]
- apiGroups: ["cilium.io"]
  resources: ["ciliumegressgatewaypolicies"]
  verbs: ["get", "list", "create", "patch", "delete"]
{{- end }}

{{/*
The operator's own namespace: its sealing keys' ConfigMap and its Lease, and, when it watches
only some namespaces (no ClusterRole reaches Secrets here), its key and deny-list Secrets.
resourceNames cannot limit create: the API server authorizes a create before the name exists.
*/}}
{{- define "rco.rules.operatorNamespace" -}}
{{- if .Values.watchNamespaces }}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: ["reloadly-operator-keys", "reloadly-compromised-versions"]
  verbs: ["get", "list", "watch", "update"]
{{- end }}
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: ["reloadly-sealing-keys"]
  verbs: ["get", "list", "watch", "update"]
{{- if .Values.leaderElection.enabled }}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["create"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  resourceNames: [{{ .Values.leaderElection.leaseName | quote }}]
  verbs: ["get", "update", "patch"]
{{- end }}
{{- end }}

{{/* The ServiceAccount as a binding's subject. */}}
{{- define "rco.subject" -}}
- kind: ServiceAccount
  name: {{ include "rco.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}
