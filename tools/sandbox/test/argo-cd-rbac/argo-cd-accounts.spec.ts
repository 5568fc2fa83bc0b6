import { argoCdHandler } from '../../src/argo-cd/server/argo-cd.server';
import { base64Values, bcryptHash } from '../../src/argo-cd/server/argocd-settings';
import { createContext } from '../../src/core/create-context';
import { Kinds, type ResourceKind } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { seedPlatformArgoCdAccounts } from '../../src/platform/platform-argocd-accounts';
import { serve } from '../../src/testing/serve';
import { appProject, application } from '../argo-api/support/factories';
import { makeRepo } from '../argo-api/support/git-repo';
import { request, type HttpResult } from '../argo-api/support/raw-http';
import { StreamReader } from '../argo-api/support/stream-reader';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const error = (code: number, message: string) => ({ error: message, code, message });

/** The Argo CD API with the platform's accounts and RBAC, configured in argocd-cm/-secret/-rbac-cm. */
describe('Argo CD accounts and RBAC', () => {
  let ctx: SandboxContext;
  let server: { url: string; close(): Promise<void> };
  let REPO: string;
  beforeAll(() => {
    REPO = makeRepo().url;
  });

  beforeEach(async () => {
    ctx = createContext({ keepaliveMs: 600_000 });
    server = await serve(argoCdHandler(ctx));
    ctx.urls.argocd = server.url;
    seedPlatformArgoCdAccounts(ctx);
    for (const team of ['payments', 'content']) ctx.store.create(Kinds.AppProject, appProject(team));
    ctx.store.create(Kinds.Application, application('shop', REPO));
    const blog = application('blog', REPO);
    ctx.store.create(Kinds.Application, { ...blog, spec: { ...(blog.spec as object), project: 'content' } });
  });
  afterEach(() => server.close());

  const login = async (username: string, password: string): Promise<HttpResult> =>
    request(server.url, 'POST', '/api/v1/session', { body: { username, password }, headers: JSON_TYPE });
  const tokenOf = async (username: string, password: string): Promise<string> => {
    const res = await login(username, password);
    expect(res.status).toBe(200);
    return (res.json as { token: string }).token;
  };
  const as = (token: string, method: string, path: string, body?: unknown) =>
    request(server.url, method, path, {
      body,
      headers: { Authorization: `Bearer ${token}`, ...(method === 'GET' ? {} : JSON_TYPE) },
    });
  const services = () => tokenOf(ctx.config.argocdServices.username, ctx.config.argocdServices.password);
  const workflows = () => tokenOf(ctx.config.argocdWorkflows.username, ctx.config.argocdWorkflows.password);
  const iatOf = (token: string): string => {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      iat: number;
    };
    return new Date(payload.iat * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  };
  const patchData = (kind: ResourceKind, name: string, data: Record<string, string>) =>
    ctx.store.mutate(kind, 'argocd', name, (o) => {
      o.data = { ...(o.data as Record<string, string>), ...data };
    });

  describe('login', () => {
    it('signs a session for a local account with its own password, subject <account>:login', async () => {
      const token = await services();
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      expect(payload).toMatchObject({ iss: 'argocd', sub: 'platform-api:login' });
      expect(typeof payload.jti).toBe('string');
      const info = await as(token, 'GET', '/api/v1/session/userinfo');
      expect(info.json).toEqual({ loggedIn: true, username: 'platform-api', iss: 'argocd' });
    });

    it("refuses another account's password, an unknown account and blank credentials as Argo CD words it", async () => {
      for (const [username, password] of [
        ['platform-api', ctx.config.argocdWorkflows.password],
        ['admin', ctx.config.argocdServices.password],
        ['nobody', 'x'],
      ]) {
        const res = await login(username ?? '', password ?? '');
        expect({ status: res.status, body: res.json }).toEqual({
          status: 401,
          body: error(16, 'Invalid username or password'),
        });
      }
      expect((await login('platform-api', '')).json).toEqual(error(16, 'no credentials supplied'));
      expect((await login('', 'x')).json).toEqual(error(16, 'no credentials supplied'));
      expect((await login('x'.repeat(33), 'x')).json).toEqual(
        error(3, 'Username is too long (32 bytes max)'),
      );
    });

    it('refuses a disabled account and one without the login capability', async () => {
      patchData(Kinds.ConfigMap, 'argocd-cm', {
        'accounts.platform-api.enabled': 'false',
        'accounts.ci': 'apiKey',
      });
      patchData(
        Kinds.Secret,
        'argocd-secret',
        base64Values({ 'accounts.ci.password': bcryptHash('ci-pass') }),
      );
      expect((await login('platform-api', ctx.config.argocdServices.password)).json).toEqual(
        error(16, 'Account platform-api is disabled'),
      );
      expect((await login('ci', 'ci-pass')).json).toEqual(
        error(16, 'Account ci does not have login capability'),
      );
    });

    it('voids the sessions of an account once it is disabled', async () => {
      const token = await services();
      expect((await as(token, 'GET', '/api/v1/applications')).status).toBe(200);
      patchData(Kinds.ConfigMap, 'argocd-cm', { 'accounts.platform-api.enabled': 'false' });
      const res = await as(token, 'GET', '/api/v1/applications');
      expect({ status: res.status, body: res.json }).toEqual({
        status: 401,
        body: error(16, 'invalid session: account platform-api is disabled'),
      });
    });
  });

  describe("the services' read-only account", () => {
    it('reads applications but may not sync, create or delete them, with the exact refusals', async () => {
      const token = await services();
      expect((await as(token, 'GET', '/api/v1/applications/shop')).status).toBe(200);
      const sync = await as(token, 'POST', '/api/v1/applications/shop/sync', {});
      expect({ status: sync.status, body: sync.json }).toEqual({
        status: 403,
        body: error(
          7,
          `permission denied: applications, sync, default/shop, sub: platform-api, iat: ${iatOf(token)}`,
        ),
      });
      const create = await as(token, 'POST', '/api/v1/applications', application('new', REPO));
      expect(create.json).toEqual(
        error(
          7,
          `permission denied: applications, create, default/new, sub: platform-api, iat: ${iatOf(token)}`,
        ),
      );
      const remove = await as(token, 'DELETE', '/api/v1/applications/shop');
      expect(remove.json).toEqual(
        error(
          7,
          `permission denied: applications, delete, default/shop, sub: platform-api, iat: ${iatOf(token)}`,
        ),
      );
    });
  });

  describe("the workflows' account", () => {
    const teamApp = (name: string, targetRevision = 'main') => {
      const app = application(name, REPO);
      const spec = app.spec as { source: Record<string, unknown> };
      return { ...app, spec: { ...spec, project: 'payments', source: { ...spec.source, targetRevision } } };
    };

    it("creates, syncs and deletes applications in a team's project", async () => {
      const token = await workflows();
      const created = await as(token, 'POST', '/api/v1/applications?validate=false', teamApp('new'));
      expect(created.status).toBe(200);
      expect((await as(token, 'POST', '/api/v1/applications/new/sync', {})).status).toBe(200);
      expect(ctx.store.get(Kinds.Application, 'argocd', 'new')?.operation).toMatchObject({
        initiatedBy: { username: 'platform-workflows' },
      });
      // A failed first deploy removes the Application it provisioned; retiring an app removes all.
      expect((await as(token, 'DELETE', '/api/v1/applications/new')).status).toBe(200);
    });

    it('may not act in the default project, which permits everything: the deny wins', async () => {
      const token = await workflows();
      const created = await as(
        token,
        'POST',
        '/api/v1/applications?validate=false',
        application('new', REPO),
      );
      expect(created.json).toEqual(
        error(
          7,
          `permission denied: applications, create, default/new, sub: platform-workflows, iat: ${iatOf(token)}`,
        ),
      );
      const sync = await as(token, 'POST', '/api/v1/applications/shop/sync', {});
      expect(sync.json).toEqual(error(7, 'permission denied'));
      const deleted = await as(token, 'DELETE', '/api/v1/applications/shop');
      expect(deleted.json).toEqual(error(7, 'permission denied'));
    });

    it('may not update an application: an upsert of a changed one is refused', async () => {
      const token = await workflows();
      expect((await as(token, 'POST', '/api/v1/applications?validate=false', teamApp('new'))).status).toBe(
        200,
      );
      const changed = teamApp('new', 'other');
      const upsert = await as(token, 'POST', '/api/v1/applications?upsert=true&validate=false', changed);
      expect(upsert.json).toEqual(
        error(
          7,
          `permission denied: applications, update, payments/new, sub: platform-workflows, iat: ${iatOf(token)}`,
        ),
      );
    });
  });

  describe('a policy limited to one project', () => {
    beforeEach(() => {
      patchData(Kinds.ConfigMap, 'argocd-rbac-cm', {
        'policy.csv':
          'p, role:shop-reader, applications, get, default/*, allow\ng, platform-api, role:shop-reader\n',
      });
    });

    it('lists and watches only the apps the account may get', async () => {
      const token = await services();
      const list = await as(token, 'GET', '/api/v1/applications');
      expect(
        (list.json as { items: Array<{ metadata: { name: string } }> }).items.map((a) => a.metadata.name),
      ).toEqual(['shop']);
      const reader = StreamReader.start(server.url, '/api/v1/stream/applications', {
        Authorization: `Bearer ${token}`,
        Accept: 'text/event-stream',
      });
      try {
        await reader.waitForMessages(1);
        ctx.store.mutate(
          Kinds.Application,
          'argocd',
          'blog',
          (a) => (a.status = { sync: { status: 'OutOfSync' } }),
        );
        ctx.store.mutate(
          Kinds.Application,
          'argocd',
          'shop',
          (a) => (a.status = { sync: { status: 'OutOfSync' } }),
        );
        const messages = (await reader.waitForMessages(2)) as Array<{
          result: { type: string; application: { metadata: { name: string } } };
        }>;
        expect(messages.map((m) => `${m.result.type}:${m.result.application.metadata.name}`)).toEqual([
          'ADDED:shop',
          'MODIFIED:shop',
        ]);
      } finally {
        reader.close();
      }
    });

    it('does not leak whether a forbidden app exists: 403 without a project, 404 with one', async () => {
      const token = await services();
      for (const path of ['/api/v1/applications/blog', '/api/v1/applications/missing']) {
        expect((await as(token, 'GET', path)).json).toEqual(error(7, 'permission denied'));
      }
      expect((await as(token, 'GET', '/api/v1/applications/blog?project=content')).json).toEqual(
        error(7, 'permission denied'),
      );
      expect((await as(token, 'GET', '/api/v1/applications/missing?project=default')).status).toBe(404);
      for (const path of ['/resource-tree', '/events']) {
        expect((await as(token, 'GET', `/api/v1/applications/blog${path}`)).status).toBe(403);
      }
    });

    it('applies a policy change at once, and a malformed policy fails every check', async () => {
      const token = await services();
      patchData(Kinds.ConfigMap, 'argocd-rbac-cm', { 'policy.csv': 'g, platform-api, role:readonly\n' });
      expect((await as(token, 'GET', '/api/v1/applications/blog')).status).toBe(200);
      patchData(Kinds.ConfigMap, 'argocd-rbac-cm', { 'policy.csv': 'p, platform-api, applications\n' });
      const res = await as(token, 'GET', '/api/v1/applications/blog');
      expect(res.json).toEqual(
        error(
          13,
          'error creating casbin enforcer: error loading policy line: invalid RBAC policy: p, platform-api, applications',
        ),
      );
    });
  });
});
