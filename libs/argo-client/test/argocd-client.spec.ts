import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ForbiddenError, InvalidRequestError, NotFoundError, UnauthorizedError } from '@platform/errors';
import { Kinds } from '@platform/sandbox';
import { HttpArgoCd } from '../src/argocd/http-argo-cd';
import { ArgoCdSession } from '../src/argocd/session-token';
import { HttpTransport } from '../src/http/http-transport';
import { startSandboxArgo, type SandboxArgo } from './sandbox-argo';

describe(HttpArgoCd.name, () => {
  let argo: SandboxArgo;

  beforeEach(async () => {
    argo = await startSandboxArgo();
  });
  afterEach(() => argo.close());

  /** A real git repository for Argo CD to resolve revisions in. */
  function gitRepo(): string {
    const dir = path.join(argo.ctx.config.dataDir, 'manifests');
    fs.mkdirSync(dir, { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(dir, 'values.yaml'), 'replicaCount: 1\n');
    git('add', '.');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'init');
    return `file://${dir}`;
  }

  const seed = (name: string, labels: Record<string, string> = {}, repoURL = 'http://git.invalid/x.git') =>
    argo.ctx.store.create(Kinds.Application, {
      metadata: { name, namespace: 'argocd', labels },
      spec: {
        project: 'default',
        source: { repoURL, path: '.', targetRevision: 'main' },
        destination: { namespace: name },
      },
      status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
    });

  it('logs in once and lists, filters and gets applications', async () => {
    seed('shop', { 'platform-api/team': 'payments' });
    seed('blog', { 'platform-api/team': 'content' });
    expect((await argo.argocd.list()).map((a) => a.metadata.name)).toEqual(['blog', 'shop']);
    expect(
      (await argo.argocd.list({ selector: 'platform-api/team=payments' })).map((a) => a.metadata.name),
    ).toEqual(['shop']);
    expect((await argo.argocd.get('shop')).status?.health?.status).toBe('Healthy');
  });

  it('does not leak existence: a missing app is 403 without a project and 404 with one', async () => {
    await expect(argo.argocd.get('nope')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(argo.argocd.get('nope', { project: 'default' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads an AppProject; a missing one is NotFound', async () => {
    // The default project, as the Argo CD server creates it at its first start.
    expect((await argo.argocd.getProject('default')).spec).toEqual({
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    });
    await expect(argo.argocd.getProject('nope')).rejects.toMatchObject({
      constructor: NotFoundError,
      message: 'appprojects.argoproj.io "nope" not found',
    });
  });

  it('syncs, and refuses a second operation while one runs', async () => {
    seed('shop', {}, gitRepo());
    const synced = await argo.argocd.sync('shop', { revision: 'main' });
    expect(synced.operation).toBeDefined();
    await expect(argo.argocd.sync('shop')).rejects.toMatchObject({
      message: expect.stringContaining('another operation is already in progress'),
    });
    await expect(argo.argocd.sync('shop')).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('deletes an application', async () => {
    seed('shop');
    await argo.argocd.delete('shop', { cascade: false });
    await expect(argo.argocd.get('shop', { project: 'default' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('surfaces a wrong password as Unauthorized', async () => {
    const login = new HttpTransport({ upstream: 'ARGO_CD', baseUrl: argo.argocdUrl });
    const client = new HttpArgoCd(
      new HttpTransport({
        upstream: 'ARGO_CD',
        baseUrl: argo.argocdUrl,
        auth: new ArgoCdSession(login, 'admin', 'wrong'),
      }),
    );
    await expect(client.list()).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
