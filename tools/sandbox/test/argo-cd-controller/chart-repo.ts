import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

const run = promisify(execFile);

/**
 * A real bare git repository (the "manifests repo") and a work tree that commits and pushes to
 * it. Git runs asynchronously: the repository may be served over HTTP by this very process.
 */
export class ChartRepo {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'argocd-controller-test-'));
  readonly bare = path.join(this.root, 'manifests.git');
  private readonly work = path.join(this.root, 'work');

  private constructor() {}

  /** A new local bare repository, or a work tree of `remote` (e.g. an http URL) when given. */
  static async create(remote?: string): Promise<ChartRepo> {
    const repo = new ChartRepo();
    if (remote === undefined)
      await repo.git(repo.root, 'init', '--quiet', '--bare', '--initial-branch=main', repo.bare);
    await repo.git(repo.root, 'clone', '--quiet', remote ?? repo.bare, repo.work);
    await repo.git(repo.work, 'checkout', '--quiet', '-B', 'main');
    return repo;
  }

  /** Writes the files (relative paths), commits them on main, pushes; returns the commit SHA. */
  async commit(files: Record<string, string>, message = 'update'): Promise<string> {
    for (const [file, text] of Object.entries(files)) {
      const full = path.join(this.work, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    await this.git(this.work, 'add', '--all');
    await this.git(this.work, 'commit', '--quiet', '-m', message);
    await this.git(this.work, 'push', '--quiet', 'origin', 'HEAD:main', '--tags');
    return (await this.git(this.work, 'rev-parse', 'HEAD')).trim();
  }

  async tag(name: string): Promise<void> {
    await this.git(this.work, 'tag', name);
    await this.git(this.work, 'push', '--quiet', 'origin', name);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private async git(cwd: string, ...args: string[]): Promise<string> {
    return (await run('git', args, { cwd, env: ENV, encoding: 'utf8' })).stdout;
  }
}

/**
 * A real Helm chart (rendered by the real `helm template`): a Deployment and, unless
 * `service.enabled` is false, a Service, named after the release, with Helm's standard labels and
 * the platform labels from `platform` values. values-dev.yaml overrides the image tag.
 */
export function chartFiles(
  image: string,
  tag: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1.0"\n',
    'chart/values.yaml': [
      `image:\n  repository: ${image}\n  tag: latest`,
      'replicaCount: 2',
      'service:\n  enabled: true\n  port: 80',
      'containerPort: 8080',
      'env:\n  LOG_LEVEL: info',
      'platform:\n  app: web\n  team: chart-team\n  template: chart-template',
      '',
    ].join('\n'),
    'chart/values-dev.yaml': `image:\n  tag: "${tag}"\n`,
    'chart/templates/_helpers.tpl': HELPERS,
    'chart/templates/service.yaml': SERVICE,
    'chart/templates/deployment.yaml': DEPLOYMENT,
    ...extra,
  };
}

const HELPERS = `{{- define "web.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "web.selector" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
platform-api/app: {{ .Values.platform.app | quote }}
platform-api/team: {{ .Values.platform.team | quote }}
platform-api/template: {{ .Values.platform.template | quote }}
{{- end }}
{{- define "web.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
`;

const SERVICE = `{{- if .Values.service.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  ports:
    - port: {{ .Values.service.port }}
      targetPort: {{ .Values.containerPort }}
      protocol: TCP
      name: http
  selector:
    {{- include "web.selector" . | nindent 4 }}
{{- end }}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  {{- with .Values.progressDeadlineSeconds }}
  progressDeadlineSeconds: {{ . }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "web.selector" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "web.labels" . | nindent 8 }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          env:
            {{- range $name, $value := .Values.env }}
            - name: {{ $name }}
              value: {{ $value | quote }}
            {{- end }}
          ports:
            - name: http
              containerPort: {{ .Values.containerPort }}
              protocol: TCP
`;
