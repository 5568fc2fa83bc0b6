import { ApplicationController } from '../../src/argo-cd/controller/application-controller';
import type { ApplicationObject } from '../../src/argo-cd/shared/app-types';
import { ensureDefaultProject } from '../../src/argo-cd/shared/app-projects';
import { createContext } from '../../src/core/create-context';
import { Kinds } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { gitHandler } from '../../src/git';
import { createRepoCredsSecret } from '../../src/platform/base-objects';
import { createTeamOrganization } from '../../src/sandbox';
import { serve } from '../../src/testing/serve';
import { waitFor } from '../workloads/wait-for';
import { ChartRepo, chartFiles } from './chart-repo';

/**
 * The controller reads a PRIVATE manifests repository of the sandbox git server over HTTP, with
 * the credentials of Argo CD's Secrets only (argoproj/argo-cd util/db/repository_secrets.go).
 */
describe('ApplicationController against the sandbox git server over HTTP', () => {
  let ctx: SandboxContext;
  let git: { url: string; close(): Promise<void> };
  let repo: ChartRepo;
  let controller: ApplicationController;
  const repoURL = () => `${git.url}/payments/shop-manifests.git`;

  beforeEach(async () => {
    ctx = createContext({ gitUsername: 'sandbox', gitPassword: 's3cret' }, 500);
    // The Argo CD server creates it at its first start; the controller alone does not.
    ensureDefaultProject(ctx);
    git = await serve(gitHandler(ctx));
    ctx.urls.git = git.url;
    createTeamOrganization(ctx, 'payments');
    const created = await fetch(`${git.url}/api/v1/orgs/payments/repos`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sandbox:s3cret').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'shop-manifests', private: true, default_branch: 'main' }),
    });
    expect(created.status).toBe(201);
    repo = await ChartRepo.create(repoURL().replace('http://', 'http://sandbox:s3cret@'));
    controller = new ApplicationController(ctx, { syncDurationMs: 100, reconcileIntervalMs: 3_600_000 });
    controller.start();
  });
  afterEach(async () => {
    controller.stop();
    ctx.clock.cancelAll();
    await git.close();
    repo.dispose();
  });

  const app = () => ctx.store.get(Kinds.Application, 'argocd', 'shop') as ApplicationObject;
  const createApp = () =>
    ctx.store.create(Kinds.Application, {
      metadata: { name: 'shop', namespace: 'argocd' },
      spec: {
        source: { repoURL: repoURL(), path: 'chart', targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
      operation: { sync: {}, initiatedBy: { username: 'admin' } },
    });
  const repoCreds = (password: string) =>
    createRepoCredsSecret(ctx, 'git-creds', { url: `${git.url}/`, username: 'sandbox', password });
  const failedSync = () =>
    waitFor(
      'operation Error and sync Unknown',
      () =>
        app().status?.operationState?.phase === 'Error' && app().status?.sync?.status === 'Unknown' && app(),
    );

  it('reads the private repository with a repo-creds Secret whose url prefixes it', async () => {
    const sha = await repo.commit(chartFiles('nginx', '1.27'));
    repoCreds('s3cret');
    createApp();
    await waitFor(
      'Synced',
      () => app().status?.sync?.status === 'Synced' && app().status?.sync?.revision === sha,
    );
    expect(ctx.store.get(Kinds.Deployment, 'shop', 'shop')).toBeDefined();
  });

  it("cannot read it without credentials: go-git's 401 in a ComparisonError", async () => {
    await repo.commit(chartFiles('nginx', '1.27'));
    createApp();
    const failed = await failedSync();
    expect(failed.status?.operationState?.message).toBe(
      'ComparisonError: Failed to load target state: failed to generate manifest for source 1 of 1: ' +
        'rpc error: code = Unknown desc = failed to list refs: authentication required: Unauthorized\n',
    );
  });

  it('prefers a repository Secret with the exact url, even when its password is wrong', async () => {
    await repo.commit(chartFiles('nginx', '1.27'));
    repoCreds('s3cret');
    ctx.store.create(Kinds.Secret, {
      metadata: {
        name: 'shop-manifests-repo',
        namespace: 'argocd',
        labels: { 'argocd.argoproj.io/secret-type': 'repository' },
      },
      stringData: { url: repoURL().replace(/\.git$/, ''), username: 'sandbox', password: 'stale' },
    });
    createApp();
    const failed = await failedSync();
    expect(failed.status?.operationState?.message).toContain('failed to list refs: authentication required');
  });

  it('reports a ComparisonError while the git server fails', async () => {
    await repo.commit(chartFiles('nginx', '1.27'));
    repoCreds('s3cret');
    ctx.faults.set('git', { errorRate: 1, errorCode: 503 });
    createApp();
    const failed = await failedSync();
    expect(failed.status?.operationState?.message).toBe(
      'ComparisonError: Failed to load target state: failed to generate manifest for source 1 of 1: ' +
        'rpc error: code = Unknown desc = failed to list refs: unexpected client error: unexpected requesting ' +
        `"${repoURL()}/info/refs?service=git-upload-pack" status code: 503`,
    );
    expect(failed.status?.sync?.status).toBe('Unknown');
  });
});
