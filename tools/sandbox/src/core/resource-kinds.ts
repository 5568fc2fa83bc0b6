/** A resource type the sandbox's Kubernetes API serves. */
export interface ResourceKind {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const kind = (
  group: string,
  version: string,
  k: string,
  plural: string,
  namespaced = true,
): ResourceKind => ({
  group,
  version,
  kind: k,
  plural,
  namespaced,
});

export const Kinds = {
  Namespace: kind('', 'v1', 'Namespace', 'namespaces', false),
  Pod: kind('', 'v1', 'Pod', 'pods'),
  Event: kind('', 'v1', 'Event', 'events'),
  Secret: kind('', 'v1', 'Secret', 'secrets'),
  ConfigMap: kind('', 'v1', 'ConfigMap', 'configmaps'),
  ServiceAccount: kind('', 'v1', 'ServiceAccount', 'serviceaccounts'),
  Service: kind('', 'v1', 'Service', 'services'),
  ResourceQuota: kind('', 'v1', 'ResourceQuota', 'resourcequotas'),
  LimitRange: kind('', 'v1', 'LimitRange', 'limitranges'),
  Deployment: kind('apps', 'v1', 'Deployment', 'deployments'),
  ReplicaSet: kind('apps', 'v1', 'ReplicaSet', 'replicasets'),
  Lease: kind('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  // What every cluster serves and a team's AppProject governs (roles, bindings, network policies).
  Role: kind('rbac.authorization.k8s.io', 'v1', 'Role', 'roles'),
  RoleBinding: kind('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'),
  ClusterRole: kind('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  ClusterRoleBinding: kind(
    'rbac.authorization.k8s.io',
    'v1',
    'ClusterRoleBinding',
    'clusterrolebindings',
    false,
  ),
  NetworkPolicy: kind('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies'),
  Workflow: kind('argoproj.io', 'v1alpha1', 'Workflow', 'workflows'),
  WorkflowTemplate: kind('argoproj.io', 'v1alpha1', 'WorkflowTemplate', 'workflowtemplates'),
  Application: kind('argoproj.io', 'v1alpha1', 'Application', 'applications'),
  AppProject: kind('argoproj.io', 'v1alpha1', 'AppProject', 'appprojects'),
} as const satisfies Record<string, ResourceKind>;

export const ALL_KINDS: readonly ResourceKind[] = Object.values(Kinds);

export function apiVersionOf(k: ResourceKind): string {
  return k.group === '' ? k.version : `${k.group}/${k.version}`;
}

/** The store key of a kind: `group/plural` (version-independent, as etcd keys are). */
export function kindKey(k: ResourceKind): string {
  return `${k.group}/${k.plural}`;
}

export function findKind(group: string, plural: string): ResourceKind | undefined {
  return ALL_KINDS.find((k) => k.group === group && k.plural === plural);
}
