import { Kinds } from '../../src/core/resource-kinds';
import { application } from './support/factories';
import { makeRepo } from './support/git-repo';
import { request } from './support/raw-http';
import { startArgoCd } from './support/servers';
import { until } from './support/until';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const gatewayError = (code: number, message: string) => ({ error: message, code, message });

describe('Argo CD server API', () => {
  let server: Awaited<ReturnType<typeof startArgoCd>>;
  let repo: { url: string; sha: string };
  beforeAll(() => {
    repo = makeRepo();
  });
  beforeEach(async () => {
    server = await startArgoCd();
  });
  afterEach(async () => {
    await server.close();
  });
  const store = () => server.ctx.store;
  const seed = (name: string, overrides = {}) =>
    store().create(Kinds.Application, application(name, repo.url, overrides));

  describe('sessions and authentication', () => {
    it('issues an HS256 JWT with three parts for the admin credentials', () => {
      const parts = server.token.split('.');
      expect(parts).toHaveLength(3);
      expect(JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString())).toMatchObject({ alg: 'HS256' });
      expect(JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString())).toMatchObject({
        iss: 'argocd',
        sub: 'admin:login',
      });
    });

    it('refuses wrong credentials with 401', async () => {
      const res = await request(server.url, 'POST', '/api/v1/session', {
        body: { username: 'admin', password: 'wrong' },
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(401);
      expect(res.text).toBe(JSON.stringify(gatewayError(16, 'Invalid username or password')));
    });

    it('answers 401 "no session information" without a token, or with a bearer that is not a JWT', async () => {
      for (const headers of [
        {},
        { Authorization: 'Bearer not-a-jwt' },
        { Authorization: server.token },
      ] as Array<Record<string, string>>) {
        const res = await request(server.url, 'GET', '/api/v1/applications', { headers });
        expect(res.status).toBe(401);
        expect(res.json).toEqual(gatewayError(16, 'no session information'));
      }
    });

    it('answers 401 "invalid session: ..." for a forged token', async () => {
      const [header, payload] = server.token.split('.');
      const res = await request(server.url, 'GET', '/api/v1/applications', {
        headers: { Authorization: `Bearer ${header}.${payload}.AAAA` },
      });
      expect(res.status).toBe(401);
      expect(res.json).toEqual(
        gatewayError(16, 'invalid session: token signature is invalid: signature is invalid'),
      );
    });

    it('accepts the argocd.token cookie, also when the bearer header is ignored', async () => {
      const res = await request(server.url, 'GET', '/api/v1/applications', {
        headers: { Authorization: 'Bearer two.parts', Cookie: `argocd.token=${server.token}` },
      });
      expect(res.status).toBe(200);
    });

    it.each([
      ['POST', undefined],
      ['DELETE', undefined],
      ['POST', 'text/plain'],
      ['POST', 'application/json; charset=utf-8'],
    ])('refuses %s with Content-Type %s: 415', async (method, contentType) => {
      const res = await request(server.url, method, '/api/v1/applications/x', {
        body: method === 'POST' ? '{}' : undefined,
        headers: {
          Authorization: `Bearer ${server.token}`,
          ...(contentType === undefined ? {} : { 'Content-Type': contentType }),
        },
      });
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.text).toBe('Invalid content type\n');
    });
  });

  describe('list and get', () => {
    beforeEach(() => {
      seed('b-app');
      seed('a-app', { metadata: { labels: { team: 'red' } } });
      seed('c-app', {
        spec: {
          project: 'other',
          source: { repoURL: repo.url, path: 'x' },
          destination: { name: 'in-cluster' },
        },
      });
    });
    const names = (body: unknown) => ((body as Obj).items as Obj[]).map((a) => a.metadata.name as string);

    it('lists sorted by name with the store resourceVersion, filtered by selector, projects and name', async () => {
      const all = await server.call('GET', '/api/v1/applications');
      expect(names(all.json)).toEqual(['a-app', 'b-app', 'c-app']);
      expect((all.json as Obj).metadata).toEqual({ resourceVersion: store().resourceVersion });
      expect(Object.keys(all.json as Obj)).toEqual(['metadata', 'items']);
      expect(names((await server.call('GET', '/api/v1/applications?selector=team%3Dred')).json)).toEqual([
        'a-app',
      ]);
      expect(names((await server.call('GET', '/api/v1/applications?projects=other')).json)).toEqual([
        'c-app',
      ]);
      expect(names((await server.call('GET', '/api/v1/applications?name=b-app')).json)).toEqual(['b-app']);
      expect((await server.call('GET', '/api/v1/applications?selector=team%3Dnone')).text).toContain(
        '"items":[]',
      );
    });

    it('answers an unparsable selector with 500 Unknown', async () => {
      const res = await server.call('GET', '/api/v1/applications?selector=a%20in%20b');
      expect(res.status).toBe(500);
      expect((res.json as Obj).code).toBe(2);
    });

    it('does not leak existence: 403 without a project, 404 with one', async () => {
      expect((await server.call('GET', '/api/v1/applications/b-app')).status).toBe(200);
      const denied = await server.call('GET', '/api/v1/applications/nope');
      expect(denied.status).toBe(403);
      expect(denied.json).toEqual(gatewayError(7, 'permission denied'));
      const missing = await server.call('GET', '/api/v1/applications/nope?project=default');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual(gatewayError(5, 'applications.argoproj.io "nope" not found'));
      expect((await server.call('GET', '/api/v1/applications/c-app?project=default')).status).toBe(404);
    });

    it('with refresh, marks the app and answers once the controller has served the refresh', async () => {
      const pending = server.call('GET', '/api/v1/applications/b-app?refresh=hard');
      await until(
        () =>
          store().get(Kinds.Application, 'argocd', 'b-app')?.metadata.annotations?.[
            'argocd.argoproj.io/refresh'
          ] === 'hard',
      );
      store().mutate(Kinds.Application, 'argocd', 'b-app', (app) => {
        delete app.metadata.annotations?.['argocd.argoproj.io/refresh'];
        app.status = { reconciledAt: '2025-01-01T00:00:00Z' };
      });
      const res = await pending;
      expect(res.status).toBe(200);
      expect((res.json as Obj).status).toEqual({ reconciledAt: '2025-01-01T00:00:00Z' });
    });
  });

  describe('create', () => {
    const create = (body: unknown, query = '') => server.call('POST', `/api/v1/applications${query}`, body);

    it('validates the repository with git and defaults the project', async () => {
      const res = await create(
        {
          ...application('web', repo.url),
          spec: { ...(application('web', repo.url).spec as Obj), project: '' },
        },
        '?validate=true',
      );
      expect(res.status).toBe(200);
      expect((res.json as Obj).spec.project).toBe('default');
      const events = store().list(Kinds.Event, { namespace: 'argocd' }).items;
      expect(events.map((e) => e.reason)).toEqual(['ResourceCreated']);
    });

    it('refuses an unreachable repository unless validate=false', async () => {
      const bad = application('web', `${repo.url}-missing`);
      const res = await create(bad);
      expect(res.status).toBe(400);
      expect((res.json as Obj).message).toMatch(
        /^error while validating and normalizing app: application spec for web is invalid: InvalidSpecError: repository not accessible: /,
      );
      expect((await create(bad, '?validate=false')).status).toBe(200);
    });

    it('drops an operation sent with the app', async () => {
      const res = await create({ ...application('web', repo.url), operation: { sync: { revision: 'x' } } });
      expect((res.json as Obj).operation).toBeUndefined();
    });

    it('is idempotent for the same spec, refuses another spec without upsert, updates with it', async () => {
      const first = (await create(application('web', repo.url))).json as Obj;
      const same = await create(application('web', repo.url));
      expect((same.json as Obj).metadata.uid).toBe(first.metadata.uid);
      const changed = application('web', repo.url, { metadata: { labels: { extra: 'yes' } } });
      (changed.spec as Obj).source.targetRevision = 'v1';
      const refused = await create(changed);
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual(
        gatewayError(3, 'existing application spec is different, use upsert flag to force update'),
      );
      const upserted = await create(changed, '?upsert=true');
      expect((upserted.json as Obj).spec.source.targetRevision).toBe('v1');
      expect((upserted.json as Obj).metadata.labels).toMatchObject({
        extra: 'yes',
        'platform-api/app': 'web',
      });
    });
  });

  describe('delete', () => {
    it('cascading keeps the app until the controller removes the resources finalizer', async () => {
      seed('web');
      const res = await server.call('DELETE', '/api/v1/applications/web?cascade=true');
      expect(res.status).toBe(200);
      expect(res.text).toBe('{}');
      const app = store().mustGet(Kinds.Application, 'argocd', 'web');
      expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
      expect(app.metadata.deletionTimestamp).toEqual(expect.any(String));
    });

    it('without cascade removes the app at once; a missing app is 403', async () => {
      seed('web', { metadata: { finalizers: ['resources-finalizer.argocd.argoproj.io'] } });
      await server.call('DELETE', '/api/v1/applications/web?cascade=false');
      expect(store().get(Kinds.Application, 'argocd', 'web')).toBeUndefined();
      expect((await server.call('DELETE', '/api/v1/applications/web')).status).toBe(403);
    });
  });

  describe('sync', () => {
    it('sets the operation with the resolved revision and who started it', async () => {
      seed('web', { status: { operationState: { phase: 'Succeeded' } } });
      const res = await server.call('POST', '/api/v1/applications/web/sync', {
        revision: 'main',
        prune: true,
        dryRun: false,
        strategy: { hook: {} },
      });
      expect(res.status).toBe(200);
      const app = res.json as Obj;
      expect(app.operation).toEqual({
        sync: { revision: repo.sha, prune: true, syncStrategy: { hook: {} } },
        initiatedBy: { username: 'admin' },
      });
      expect(app.status.operationState).toBeUndefined();
      const events = store().list(Kinds.Event, { namespace: 'argocd' }).items;
      expect(events.map((e) => e.message)).toContain(`admin initiated sync to main (${repo.sha})`);
    });

    it('refuses a second operation while one is in progress', async () => {
      seed('web');
      await server.call('POST', '/api/v1/applications/web/sync', {});
      const res = await server.call('POST', '/api/v1/applications/web/sync', {});
      expect(res.status).toBe(400);
      expect(res.json).toEqual(
        gatewayError(
          9,
          'error setting app operation: rpc error: code = FailedPrecondition desc = another operation is already in progress',
        ),
      );
    });

    it('does not leak existence and fails an unresolvable revision', async () => {
      expect((await server.call('POST', '/api/v1/applications/nope/sync', {})).status).toBe(403);
      expect(
        (await server.call('POST', '/api/v1/applications/nope/sync', { project: 'default' })).status,
      ).toBe(404);
      seed('web');
      const res = await server.call('POST', '/api/v1/applications/web/sync', { revision: 'no-such-branch' });
      expect(res.status).toBe(500);
      expect((res.json as Obj).message).toBe(
        "error resolving repo revision: unable to resolve 'no-such-branch' to a commit SHA",
      );
    });

    it('terminates a running operation', async () => {
      seed('web', {
        operation: { sync: { revision: repo.sha } },
        status: { operationState: { phase: 'Running' } },
      });
      expect((await server.call('DELETE', '/api/v1/applications/web/operation')).text).toBe('{}');
      expect((store().mustGet(Kinds.Application, 'argocd', 'web').status as Obj).operationState.phase).toBe(
        'Terminating',
      );
    });
  });
});
