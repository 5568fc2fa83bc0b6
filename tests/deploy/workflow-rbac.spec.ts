import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ofKind, Role, RoleBinding, Secret, ServiceAccount } from './models';

const ROOT = path.resolve(__dirname, '..', '..');
const objects = YAML.parseAllDocuments(
  fs.readFileSync(path.join(ROOT, 'deploy', 'argo', 'rbac.yaml'), 'utf8'),
)
  .map((doc) => doc.toJS() as unknown)
  .filter((o) => o !== null);

/** `group/resource:verb` of everything bound to the ServiceAccount `name`. */
function grantsOf(name: string): string[] {
  const roles = ofKind(objects, RoleBinding)
    .filter((b) => (b.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === name))
    .map((b) => {
      expect(b.roleRef.kind).toBe('Role');
      return ofKind(objects, Role).find((r) => r.metadata?.name === b.roleRef.name);
    });
  return roles
    .flatMap((role) => role?.rules ?? [])
    .flatMap((rule) =>
      (rule.apiGroups ?? []).flatMap((group) =>
        (rule.resources ?? []).flatMap((resource) =>
          rule.verbs.map((verb) => `${group || 'core'}/${resource}:${verb}`),
        ),
      ),
    )
    .sort();
}

const account = (name: string) => ofKind(objects, ServiceAccount).find((a) => a.metadata?.name === name);

/** deploy/argo/rbac.yaml: the accounts the workflows (create-app, ci, cd) run with. */
describe('the workflows accounts', () => {
  it('the pods run as platform-workflows, which may do nothing and mounts no token', () => {
    expect(account('platform-workflows')?.automountServiceAccountToken).toBe(false);
    expect(grantsOf('platform-workflows')).toEqual([]);
  });

  it("Argo's executor account may report task results and nothing else", () => {
    expect(account('platform-workflows-executor')?.automountServiceAccountToken).toBe(false);
    // What argoexec's wait container writes (workflow/executor: WorkflowTaskResults create, patch).
    expect(grantsOf('platform-workflows-executor')).toEqual([
      'argoproj.io/workflowtaskresults:create',
      'argoproj.io/workflowtaskresults:patch',
    ]);
  });

  it('the executor has the token Secret Argo looks up as <account>.service-account-token', () => {
    const token = ofKind(objects, Secret).find(
      (s) => s.metadata?.name === 'platform-workflows-executor.service-account-token',
    );
    expect(token?.type).toBe('kubernetes.io/service-account-token');
    expect(token?.metadata?.annotations).toEqual({
      'kubernetes.io/service-account.name': 'platform-workflows-executor',
    });
  });
});
