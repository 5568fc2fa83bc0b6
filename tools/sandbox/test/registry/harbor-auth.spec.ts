import { createHash } from 'node:crypto';
import type { RobotAccount } from '../../src/registry/harbor-accounts';
import { basicAuth, fetchToken, startRegistry, type RegistryUnderTest } from './registry-test-kit';

const sha = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const errors = (code: string, message: string): unknown => ({ errors: [{ code, message }] });
const twice = (text: string): string => `${text}: ${text}`;

/**
 * Harbor in front of the registry (goharbor/harbor src/server/middleware/v2auth, src/core/service/
 * token): challenges, the token service, robot accounts confined to their projects, and Harbor's
 * own answers, byte for byte.
 */
describe('sandbox registry with Harbor auth', () => {
  let registry: RegistryUnderTest;
  let payments: RobotAccount;
  let content: RobotAccount;
  let reader: RobotAccount;

  beforeAll(async () => {
    registry = await startRegistry();
    const { accounts } = registry.ctx.registry;
    accounts.createProject('payments');
    accounts.createProject('content');
    accounts.createProject('library', { public: true });
    payments = accounts.createRobot({ name: 'ci', project: 'payments', actions: ['pull', 'push'] });
    content = accounts.createRobot({ name: 'ci', project: 'content', actions: ['pull', 'push'] });
    reader = accounts.createRobot({ name: 'platform-api', actions: ['pull'], namespaces: ['*'] });
    registry.ctx.registry.push('registry.sandbox.local/payments/shop', 'v1', 'shop v1');
    registry.ctx.registry.push('registry.sandbox.local/library/base', '1.0', 'base 1.0');
  });
  afterAll(() => registry.close());

  const realm = (): string => `${registry.url}/service/token`;
  const login = (robot: RobotAccount): { username: string; password: string } => ({
    username: robot.name,
    password: robot.secret,
  });
  const bearer = async (scope: string, robot?: RobotAccount): Promise<string> => {
    const answer = await fetchToken(registry.url, scope, robot === undefined ? undefined : login(robot));
    return `Bearer ${answer.token ?? ''}`;
  };

  it('challenges a client without credentials at /v2/ to get a token', async () => {
    const res = await fetch(`${registry.url}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${realm()}",service="harbor-registry"`);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe(`${JSON.stringify(errors('UNAUTHORIZED', twice('unauthorized')))}\n`);
  });

  it('answers /v2/ once the client has a token of a robot, and a robot with basic auth directly', async () => {
    const withToken = await fetch(`${registry.url}/v2/`, {
      headers: { authorization: await bearer('repository:payments/shop:pull', payments) },
    });
    expect({ status: withToken.status, body: await withToken.text() }).toEqual({ status: 200, body: '{}' });
    const withBasic = await fetch(`${registry.url}/v2/`, {
      headers: { authorization: basicAuth(payments.name, payments.secret) },
    });
    expect(withBasic.status).toBe(200);
  });

  it('issues tokens as Harbor does: its JSON, every action the robot has, 401 for a bare anonymous login', async () => {
    const answer = await fetchToken(registry.url, 'repository:payments/shop:pull', login(payments));
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['token', 'access_token', 'expires_in', 'issued_at']);
    expect(body).toMatchObject({ access_token: '', expires_in: 1800 });
    expect(body.issued_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const claims = JSON.parse(
      Buffer.from(String(body.token).split('.')[1] ?? '', 'base64url').toString(),
    ) as {
      sub: string;
      access: unknown;
    };
    expect(claims.sub).toBe('robot$payments+ci');
    // Asked for pull only, granted everything the robot may do there (Harbor's repositoryFilter).
    expect(claims.access).toEqual([{ type: 'repository', name: 'payments/shop', actions: ['pull', 'push'] }]);

    expect(await fetchToken(registry.url, undefined)).toEqual({ status: 401, token: undefined, body: '' });
    expect(
      await fetchToken(registry.url, undefined, { username: payments.name, password: 'wrong' }),
    ).toMatchObject({
      status: 401,
    });
    const bad = await fetch(`${registry.url}/service/token?service=docker-hub`);
    expect({ status: bad.status, body: await bad.text() }).toEqual({
      status: 400,
      body: 'Unable to handle service: docker-hub',
    });
  });

  it("lets a robot push and pull in its own project, and refuses it in another team's", async () => {
    const own = await fetch(`${registry.url}/v2/payments/api/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: await bearer('repository:payments/api:push,pull', payments) },
    });
    expect(own.status).toBe(202);

    const theirs = await fetch(`${registry.url}/v2/payments/api/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: await bearer('repository:payments/api:push,pull', content) },
    });
    expect(theirs.status).toBe(401);
    expect(theirs.headers.get('www-authenticate')).toBe('Basic realm="harbor"');
    expect(await theirs.json()).toEqual(
      errors('UNAUTHORIZED', twice('unauthorized to access repository: payments/api, action: push')),
    );
    const asBasic = await fetch(`${registry.url}/v2/payments/shop/manifests/v1`, {
      method: 'HEAD',
      headers: { authorization: basicAuth(content.name, content.secret) },
    });
    expect(asBasic.status).toBe(401);
  });

  it('sends a CLI without credentials to the token service even for a HEAD, naming the scope', async () => {
    const res = await fetch(`${registry.url}/v2/payments/shop/manifests/v1`, { method: 'HEAD' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="${realm()}",service="harbor-registry",scope="repository:payments/shop:pull"`,
    );
    const push = await fetch(`${registry.url}/v2/payments/shop/blobs/uploads/`, { method: 'POST' });
    expect(push.headers.get('www-authenticate')).toBe(
      `Bearer realm="${realm()}",service="harbor-registry",scope="repository:payments/shop:pull,push"`,
    );
    expect(await push.json()).toEqual(
      errors('UNAUTHORIZED', twice('unauthorized to access repository: payments/shop, action: push')),
    );
  });

  it('gives a wrong secret an anonymous token: nothing in private projects, pull in public ones', async () => {
    const wrong = { ...payments, secret: 'not-the-secret' };
    const refused = await fetch(`${registry.url}/v2/payments/shop/manifests/v1`, {
      method: 'HEAD',
      headers: { authorization: await bearer('repository:payments/shop:pull', wrong) },
    });
    expect(refused.status).toBe(401);
    const anonymousPublic = await fetch(`${registry.url}/v2/library/base/manifests/1.0`, {
      method: 'HEAD',
      headers: {
        authorization: await bearer('repository:library/base:pull'),
        accept: 'application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    expect(anonymousPublic.status).toBe(200);
    const anonymousPush = await fetch(`${registry.url}/v2/library/base/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: await bearer('repository:library/base:push,pull') },
    });
    expect(anonymousPush.status).toBe(401);
  });

  it('lets the read-only system robot pull in every project and push in none', async () => {
    const accept = 'application/vnd.docker.distribution.manifest.v2+json';
    const head = await fetch(`${registry.url}/v2/payments/shop/manifests/v1`, {
      method: 'HEAD',
      headers: { authorization: await bearer('repository:payments/shop:pull', reader), accept },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('docker-content-digest')).toBe(
      registry.ctx.registry.find('registry.sandbox.local/payments/shop:v1')?.digest,
    );
    const push = await fetch(`${registry.url}/v2/payments/shop/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: await bearer('repository:payments/shop:push,pull', reader) },
    });
    expect(push.status).toBe(401);
  });

  it("refuses a project that does not exist without a challenge, with Harbor's message", async () => {
    const res = await fetch(`${registry.url}/v2/nope/app/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: basicAuth(payments.name, payments.secret) },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('');
    expect(await res.json()).toEqual(errors('UNAUTHORIZED', twice('project nope not found')));
  });

  it("answers manifest lookups with Harbor's NOT_FOUND wording", async () => {
    const auth = {
      authorization: basicAuth(reader.name, reader.secret),
      accept: 'application/vnd.docker.distribution.manifest.v2+json',
    };
    const get = async (path: string): Promise<unknown> => {
      const res = await fetch(`${registry.url}${path}`, { headers: auth });
      return { status: res.status, body: await res.json() };
    };
    expect(await get('/v2/payments/none/manifests/v1')).toEqual({
      status: 404,
      body: errors('NOT_FOUND', 'repository payments/none not found'),
    });
    expect(await get('/v2/payments/shop/manifests/v9')).toEqual({
      status: 404,
      body: errors('NOT_FOUND', 'artifact payments/shop:v9 not found'),
    });
    const digest = sha(Buffer.from('nothing'));
    expect(await get(`/v2/payments/shop/manifests/${digest}`)).toEqual({
      status: 404,
      body: errors('NOT_FOUND', `artifact payments/shop@${digest} not found`),
    });
  });

  it('pages tags with n and last and a relative Link, as Harbor does', async () => {
    registry.ctx.registry.push('registry.sandbox.local/payments/shop', 'v2', 'shop v2');
    registry.ctx.registry.push('registry.sandbox.local/payments/shop', 'v3', 'shop v3');
    const auth = { authorization: basicAuth(reader.name, reader.secret) };
    const first = await fetch(`${registry.url}/v2/payments/shop/tags/list?n=2`, { headers: auth });
    expect(first.headers.get('link')).toBe('</v2/payments/shop/tags/list?last=v2&n=2>; rel="next"');
    expect(await first.json()).toEqual({ name: 'payments/shop', tags: ['v1', 'v2'] });
    const rest = await fetch(`${registry.url}/v2/payments/shop/tags/list?n=2&last=v2`, { headers: auth });
    expect(rest.headers.get('link')).toBeNull();
    expect(await rest.json()).toEqual({ name: 'payments/shop', tags: ['v3'] });
    const bad = await fetch(`${registry.url}/v2/payments/shop/tags/list?n=-1`, { headers: auth });
    expect({ status: bad.status, body: await bad.json() }).toEqual({
      status: 400,
      body: errors('BAD_REQUEST', 'the N must be a positive int type'),
    });
  });

  it('lists the catalog for the admin only', async () => {
    const robot = await fetch(`${registry.url}/v2/_catalog`, {
      headers: { authorization: basicAuth(reader.name, reader.secret) },
    });
    expect(robot.status).toBe(401);
    expect(robot.headers.get('www-authenticate')).toBe('Basic realm="harbor"');
    expect(await robot.json()).toEqual(errors('UNAUTHORIZED', twice('unauthorized to list catalog')));
    const admin = await fetch(`${registry.url}/v2/_catalog`, {
      headers: { authorization: basicAuth('admin', 'Harbor12345') },
    });
    expect(await admin.json()).toEqual({ repositories: ['library/base', 'payments/shop'] });
  });

  it("onboards a team through Harbor's API as its admin; robots and strangers may not", async () => {
    const api = (path: string, body: unknown, authorization?: string): Promise<Response> =>
      fetch(`${registry.url}/api/v2.0${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        body: JSON.stringify(body),
      });
    const admin = basicAuth('admin', 'Harbor12345');
    const project = await api('/projects', { project_name: 'search', metadata: { public: 'false' } }, admin);
    expect(project.status).toBe(201);
    expect(project.headers.get('location')).toBe('/api/v2.0/projects/search');
    const again = await api('/projects', { project_name: 'search' }, admin);
    expect({ status: again.status, body: await again.json() }).toEqual({
      status: 409,
      body: errors('CONFLICT', 'The project named search already exists'),
    });
    const robot = await api(
      '/robots',
      {
        name: 'ci',
        level: 'project',
        duration: -1,
        permissions: [
          {
            kind: 'project',
            namespace: 'search',
            access: [
              { resource: 'repository', action: 'pull' },
              { resource: 'repository', action: 'push' },
            ],
          },
        ],
      },
      admin,
    );
    expect(robot.status).toBe(201);
    const created = (await robot.json()) as { name: string; secret: string };
    expect(created.name).toBe('robot$search+ci');
    const token = await fetchToken(registry.url, 'repository:search/app:push,pull', {
      username: created.name,
      password: created.secret,
    });
    const claims = JSON.parse(Buffer.from(token.token?.split('.')[1] ?? '', 'base64url').toString()) as {
      access: Array<{ actions: string[] }>;
    };
    expect(claims.access[0]?.actions).toEqual(['pull', 'push']);
    expect((await api('/projects', { project_name: 'x' })).status).toBe(401);
    expect(
      (await api('/projects', { project_name: 'x' }, basicAuth(payments.name, payments.secret))).status,
    ).toBe(403);
  });
});
