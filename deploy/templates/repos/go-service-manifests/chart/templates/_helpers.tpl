{{/*
The chart's name: the app's (create-app names the chart after it).
*/}}
{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Objects are named after the app, not the release: each app and environment has a namespace of
its own, and the release (the Argo CD Application) may be named per environment.
*/}}
{{- define "app.fullname" -}}
{{- default (include "app.platformValue" (list . "app")) .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "app.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
A value as a Kubernetes label value: characters a label may not hold become "_", at most 63
characters, starting and ending with a letter or digit (libs/domain labelValue does the same).
*/}}
{{- define "app.labelValue" -}}
{{- regexReplaceAll "[^A-Za-z0-9._-]" (toString .) "_" | trunc 63 | trimAll "._-" }}
{{- end }}

{{/*
One of the platform values (app, team, template); rendering stops when create-app left it out.
*/}}
{{- define "app.platformValue" -}}
{{- $root := index . 0 }}
{{- $key := index . 1 }}
{{- $platform := $root.Values.platform | default dict }}
{{- required (printf "platform.%s is required: the platform labels every object with it" $key) (get $platform $key) | toString }}
{{- end }}

{{/*
The platform's labels (libs/domain/src/labels.ts): on every object and on the pod template.
*/}}
{{- define "app.platformLabels" -}}
platform-api/app: {{ include "app.labelValue" (include "app.platformValue" (list . "app")) | quote }}
platform-api/team: {{ include "app.labelValue" (include "app.platformValue" (list . "team")) | quote }}
platform-api/template: {{ include "app.labelValue" (include "app.platformValue" (list . "template")) | quote }}
{{- end }}

{{/*
Helm's standard labels plus the platform's.
*/}}
{{- define "app.labels" -}}
helm.sh/chart: {{ include "app.chart" . | quote }}
{{ include "app.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ include "app.labelValue" .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
{{ include "app.platformLabels" . }}
{{- end }}

{{/*
What the Service and the Deployment select pods by (immutable once the Deployment exists).
*/}}
{{- define "app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "app.labelValue" (include "app.name" .) | quote }}
app.kubernetes.io/instance: {{ include "app.labelValue" .Release.Name | quote }}
{{- end }}

{{- define "app.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "app.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}
