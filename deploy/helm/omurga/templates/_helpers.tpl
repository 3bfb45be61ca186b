{{- define "omurga.name" -}}{{ .Release.Name }}-omurga{{- end -}}

{{- define "omurga.labels" -}}
app.kubernetes.io/name: omurga
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "omurga.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "omurga.name" .)) -}}
{{- end -}}

{{- define "omurga.mongodbUri" -}}
{{- if .Values.mongodb.enabled -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.mongodb.replicas) -}}
{{- $hosts = append $hosts (printf "%s-mongodb-%d.%s-mongodb:27017" (include "omurga.name" $) $i (include "omurga.name" $)) -}}
{{- end -}}
mongodb://{{ join "," $hosts }}/?replicaSet=rs0
{{- else -}}
{{- required "external.mongodbUri is required when mongodb.enabled is false" .Values.external.mongodbUri -}}
{{- end -}}
{{- end -}}

{{- define "omurga.temporalAddress" -}}
{{- if .Values.temporal.enabled -}}
{{ include "omurga.name" . }}-temporal:7233
{{- else -}}
{{- required "external.temporalAddress is required when temporal.enabled is false" .Values.external.temporalAddress -}}
{{- end -}}
{{- end -}}

{{- define "omurga.smtpUrl" -}}
{{- if .Values.smtp.enabled -}}
smtp://{{ include "omurga.name" . }}-smtp:587
{{- else -}}
{{- required "external.smtpUrl is required when smtp.enabled is false" .Values.external.smtpUrl -}}
{{- end -}}
{{- end -}}

{{- define "omurga.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  runAsGroup: 1000
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{- define "omurga.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: [ALL]
{{- end -}}
