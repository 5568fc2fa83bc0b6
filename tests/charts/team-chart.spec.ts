import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helm, ROOT, type Rendered } from './app-chart';

const CHART = path.join(ROOT, 'deploy', 'team');

async function render(...args: string[]): Promise<Rendered[]> {
  const out = await helm(['template', ...args], CHART);
  return parseAllDocuments(out).flatMap((d) => {
    const value = d.toJS() as Rendered | null;
    return value === null ? [] : [value];
  });
}

/**
 * deploy/team, what a platform team applies once per team, through the real Helm: the team's
 * AppProject (its repositories, its namespaces, nothing cluster-scoped) and those namespaces.
 */
describe('the team chart (deploy/team)', () => {
  it('passes helm lint --strict', async () => {
    expect(await helm(['lint', '--strict', '.', '--set', 'gitUrl=https://git.example.com'], CHART)).toContain(
      '1 chart(s) linted, 0 chart(s) failed',
    );
  });

  it("renders the team's namespaces and its AppProject limited to them and its organization", async () => {
    const objects = await render('payments', '.', '--set', 'gitUrl=https://git.example.com/');
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//payments-dev',
      'Namespace//payments-prod',
      'AppProject/argocd/payments',
    ]);
    const project = objects[2] as Rendered & { spec: Record<string, unknown> };
    expect(project.spec).toEqual({
      description: 'Apps of team payments, created by the Platform API',
      sourceRepos: ['https://git.example.com/payments/*'],
      destinations: [
        { server: 'https://kubernetes.default.svc', namespace: 'payments-dev' },
        { server: 'https://kubernetes.default.svc', namespace: 'payments-prod' },
      ],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [
        { group: '', kind: 'ResourceQuota' },
        { group: '', kind: 'LimitRange' },
        { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
        { group: 'rbac.authorization.k8s.io', kind: 'Role' },
        { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
      ],
    });
    for (const object of objects) expect(object.metadata.labels).toEqual({ 'platform-api/team': 'payments' });
  });

  it('follows the environments it is given', async () => {
    const objects = await render(
      'x',
      '.',
      '--set',
      'team=content',
      '--set',
      'gitUrl=http://git',
      '--set-json',
      'environments=["qa"]',
    );
    expect(objects.map((o) => o.metadata.name)).toEqual(['content-qa', 'content']);
  });

  it.each([
    [['--set', 'gitUrl=http://git', '--set', 'team=Pay_Ments'], 'team "Pay_Ments" must be a DNS-1123 label'],
    [
      ['--set', `gitUrl=http://git`, '--set', `team=${'a'.repeat(60)}`],
      `namespace ${'a'.repeat(60)}-dev is longer than 63 characters`,
    ],
    [[], 'gitUrl is required'],
  ])('refuses to render with %j: %s', async (args, reason) => {
    await expect(render('payments', '.', ...args)).rejects.toThrow(reason);
  });
});
