import { applicationTable } from './argocd-app-list';
import { resourcesTable } from './argocd-describe';
import { parseQualifiedName, qualifiedName } from './argocd-app-names';

describe(applicationTable.name, () => {
  const app = {
    metadata: { name: 'payments', namespace: 'argocd' },
    spec: {
      project: 'team-a',
      source: { repoURL: 'https://git/p.git', path: 'chart', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'payments-dev' },
      syncPolicy: { automated: { prune: true } },
    },
    status: {
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      conditions: [{ type: 'SyncError' }, { type: 'ComparisonError' }, { type: 'SyncError' }],
    },
  };
  const bare = {
    metadata: { name: 'x', namespace: 'argocd' },
    spec: { destination: { name: 'in-cluster' } },
  };

  it('pads every column but the last to its widest cell plus two, as tabwriter does', () => {
    expect(applicationTable([app, bare], true).split('\n')).toEqual([
      'NAME             CLUSTER                         NAMESPACE     PROJECT  STATUS  HEALTH   SYNCPOLICY  CONDITIONS                    REPO               PATH   TARGET',
      'argocd/payments  https://kubernetes.default.svc  payments-dev  team-a   Synced  Healthy  Auto-Prune  ComparisonError,SyncError(2)  https://git/p.git  chart  main',
      // Empty cells are padded too: the line ends in the padding of CONDITIONS, REPO and PATH.
      `argocd/x         in-cluster                                    default                   Manual      <none>${' '.repeat(24 + 19 + 7)}`,
      '',
    ]);
  });

  it('leaves REPO, PATH and TARGET out for -o ""', () => {
    expect(applicationTable([], false)).toBe(
      'NAME  CLUSTER  NAMESPACE  PROJECT  STATUS  HEALTH  SYNCPOLICY  CONDITIONS\n',
    );
  });
});

describe(parseQualifiedName.name, () => {
  it.each([
    ['argocd/payments', '', { namespace: 'argocd', name: 'payments' }],
    ['payments', '', { namespace: '', name: 'payments' }],
    ['payments', 'team-a', { namespace: 'team-a', name: 'payments' }],
    ['a/b/c', 'x', { namespace: 'a', name: 'b/c' }],
  ])('%s with -N %p', (text, ns, expected) => {
    expect(parseQualifiedName(text, ns)).toEqual(expected);
  });

  it('reads back what qualifiedName prints', () => {
    expect(qualifiedName({ metadata: { name: 'p', namespace: 'argocd' } })).toBe('argocd/p');
    expect(qualifiedName({ metadata: { name: 'p' } })).toBe('p');
  });
});

describe(resourcesTable.name, () => {
  it("pads empty cells as the CLI's tabwriter does, and never the last", () => {
    const app = {
      status: {
        operationState: {
          syncResult: {
            resources: [
              {
                group: 'apps',
                kind: 'Deployment',
                namespace: 'p-dev',
                name: 'p',
                status: 'Synced',
                message: 'deployment.apps/p configured',
              },
              { group: '', kind: 'Service', namespace: 'p-dev', name: 'p', status: 'Synced', message: '' },
            ],
          },
        },
        resources: [{ kind: 'Deployment', name: 'p', status: 'Synced', health: { status: 'Healthy' } }],
      },
    };
    const [header, deployment, service] = resourcesTable(app)
      .split('\n')
      .map((line) => line.slice(22));
    expect(header).toBe('GROUP  KIND        NAMESPACE  NAME  STATUS  HEALTH   HOOK  MESSAGE');
    expect(deployment).toBe(
      'apps   Deployment  p-dev      p     Synced  Healthy        deployment.apps/p configured',
    );
    // An empty MESSAGE ends the line right after the padding of the cells before it.
    expect(service).toBe(`       Service     p-dev      p     Synced${' '.repeat(2 + 9 + 6)}`);
  });
});
