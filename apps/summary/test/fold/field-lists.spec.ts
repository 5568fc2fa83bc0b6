import type { Application, Workflow } from '@platform/argo-client';
import { FieldFilter } from '@platform/sandbox';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { APPLICATION_FIELDS, applicationFacts } from '../../src/fold/from-application';
import { taskFacts, WORKFLOW_FIELDS } from '../../src/fold/from-workflow';
import { keptBy, readPaths } from '../support/read-paths';

/**
 * The collector asks Argo CD and Argo Workflows only for the paths in APPLICATION_FIELDS and
 * WORKFLOW_FIELDS. A path the fold reads but the list lacks would silently read as absent, so:
 * folding a whole object and the same object trimmed as the server trims it must give equal
 * facts, and no path the fold reads (present in the object or not) may fall outside the list.
 */

/** `../shared` beside the checkout (CI has it there); absent in a clone elsewhere. */
const SHARED = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'fixtures');
const hasShared = fs.existsSync(SHARED);
if (!hasShared) console.log('field lists on the real Argo fixtures skipped: ../shared not found');

const platformLabels = { 'platform-api/app': 'shop', 'platform-api/team': 'payments' };

/** The real objects of `../shared/fixtures/<dir>` named `<prefix>*.yaml`, with the platform's labels added. */
function realObjects<T extends { metadata: { labels?: Record<string, string> } }>(
  dir: string,
  prefix: string,
  labels: Record<string, string>,
): Array<[string, T]> {
  if (!hasShared) return [];
  return fs
    .readdirSync(path.join(SHARED, dir))
    .filter((name) => name.startsWith(prefix) && name.endsWith('.yaml'))
    .map((name) => {
      const object = YAML.parse(fs.readFileSync(path.join(SHARED, dir, name), 'utf8')) as T;
      object.metadata.labels = { ...object.metadata.labels, ...labels };
      return [name, object];
    });
}

/** The object as a server sends it with `fields=` (the sandbox's filter is argoproj/pkg's). */
function trimmed<T>(object: T, paths: readonly string[]): T {
  return FieldFilter.fromQuery(new URLSearchParams({ fields: paths.join(',') }))?.apply(object) as T;
}

/** An Application with every field the summary shows set, among the fields it does not read. */
function fullApplication(): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'shop',
      namespace: 'argocd',
      resourceVersion: '42',
      labels: { ...platformLabels, 'platform-api/template': 'go-service' },
      annotations: { 'argocd.argoproj.io/refresh': 'normal' },
    },
    spec: {
      project: 'payments',
      // An app from before environments (no environment label): its value file names its environment.
      source: {
        repoURL: 'http://git/shop-manifests.git',
        path: 'chart',
        targetRevision: 'HEAD',
        helm: { valueFiles: ['values.yaml', 'values-dev.yaml'] },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'shop-dev' },
      syncPolicy: { automated: { prune: true } },
    },
    status: {
      sync: { status: 'OutOfSync', revision: 'r3', comparedTo: { source: { repoURL: 'x' } } },
      health: { status: 'Degraded', message: 'Deployment "shop" exceeded its progress deadline' },
      operationState: {
        phase: 'Failed',
        message: 'one or more objects failed to apply',
        startedAt: '2026-11-26T09:00:00Z',
        finishedAt: '2026-11-26T09:00:05Z',
        syncResult: {
          revision: 'r2',
          resources: [{ kind: 'Deployment', name: 'shop', status: 'SyncFailed' }],
        },
        operation: { sync: { revision: 'r2' } },
      },
      summary: { images: ['reg/shop:2', 'reg/envoy:1'], externalURLs: ['http://shop'] },
      history: [
        { id: 1, revision: 'r1', deployedAt: '2026-11-25T09:00:00Z', initiatedBy: { username: 'a' } },
        { id: 2, revision: 'r2', deployedAt: '2026-11-26T08:00:00Z', initiatedBy: { automated: true } },
      ],
      resources: [{ kind: 'Deployment', name: 'shop', status: 'OutOfSync', health: { status: 'Degraded' } }],
      reconciledAt: '2026-11-26T09:01:00Z',
      conditions: [{ type: 'SyncError', message: 'failed' }],
    },
  };
}

/**
 * A platform workflow as Argo leaves it after a deploy/argo template ran: the outputs the Task
 * reads exported globally, and the steps' own outputs (under their local names) in the nodes.
 */
