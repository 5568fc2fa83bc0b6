import { gitStore } from '../../src/git';
import { call, startGitServer, TOKEN_AUTH, type GitTestServer } from './git-test-server';
import { swaggerProblems } from './gitea-swagger-schemas';

describe('the sandbox git server: PATCH /repos/{owner}/{repo} (rename, archive) and redirects', () => {
  let git: GitTestServer;
  const api = (path: string) => `${git.url}/api/v1${path}`;
  const apiError = (message: string) => ({ message, url: `${git.url}/api/swagger` });
  const create = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await call(api('/orgs/payments/repos'), 'POST', TOKEN_AUTH, { name, ...extra });
    expect(res.status).toBe(201);
    return res.json() as { id: number };
  };
  const noFollow = (url: string, method = 'GET', headers: Record<string, string> = TOKEN_AUTH) =>
    fetch(url, { method, headers, redirect: 'manual' });

  beforeAll(async () => {
    git = await startGitServer();
  });
  afterAll(() => git.close());

  it('renames and archives a repository: 200 and the Repository under its new name', async () => {
    const { id } = await create('shop', { private: true });
    const res = await call(api('/repos/payments/shop'), 'PATCH', TOKEN_AUTH, {
      name: 'shop-retired-20261206-194500',
      archived: true,
    });
    expect(res.status).toBe(200);
    const repo = res.json() as Record<string, unknown>;
    expect(swaggerProblems('Repository', repo)).toEqual([]);
    expect(repo).toMatchObject({
      id,
      name: 'shop-retired-20261206-194500',
      full_name: 'payments/shop-retired-20261206-194500',
      archived: true,
      private: true,
      clone_url: `${git.url}/payments/shop-retired-20261206-194500.git`,
      permissions: { admin: true, push: true, pull: true },
    });
    expect(repo.archived_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(repo.archived_at).not.toBe('1970-01-01T00:00:00Z');

    const listed = await call(api('/orgs/payments/repos'), 'GET', TOKEN_AUTH);
    expect((listed.json() as { name: string }[]).map((r) => r.name)).toContain(
      'shop-retired-20261206-194500',
    );
  });

  it('redirects API calls under the old name: 301 to the path with the new name, query kept', async () => {
    await create('cart');
    expect((await call(api('/repos/payments/cart'), 'PATCH', TOKEN_AUTH, { name: 'basket' })).status).toBe(
      200,
    );
    const res = await noFollow(api('/repos/payments/cart/commits?limit=1&page=2'));
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/api/v1/repos/payments/basket/commits?limit=1&page=2');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe(
      '<a href="/api/v1/repos/payments/basket/commits?limit=1&amp;page=2">Moved Permanently</a>.\n\n',
    );
    // Anyone gets it, before permissions (payments is private) and for any method.
    const anonymous = await noFollow(api('/repos/payments/CART'), 'DELETE', {});
    expect(anonymous.status).toBe(301);
    expect(anonymous.headers.get('location')).toBe('/api/v1/repos/payments/basket');
    expect(await anonymous.text()).toBe('');
    // fetch follows it.
    const followed = await call(api('/repos/payments/cart'), 'GET', TOKEN_AUTH);
    expect(followed.status).toBe(200);
    expect(followed.json()).toMatchObject({ name: 'basket', archived: false });
  });

  it('creates a repository under a name that redirects, and the redirect is gone', async () => {
    await create('orders');
    await call(api('/repos/payments/orders'), 'PATCH', TOKEN_AUTH, { name: 'orders-old', archived: true });
    const again = await call(api('/orgs/payments/repos'), 'POST', TOKEN_AUTH, { name: 'Orders' });
    expect(again.status).toBe(201);
    const res = await noFollow(api('/repos/payments/orders'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'Orders', archived: false });
    const old = await call(api('/repos/payments/orders-old'), 'GET', TOKEN_AUTH);
    expect(old.json()).toMatchObject({ name: 'orders-old', archived: true });
  });

  it('renames back to a name that redirects to the repository itself, and the new old name redirects', async () => {
    await create('billing');
    await call(api('/repos/payments/billing'), 'PATCH', TOKEN_AUTH, { name: 'invoices' });
    const back = await call(api('/repos/payments/invoices'), 'PATCH', TOKEN_AUTH, { name: 'billing' });
    expect(back.status).toBe(200);
    expect((await noFollow(api('/repos/payments/billing'))).status).toBe(200);
    const res = await noFollow(api('/repos/payments/invoices'));
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/api/v1/repos/payments/billing');
  });

  it('un-archives: archived false and archived_at back to the epoch', async () => {
    await create('ledger');
    await call(api('/repos/payments/ledger'), 'PATCH', TOKEN_AUTH, { archived: true });
    const res = await call(api('/repos/payments/ledger'), 'PATCH', TOKEN_AUTH, { archived: false });
    expect(res.json()).toMatchObject({ archived: false, archived_at: '1970-01-01T00:00:00Z' });
  });

  it('changes description, website, private and template, and a change of case only renames', async () => {
    await create('fees');
    const res = await call(api('/repos/payments/fees'), 'PATCH', TOKEN_AUTH, {
      name: 'Fees',
      description: 'gone',
      website: 'https://example.com',
      private: true,
      template: true,
      has_wiki: false,
      internal_tracker: { enable_time_tracker: false },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Fees',
      description: 'gone',
      website: 'https://example.com',
      private: true,
      template: true,
    });
    expect((await noFollow(api('/repos/payments/fees'))).status).toBe(200);
  });

  let fresh = 0;
  it.each([
    [{ name: 'basket' }, 'repository already exists [uname: payments, name: basket]'],
    [{ name: 'BASKET' }, 'repository already exists [uname: payments, name: basket]'],
    [
      { name: 'a..b' },
      'ChangeRepositoryName: name is invalid [a..b]: must be valid alpha or numeric or dash(-_) or dot characters',
    ],
    [
      { name: '' },
      'ChangeRepositoryName: name is invalid []: must be valid alpha or numeric or dash(-_) or dot characters',
    ],
    [{ name: 'X.git' }, 'name pattern is not allowed [pattern: *.git]'],
    [{ name: '-' }, 'name is reserved [name: -]'],
    [{ name: 'a b' }, '[Name]: AlphaDashDot'],
    [{ name: 'x'.repeat(101) }, '[Name]: MaxSize'],
    [{ projects_mode: 'none' }, '[ProjectsMode]: In'],
    [
      { archived: 'yes' },
      '[]: json: cannot unmarshal string into Go struct field EditRepoOption.archived of type bool',
    ],
    [
      { external_wiki: 'https://wiki' },
      '[]: json: cannot unmarshal string into Go struct field EditRepoOption.external_wiki of type structs.ExternalWiki',
    ],
  ])('answers 422 to %j, and changes nothing', async (body, message) => {
    const name = `edit-${(fresh += 1)}`;
    await create(name);
    const res = await call(api(`/repos/payments/${name}`), 'PATCH', TOKEN_AUTH, { archived: true, ...body });
    expect(res.status).toBe(422);
    expect(res.json()).toEqual(apiError(message));
    const after = await call(api(`/repos/payments/${name}`), 'GET', TOKEN_AUTH);
    expect(after.json()).toMatchObject({ name, archived: false });
  });

  it('answers 404 for a repository that never existed, 401 without a token, 403 to a reader', async () => {
    expect(
      (await call(api('/repos/payments/nothing'), 'PATCH', TOKEN_AUTH, { archived: true })).json(),
    ).toEqual({
      ...apiError('not found'),
      errors: null,
    });
    // platform-templates is public: anyone may see its repositories, only its owners edit them.
    await gitStore(git.ctx).repos.create({ owner: 'platform-templates', name: 'starter' });
    const anonymous = await call(api('/repos/platform-templates/starter'), 'PATCH', {}, { archived: true });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toEqual(apiError('token is required'));
    const reader = await call(api('/repos/platform-templates/starter'), 'PATCH', TOKEN_AUTH, { name: 'a b' });
    expect(reader.status).toBe(403);
    expect(reader.json()).toEqual(
      apiError('user should be an owner or a collaborator with admin write of a repository'),
    );
  });

  it('forgets the redirects of a deleted repository', async () => {
    await create('refunds');
    await call(api('/repos/payments/refunds'), 'PATCH', TOKEN_AUTH, { name: 'refunds-2' });
    // Only an owner deletes (the platform user is an admin of what it created): by the store here.
    gitStore(git.ctx).repos.delete('payments', 'refunds-2');
    expect((await noFollow(api('/repos/payments/refunds'))).status).toBe(404);
  });
});
