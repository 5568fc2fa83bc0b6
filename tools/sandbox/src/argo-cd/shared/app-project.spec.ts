import { ProjectRules, type AppProjectSpec } from './app-project';
import { pathMatch } from './path-match';
import { globMatch } from './rbac-glob';

const rules = (spec: AppProjectSpec) =>
  new ProjectRules({ metadata: { name: 'payments', namespace: 'argocd' }, spec });
const IN_CLUSTER = { server: 'https://kubernetes.default.svc', name: 'in-cluster' };

describe(ProjectRules.name, () => {
  describe('isSourcePermitted: gobwas globs with / as separator, normalized URLs, ! denies', () => {
    it.each([
      [['*'], 'https://github.com/argoproj/test.git', true],
      [['https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', true],
      [['https://github.com/argoproj/*'], 'https://github.com/argoproj/argoproj.git', true],
      [['https://GitHub.com/argoproj/test'], 'https://github.com/argoproj/test.git', true],
      [['ssh://git@GITHUB.com:argoproj/test'], 'ssh://git@github.com:argoproj/test', true],
      [['https://github.com/argoproj/test1.git'], 'https://github.com/argoproj/test2.git', false],
      [['https://github.com/argoproj/*.git'], 'https://github.com/argoproj1/test2.git', false],
      [['https://github.com/argoproj/foo'], 'https://github.com/argoproj/foo1', false],
      // `*` stops at a `/`: a team's organization does not reach into sub-paths or other teams.
      [['https://gitlab.com/group/*'], 'https://gitlab.com/group/repo/owner', false],
      [['https://gitlab.com/group/*/*'], 'https://gitlab.com/group/repo/owner', true],
      [['https://gitlab.com/group/**'], 'https://gitlab.com/group/sub-group/repo/owner', true],
      [['http://git:3000/payments/*'], 'http://git:3000/payments-eu/shop-manifests.git', false],
      [['http://git:3000/payments/*'], 'http://git:3000/payments/shop-manifests.git', true],
      [['!https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', false],
      [
        ['https://github.com/test1/test.git', '!https://github.com/test2/test.git'],
        'https://github.com/test2/test.git',
        false,
      ],
      [['!https://github.com/argoproj/*.git', '*'], 'https://github.com/argoproj1/test2.git', true],
      [['!https://github.com/argoproj/*', '*'], 'https://github.com/argoproj/x.git', false],
      [[], 'https://github.com/argoproj/test.git', false],
    ])('%j permits %s: %s', (sourceRepos, repo, permitted) => {
      expect(rules({ sourceRepos }).isSourcePermitted(repo)).toBe(permitted);
    });
  });

  describe('isDestinationPermitted: server or name and namespace, ! denies', () => {
    it.each([
      [[{ server: 'https://kubernetes.default.svc', namespace: 'payments-dev' }], 'payments-dev', true],
      [[{ server: 'https://kubernetes.default.svc', namespace: 'payments-dev' }], 'payments-prod', false],
      [[{ name: 'in-cluster', namespace: 'payments-*' }], 'payments-dev', true],
      // Without separators `*` matches anything: payments-* is also the namespace of team payments-eu.
      [[{ server: '*', namespace: 'payments-*' }], 'payments-eu-dev', true],
      [[{ server: 'https://other', namespace: '*' }], 'payments-dev', false],
      [[{ server: '!https://kubernetes.default.svc', namespace: 'default' }], 'default', false],
      [[{ server: 'https://kubernetes.default.svc', namespace: '!default' }], 'kube-system', true],
      [[{ server: '!https://my-cluster', namespace: 'default' }], 'default', true],
      [[{ server: 'https://kubernetes.default.svc', namespace: '!test-*' }], 'test-foo', false],
      [
        [
          { server: '*', namespace: '*' },
          { server: '*', namespace: '!kube-system' },
        ],
        'kube-system',
        false,
      ],
      [[], 'default', false],
    ])('%j permits namespace %s: %s', (destinations, namespace, permitted) => {
      expect(rules({ destinations }).isDestinationPermitted(IN_CLUSTER, namespace)).toBe(permitted);
    });

    it('permits nothing without a cluster, or when only project-scoped clusters are allowed', () => {
      const open = { destinations: [{ server: '*', namespace: '*' }] };
      expect(rules(open).isDestinationPermitted(undefined, 'default')).toBe(false);
      expect(
        rules({ ...open, permitOnlyProjectScopedClusters: true }).isDestinationPermitted(IN_CLUSTER, 'x'),
      ).toBe(false);
    });
  });

  describe('isGroupKindNamePermitted: white- and blacklists by scope, filepath globs', () => {
    const clusterRole = { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' };
    const namespace = { group: '', kind: 'Namespace' };
    const deployment = { group: 'apps', kind: 'Deployment' };
    const quota = { group: '', kind: 'ResourceQuota' };

    it('permits no cluster-scoped kind without a whitelist, or with an empty one', () => {
      expect(rules({}).isGroupKindNamePermitted(namespace, 'payments-dev', false)).toBe(false);
      expect(rules({ clusterResourceWhitelist: [] }).isGroupKindNamePermitted(clusterRole, 'x', false)).toBe(
        false,
      );
    });

    it('permits the whitelisted cluster-scoped kinds, by name glob when the item has one', () => {
      const project = rules({
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'payments-*' }],
      });
      expect(project.isGroupKindNamePermitted(namespace, 'payments-dev', false)).toBe(true);
      expect(project.isGroupKindNamePermitted(namespace, 'kube-system', false)).toBe(false);
      expect(project.isGroupKindNamePermitted(clusterRole, 'payments-dev', false)).toBe(false);
      const all = rules({
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        clusterResourceBlacklist: [{ group: 'rbac.authorization.k8s.io', kind: 'Cluster*' }],
      });
      expect(all.isGroupKindNamePermitted(namespace, 'x', false)).toBe(true);
      expect(all.isGroupKindNamePermitted(clusterRole, 'x', false)).toBe(false);
    });

    it('permits every namespaced kind without a whitelist, none with an empty one, never a blacklisted one', () => {
      expect(rules({}).isGroupKindNamePermitted(deployment, 'shop', true)).toBe(true);
      expect(
        rules({ namespaceResourceWhitelist: [] }).isGroupKindNamePermitted(deployment, 'shop', true),
      ).toBe(false);
      const blacklisted = rules({ namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }] });
      expect(blacklisted.isGroupKindNamePermitted(quota, 'q', true)).toBe(false);
      expect(blacklisted.isGroupKindNamePermitted(deployment, 'shop', true)).toBe(true);
      const whitelisted = rules({ namespaceResourceWhitelist: [{ group: 'apps', kind: '*' }] });
      expect(whitelisted.isGroupKindNamePermitted(deployment, 'shop', true)).toBe(true);
      expect(whitelisted.isGroupKindNamePermitted(quota, 'q', true)).toBe(false);
    });
  });

  it('isResourcePermitted: the kind, then for a namespaced object its namespace as a destination', () => {
    const project = rules({ destinations: [{ server: '*', namespace: 'payments-dev' }] });
    const service = { group: '', kind: 'Service' };
    expect(project.isResourcePermitted(service, 'shop', 'payments-dev', IN_CLUSTER)).toBe(true);
    expect(project.isResourcePermitted(service, 'shop', 'content-dev', IN_CLUSTER)).toBe(false);
    expect(project.isResourcePermitted({ group: '', kind: 'Namespace' }, 'x', '', IN_CLUSTER)).toBe(false);
  });

  it('isAppNamespacePermitted: Argo CD’s own namespace always, others by sourceNamespaces (globs or /regexps/)', () => {
    expect(rules({}).isAppNamespacePermitted('argocd', 'argocd')).toBe(true);
    expect(rules({}).isAppNamespacePermitted('team-a', 'argocd')).toBe(false);
    expect(rules({ sourceNamespaces: ['team-*'] }).isAppNamespacePermitted('team-a', 'argocd')).toBe(true);
    expect(rules({ sourceNamespaces: ['/^team-[ab]$/'] }).isAppNamespacePermitted('team-b', 'argocd')).toBe(
      true,
    );
  });
});

describe(pathMatch.name, () => {
  it.each([
    ['*', 'Deployment', true],
    ['Deploy*', 'Deployment', true],
    ['', '', true],
    ['', 'apps', false],
    ['*', 'a/b', false],
    ['?od', 'Pod', true],
    ['[A-Z]od', 'Pod', true],
    ['[^A-Z]od', 'Pod', false],
    ['\\*', '*', true],
    ['[', '[', false],
    ['[]', 'x', false],
  ])('%s matches %s: %s', (pattern, name, matches) => {
    expect(pathMatch(pattern, name)).toBe(matches);
  });
});

describe(globMatch.name, () => {
  it('crosses separators only with ** when it has them, always without', () => {
    expect(globMatch('a/*', 'a/b/c', '/')).toBe(false);
    expect(globMatch('a/**', 'a/b/c', '/')).toBe(true);
    expect(globMatch('a/?', 'a//', '/')).toBe(false);
    expect(globMatch('a/*', 'a/b/c')).toBe(true);
  });
});
