import { ApplicationController } from '../../src/argo-cd/application-controller';
import type { ApplicationObject } from '../../src/argo-cd/app-types';
import { createContext } from '../../src/core/create-context';
import { Kinds } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { gitHandler } from '../../src/git';
import { serve } from '../../src/testing/serve';
import { waitFor } from '../workloads/wait-for';
import { ChartRepo, chartFiles } from './chart-repo';

describe('ApplicationController against the sandbox git server over HTTP', () => {
  let ctx: SandboxContext;
  let git: { url: string; close(): Promise<void> };
  let repo: ChartRepo;
  let controller: ApplicationController;

  beforeEach(async () => {
    ctx = createContext({ gitUsername: 'sandbox', gitPassword: 's3cret' }, 500);
    git = await serve(gitHandler(ctx));
    ctx.urls.git = git.url;
    const auth = `Basic ${Buffer.from('sandbox:s3cret').toString('base64')}`;
    const created = await fetch(`${git.url}/api/v1/repos`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'shop-manifests', defaultBranch: 'main' }),
    });
    expect(created.status).toBe(201);
    repo = await ChartRepo.create(
      `${git.url.replace('http://', 'http://sandbox:s3cret@')}/shop-manifests.git`,
    );
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
        source: { repoURL: `${git.url}/shop-manifests.git`, path: 'chart', targetRevision: 'main' },
        destination: { namespace: 'shop' },
      },
      operation: { sync: {}, initiatedBy: { username: 'admin' } },
    });

  it('resolves and reads the manifests repo with the git server credentials', async () => {
    const sha = await repo.commit(chartFiles('nginx', '1.27'));
    createApp();
    await waitFor(
      'Synced',
      () => app().status?.sync?.status === 'Synced' && app().status?.sync?.revision === sha,
    );
    expect(ctx.store.get(Kinds.Deployment, 'shop', 'shop')).toBeDefined();
  });

  it('reports a ComparisonError while the git server fails', async () => {
    await repo.commit(chartFiles('nginx', '1.27'));
    ctx.faults.set('git', { errorRate: 1, errorCode: 503 });
    createApp();
    // The sync operation and the refresh fail independently (as in Argo CD); on a busy machine the
    // operation's Error can be written before the refresh's Unknown, so wait for both.
    const failed = await waitFor(
      'operation Error and sync Unknown',
      () =>
        app().status?.operationState?.phase === 'Error' && app().status?.sync?.status === 'Unknown' && app(),
    );
    expect(failed.status?.operationState?.message).toMatch(
      /^ComparisonError: Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = failed to list refs: /,
    );
    expect(failed.status?.sync?.status).toBe('Unknown');
  });
});
