import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import { ofKind, Role, RoleBinding, Secret, ServiceAccount, validateObject } from './models';

const ROOT = path.resolve(__dirname, '..', '..');
const objects = YAML.parseAllDocuments(
  fs.readFileSync(path.join(ROOT, 'deploy', 'argo', 'rbac.yaml'), 'utf8'),
)
  .map((doc) => doc.toJS() as unknown)
  .filter((o) => o !== null);

/** `group/resource:verb`, the core group written as "core". */
type Grant = string;

/**
 * What each ArgoWorkflows client method the services call needs of Kubernetes through the Argo
 * server in client auth mode, read from argo-workflows v4.1.2 server/workflow/workflow_server.go
 * (and util/logs/workflow-logger.go, workflow/util/util.go for the handlers it calls).
 */
const NEEDS: Record<string, Grant[]> = {
  version: [],
  // SubmitWorkflow: WorkflowTemplates.Get, then Workflows.Create.
  submit: ['argoproj.io/workflowtemplates:get', 'argoproj.io/workflows:create'],
  get: ['argoproj.io/workflows:get'],
  // ListWorkflows: auth.CanI("list", "workflows").
  list: ['argoproj.io/workflows:list'],
  // WatchWorkflows: Workflows.Watch.
  watch: ['argoproj.io/workflows:watch'],
  // WorkflowLogs: Workflows.Get and Watch, Pods.List and Watch, Pods.GetLogs.
  logs: [
    'argoproj.io/workflows:get',
    'argoproj.io/workflows:watch',
    'core/pods:list',
    'core/pods:watch',
    'core/pods/log:get',
  ],
  // RetryWorkflow: Workflows.Get, Pods.Delete of the nodes it resets, Workflows.Update.
  retry: ['argoproj.io/workflows:get', 'core/pods:delete', 'argoproj.io/workflows:update'],
  // ResumeWorkflow and StopWorkflow with a node field selector (updateSuspendedNode): Workflows.Get,
  // then Workflows.Update of the matched Suspend nodes.
  resumeNodes: ['argoproj.io/workflows:get', 'argoproj.io/workflows:update'],
  failNodes: ['argoproj.io/workflows:get', 'argoproj.io/workflows:update'],
  // TerminateWorkflow: Workflows.Get, then a merge Patch of spec.shutdown.
  terminate: ['argoproj.io/workflows:get', 'argoproj.io/workflows:patch'],
};

function grants(rules: IPolicyRule[] | undefined): Grant[] {
  const all = (rules ?? []).flatMap((rule) => {
    expect(rule.resourceNames ?? []).toEqual([]);
    return (rule.apiGroups ?? []).flatMap((group) =>
      (rule.resources ?? []).flatMap((resource) =>
        rule.verbs.map((verb) => `${group || 'core'}/${resource}:${verb}`),
      ),
    );
  });
  return [...new Set(all)].sort();
}

/** The ArgoWorkflows methods the services' sources call (`this.argo.<method>(` or `argo.<method>(`). */
function methodsCalled(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.endsWith('.spec.ts'))
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bargo\.(\w+)\(/g)) found.add(m[1] ?? '');
    }
  };
  for (const app of ['task', 'monitoring', 'summary']) walk(path.join(ROOT, 'apps', app, 'src'));
  return [...found].sort();
}

describe('deploy/argo/rbac.yaml: the account the services use against the Argo server', () => {
  it('is valid Kubernetes', () => {
    for (const object of objects) expect(() => validateObject(object as { kind?: unknown })).not.toThrow();
  });

  it('grants exactly what the Argo server calls of the services need', () => {
    const called = methodsCalled();
    expect(called.filter((m) => NEEDS[m] === undefined)).toEqual([]);
    const needed = [...new Set(called.flatMap((m) => NEEDS[m] ?? []))].sort();
    const role = ofKind(objects, Role).find((r) => r.metadata?.name === 'platform-api-argo-server');
    expect(grants(role?.rules)).toEqual(needed);
  });

  it('binds that Role to the platform-api account, whose token Secret the services are given', () => {
    const binding = ofKind(objects, RoleBinding).find((b) => b.metadata?.name === 'platform-api-argo-server');
    expect(binding?.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'platform-api-argo-server',
    });
    expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'platform-api' }]);
    const account = ofKind(objects, ServiceAccount).find((a) => a.metadata?.name === 'platform-api');
    // The token is for the services elsewhere, not for pods of this account.
    expect(account?.automountServiceAccountToken).toBe(false);
    const token = ofKind(objects, Secret).find(
      (s) => s.metadata?.name === 'platform-api.service-account-token',
    );
    expect(token?.type).toBe('kubernetes.io/service-account-token');
    expect(token?.metadata?.annotations?.['kubernetes.io/service-account.name']).toBe('platform-api');
  });
});
