import { describe, expect, it } from '@jest/globals';
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import {
  ClusterRole,
  ClusterRoleBinding,
  Deployment,
  ofKind,
  Role,
  RoleBinding,
  ServiceAccount,
} from './models';
import { find, overlays, type Overlay } from './rendered';

/** One permission: `group/resource:verb`, the core group written as "core". */
type Grant = string;

/** Exactly what each service may do; anything more or less fails. */
const EXPECTED: Record<string, { clusterWide: Grant[]; ownNamespace: Grant[] }> = {
  task: { clusterWide: [], ownNamespace: [] },
  monitoring: {
    clusterWide: [
      ...readGrants('core', ['pods', 'events']),
      // Following a log is a long GET: list/watch on pods/log mean nothing.
      'core/pods/log:get',
    ],
    ownNamespace: [],
  },
  summary: {
    clusterWide: [
      ...readGrants('core', ['pods', 'events']),
      ...readGrants('apps', ['deployments']),
      ...readGrants('argoproj.io', ['workflows', 'applications']),
    ],
    ownNamespace: [
      'coordination.k8s.io/leases:create',
      'coordination.k8s.io/leases:get',
      'coordination.k8s.io/leases:update',
    ],
  },
};

function readGrants(group: string, resources: string[]): Grant[] {
  return resources.flatMap((resource) =>
    ['get', 'list', 'watch'].map((verb) => `${group}/${resource}:${verb}`),
  );
}

function grants(rules: IPolicyRule[] | undefined): Grant[] {
  const all = (rules ?? []).flatMap((rule) => {
    // resourceNames would be fine but is not used; nonResourceURLs would be cluster endpoints.
    expect(rule.nonResourceURLs ?? []).toEqual([]);
    return (rule.apiGroups ?? []).flatMap((group) =>
      (rule.resources ?? []).flatMap((resource) =>
        rule.verbs.map((verb) => `${group || 'core'}/${resource}:${verb}`),
      ),
    );
  });
  return [...new Set(all)].sort();
}

/** What the ServiceAccount `name` of the overlay's namespace is granted, split by scope. */
function grantsOf(overlay: Overlay, name: string): { clusterWide: Grant[]; ownNamespace: Grant[] } {
  const isSubject = (subjects: { kind: string; name: string; namespace?: string }[] | undefined): boolean =>
    (subjects ?? []).some(
      (s) => s.kind === 'ServiceAccount' && s.name === name && s.namespace === overlay.namespace,
    );
  const clusterWide = ofKind(overlay.objects, ClusterRoleBinding)
    .filter((binding) => isSubject(binding.subjects))
    .flatMap((binding) => {
      expect(binding.roleRef.kind).toBe('ClusterRole');
      return find(overlay.objects, ClusterRole, binding.roleRef.name).rules ?? [];
    });
  const ownNamespace = ofKind(overlay.objects, RoleBinding)
    .filter((binding) => isSubject(binding.subjects))
    .flatMap((binding) => {
      // A RoleBinding to a ClusterRole would grant it here too; these services bind Roles only.
      expect(binding.roleRef.kind).toBe('Role');
      expect(binding.metadata?.namespace).toBe(overlay.namespace);
      const role = find(overlay.objects, Role, binding.roleRef.name);
      expect(role.metadata?.namespace).toBe(overlay.namespace);
      return role.rules ?? [];
    });
  return { clusterWide: grants(clusterWide), ownNamespace: grants(ownNamespace) };
}

describe.each(overlays())('$name overlay: RBAC', (overlay) => {
  it.each(Object.keys(EXPECTED))('%s is granted exactly what it needs', (name) => {
    const expected = EXPECTED[name] ?? { clusterWide: [], ownNamespace: [] };
    expect(grantsOf(overlay, name)).toEqual({
      clusterWide: [...expected.clusterWide].sort(),
      ownNamespace: [...expected.ownNamespace].sort(),
    });
  });

  it('every Deployment runs as its own ServiceAccount; task mounts no token', () => {
    for (const name of Object.keys(EXPECTED)) {
      const pod = find(overlay.objects, Deployment, name).spec?.template.spec;
      expect(pod?.serviceAccountName).toBe(name);
      const account = find(overlay.objects, ServiceAccount, name);
      const mounts = name !== 'task';
      expect(account.automountServiceAccountToken ?? true).toBe(mounts);
      expect(pod?.automountServiceAccountToken ?? account.automountServiceAccountToken ?? true).toBe(mounts);
    }
  });

  it('holds no other roles or bindings, and every binding names an existing role', () => {
    const bindings = [
      ...ofKind(overlay.objects, ClusterRoleBinding),
      ...ofKind(overlay.objects, RoleBinding),
    ];
    const bound = new Set(bindings.map((b) => `${b.roleRef.kind}/${b.roleRef.name}`));
    const roles = [...ofKind(overlay.objects, ClusterRole), ...ofKind(overlay.objects, Role)];
    expect(roles.map((role) => `${role.kind}/${role.metadata?.name ?? ''}`).sort()).toEqual(
      [...bound].sort(),
    );
    for (const binding of bindings) {
      expect(
        binding.subjects?.every((s) => s.kind === 'ServiceAccount' && s.namespace === overlay.namespace),
      ).toBe(true);
    }
  });
});
