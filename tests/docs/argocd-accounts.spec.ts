import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CONFIG, platformArgoCdPolicy } from '@platform/sandbox';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../deploy/rendered';

const DOCS = ['README.md', 'deploy/README.md', 'deploy/argo/README.md'];
const { argocdServices, argocdWorkflows } = DEFAULT_CONFIG;

/** The Argo CD accounts a platform team sets up are the ones the sandbox sets up and enforces. */
describe('the Argo CD accounts in the docs', () => {
  it.each(DOCS)('%s shows the policy.csv lines the sandbox enforces', (doc) => {
    const text = readFileSync(path.join(REPO_ROOT, doc), 'utf8').replace(/^ {2}/gm, '');
    expect(text).toContain(platformArgoCdPolicy(argocdServices.username, argocdWorkflows.username));
  });

  it('names the workflows account in the Secret the workflows read, and the services account in theirs', () => {
    const argoReadme = readFileSync(path.join(REPO_ROOT, 'deploy/argo/README.md'), 'utf8');
    expect(argoReadme).toContain(
      `kubectl -n argo create secret generic platform-argocd --from-literal=username=${argocdWorkflows.username}`,
    );
    const configMaps = ['task', 'monitoring', 'summary'].map((service) =>
      readFileSync(path.join(REPO_ROOT, 'deploy/base', service, 'configmap.yaml'), 'utf8'),
    );
    for (const text of configMaps)
      expect(text).toMatch(new RegExp(`ARGOCD_USERNAME: "?${argocdServices.username}"?`));
  });
});
