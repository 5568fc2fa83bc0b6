{{/* The team: .Values.team or the release name, a DNS-1123 label whose namespaces fit 63 characters. */}}
{{- define "team.name" -}}
{{- $team := .Values.team | default .Release.Name -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" $team) -}}
{{- fail (printf "team %q must be a DNS-1123 label (lowercase letters, digits and -)" $team) -}}
{{- end -}}
{{- range .Values.environments -}}
{{- if gt (len (printf "%s-%s" $team .)) 63 -}}
{{- fail (printf "namespace %s-%s is longer than 63 characters" $team .) -}}
{{- end -}}
{{- end -}}
{{- $team -}}
{{- end -}}
