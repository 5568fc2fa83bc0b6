{{- define "hello.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end }}

{{/* Helm's standard labels and the platform's, on every object and on the pods. */}}
{{- define "hello.labels" -}}
{{ include "hello.selector" . }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
platform-api/app: {{ required "platform.app is required" .Values.platform.app | quote }}
platform-api/team: {{ required "platform.team is required" .Values.platform.team | quote }}
platform-api/template: {{ required "platform.template is required" .Values.platform.template | quote }}
{{- end }}