function platformWorkflow(
  type: 'create' | 'ci' | 'cd',
  phase: string,
  globals: Record<string, string>,
  extra: { message?: string; shutdown?: string } = {},
): Workflow {
  const name = `${type}-shop-x1`;
  const params = (values: Record<string, string>) =>
    Object.entries(values).map(([key, value]) => ({ name: key, value }));
  return {
    metadata: {
      name,
      namespace: 'argo',
      resourceVersion: '7',
      creationTimestamp: '2026-11-26T09:00:00Z',
      labels: { ...platformLabels, 'platform-api/task-type': type, 'workflows.argoproj.io/phase': phase },
      annotations: { 'platform-api/requested-by': 'alice@example.com', 'platform-api/request-hash': 'h' },
    },
    spec: {
      workflowTemplateRef: { name: type === 'create' ? 'create-app' : type },
      arguments: { parameters: params({ app: 'shop', template: 'go-service', image: 'reg/shop:arg' }) },
      ...(extra.shutdown === undefined ? {} : { shutdown: extra.shutdown }),
    },
    status: {
      phase: phase as 'Succeeded',
      message: extra.message,
      progress: '2/2',
      startedAt: '2026-11-26T09:00:01Z',
      finishedAt: phase === 'Running' ? null : '2026-11-26T09:02:00Z',
      outputs: { parameters: params(globals) },
      nodes: {
        [`${name}-1`]: {
          id: `${name}-1`,
          name: `${name}.step`,
          displayName: 'step',
          type: 'Pod',
          phase: phase === 'Running' ? 'Running' : 'Failed',
          message: 'failed with exit code 1',
          startedAt: '2026-11-26T09:00:01Z',
          outputs: { parameters: params({ tag: 't1', commit: 'node-commit', 'repo-url': 'node-url' }) },
        },
      },
    },
  };
}

const applications: Array<[string, Application]> = [
  ['a fully populated Application', fullApplication()],
  ...realObjects<Application>('argo-cd', 'app-', {
    ...platformLabels,
    'platform-api/template': 'go-service',
  }),
];

const workflows: Array<[string, Workflow]> = [
  [
    'a succeeded ci',
    platformWorkflow('ci', 'Succeeded', { commit: 'c1', digest: 'sha256:1', image: 'reg/shop:1' }),
  ],
  [
    'a succeeded cd',
    platformWorkflow('cd', 'Succeeded', {
      'manifests-commit': 'm1',
      image: 'reg/shop:1',
      environment: 'dev',
      'synced-revision': 'm1',
      health: 'Healthy',
    }),
  ],
  [
    'a succeeded create',
    platformWorkflow('create', 'Succeeded', {
      'source-commit': 's1',
      'source-repo-url': 'http://git/shop.git',
      'image-digest': 'sha256:2',
      'manifests-commit': 'm1',
      'manifests-repo-url': 'http://git/shop-manifests.git',
      'argocd-app': 'shop',
    }),
  ],
  ['a running ci', platformWorkflow('ci', 'Running', {})],
  ['a terminated cd', platformWorkflow('cd', 'Failed', {}, { message: "Stopped with strategy 'Terminate'" })],
  ['a cd being stopped', platformWorkflow('cd', 'Failed', {}, { shutdown: 'Stop' })],
  ...realObjects<Workflow>('argo-workflows', 'workflow-', {
    ...platformLabels,
    'platform-api/task-type': 'ci',
  }),
];

describe('APPLICATION_FIELDS', () => {
  it.each(applications)('keep every fact of %s', (_name, application) => {
    const facts = applicationFacts(application);
    expect(facts).toBeDefined();
    expect(applicationFacts(trimmed(application, APPLICATION_FIELDS))).toEqual(facts);
  });

  it.each(applications)('hold every path the fold reads of %s', (_name, application) => {
    const read = readPaths(application, (a) => applicationFacts(a));
    expect([...read].filter((p) => !keptBy(APPLICATION_FIELDS, p))).toEqual([]);
  });

  it('make a real Application much smaller', () => {
    const application = fullApplication();
    const size = (o: unknown) => JSON.stringify(o).length;
    expect(size(trimmed(application, APPLICATION_FIELDS))).toBeLessThan(size(application) * 0.7);
  });
});

describe('WORKFLOW_FIELDS', () => {
  it.each(workflows)('keep every fact of %s', (_name, workflow) => {
    const facts = taskFacts(workflow);
    expect(facts).toBeDefined();
    expect(taskFacts(trimmed(workflow, WORKFLOW_FIELDS))).toEqual(facts);
  });

  it('leave out the nodes, which the platform templates make unnecessary', () => {
    const workflow = trimmed(workflows[0]?.[1] as Workflow, WORKFLOW_FIELDS);
    expect(workflow.status?.nodes).toBeUndefined();
    expect(workflow.status?.outputs?.parameters).toHaveLength(3);
  });

  it.each(workflows)('hold every path the fold reads of %s, but the nodes', (_name, workflow) => {
    const read = readPaths(workflow, (w) => taskFacts(w));
    const outside = [...read].filter((p) => !keptBy(WORKFLOW_FIELDS, p));
    // Read for the steps and as a fallback for outputs, neither of which the facts need (see WORKFLOW_FIELDS).
    expect(outside.filter((p) => !keptBy(['status.nodes'], p))).toEqual([]);
  });
});
