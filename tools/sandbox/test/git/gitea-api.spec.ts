import { gitStore, GITEA_VERSION } from '../../src/git';
import { basic, call, LOGIN, startGitServer, TOKEN_AUTH, type GitTestServer } from './git-test-server';
import { swaggerProblems } from './gitea-swagger-schemas';

describe('the sandbox git server: Gitea API v1', () => {
  let git: GitTestServer;
  const api = (path: string) => `${git.url}/api/v1${path}`;
  const apiError = (message: string) => ({ message, url: `${git.url}/api/swagger` });

  beforeAll(async () => {
    git = await startGitServer();
  });
  afterAll(() => git.close());

  it('answers GET /version to anyone, as ServerVersion', async () => {
    const res = await call(api('/version'), 'GET');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(res.json()).toEqual({ version: GITEA_VERSION });
    expect(swaggerProblems('ServerVersion', res.json())).toEqual([]);
  });

  it.each([
    ['token <t>', { authorization: `token ${LOGIN.token}` }],
    ['Bearer <t>', { authorization: `Bearer ${LOGIN.token}` }],
    ['basic user + password', { authorization: basic(LOGIN.username, LOGIN.password) }],
    ['basic any user + token', { authorization: basic('whoever', LOGIN.token) }],
    ['basic token as user, no password', { authorization: basic(LOGIN.token, '') }],
    ['basic token as user, x-oauth-basic', { authorization: basic(LOGIN.token, 'x-oauth-basic') }],
  ])('signs in with %s (GET /user)', async (_how, headers) => {
    const res = await call(api('/user'), 'GET', headers);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ id: 2, login: LOGIN.username, is_admin: false });
    expect(swaggerProblems('User', res.json())).toEqual([]);
  });

  it.each([
    ['a wrong token', { authorization: 'token nope' }, 'invalid username, password or token'],
    [
      'a wrong password',
      { authorization: basic(LOGIN.username, 'nope') },
      'invalid username, password or token',
    ],
    ['no credentials', {}, 'token is required'],
    ['a header that does not parse (anonymous)', { authorization: 'Basic' }, 'token is required'],
  ])('answers 401 to %s', async (_how, headers, message) => {
    const res = await call(api('/user'), 'GET', headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(res.json()).toEqual(apiError(message));
  });

  describe('POST /orgs/{org}/repos', () => {
    it('creates a private repository: 201 and a Repository, cloned from <base>/<org>/<repo>.git', async () => {
      const res = await call(api('/orgs/payments/repos'), 'POST', TOKEN_AUTH, {
        name: 'shop',
        private: true,
        default_branch: 'main',
        description: 'the shop',
      });
      expect(res.status).toBe(201);
      const repo = res.json();
      expect(swaggerProblems('Repository', repo)).toEqual([]);
      expect(repo).toMatchObject({
        name: 'shop',
        full_name: 'payments/shop',
        owner: { login: 'payments' },
        description: 'the shop',
        private: true,
        empty: true,
        default_branch: 'main',
        clone_url: `${git.url}/payments/shop.git`,
        html_url: `${git.url}/payments/shop`,
        url: `${git.url}/api/v1/repos/payments/shop`,
        permissions: { admin: true, push: true, pull: true },
      });
    });

    it.each(['shop', 'SHOP'])('answers 409 when %s exists (names are case-insensitive)', async (name) => {
      const res = await call(api('/orgs/payments/repos'), 'POST', TOKEN_AUTH, { name });
      expect(res.status).toBe(409);
      expect(res.json()).toEqual(apiError('The repository with the same name already exists.'));
    });

    it('answers 404 for an organization that does not exist, signed in or not', async () => {
      const notFound = {
        ...apiError('GetOrgByName'),
        errors: ['user redirect does not exist [name: nope]'],
      };
      for (const headers of [TOKEN_AUTH, {}]) {
        const res = await call(api('/orgs/nope/repos'), 'POST', headers, { name: 'x' });
        expect(res.status).toBe(404);
        expect(res.json()).toEqual(notFound);
      }
    });

    it('answers 401 without credentials once the organization exists', async () => {
      const res = await call(api('/orgs/payments/repos'), 'POST', {}, { name: 'anon' });
      expect(res.status).toBe(401);
      expect(res.json()).toEqual(apiError('token is required'));
    });

    it.each([
      [{ name: 'bad name' }, 422, '[Name]: AlphaDashDot'],
      [{ description: 'no name' }, 422, '[Name]: Required'],
      [{ name: 'x'.repeat(101) }, 422, '[Name]: MaxSize'],
      [{ name: 'ok', default_branch: 'bad..branch' }, 422, '[DefaultBranch]: GitRefName'],
      [
        { name: 'ok', private: 'yes' },
        422,
        '[]: json: cannot unmarshal string into Go struct field CreateRepoOption.private of type bool',
      ],
      [{ name: 'app.git' }, 422, 'name pattern is not allowed [pattern: *.git]'],
      [{ name: '-' }, 422, 'name is reserved [name: -]'],
      [
        { name: 'ok', auto_init: true, readme: 'Fancy' },
        400,
        'readme template does not exist, available templates: [Default]',
      ],
      // The binding lets `a..b` through and the model refuses it with an error the API does not
      // map: a production Gitea answers 500 with an empty message.
      [{ name: 'a..b' }, 500, ''],
    ])('refuses %j with %i', async (body, status, message) => {
      const res = await call(api('/orgs/payments/repos'), 'POST', TOKEN_AUTH, body);
      expect(res.status).toBe(status);
      expect(res.json()).toEqual(apiError(message));
    });

    it('binds the body by its Content-Type: form fields like curl -d, none at all refused', async () => {
      const form = await fetch(api('/orgs/payments/repos'), {
        method: 'POST',
        headers: { ...TOKEN_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=from-form&private=true',
      });
      expect(form.status).toBe(201);
      expect(await form.json()).toMatchObject({ name: 'from-form', private: true });
      const bare = await fetch(api('/orgs/payments/repos'), {
        method: 'POST',
        headers: TOKEN_AUTH,
        body: JSON.stringify({ name: 'no-type' }),
      });
      expect(bare.status).toBe(422);
      expect(await bare.json()).toEqual(apiError('[]: Unsupported Content-Type'));
    });

    it('answers 403 in an organization where the user is in no team that may create repositories', async () => {
      const res = await call(api('/orgs/platform-templates/repos'), 'POST', TOKEN_AUTH, { name: 'sneaky' });
      expect(res.status).toBe(403);
      expect(res.json()).toEqual(apiError('Given user is not allowed to create repository in organization.'));
    });

    it('answers 404 in a private organization the user cannot see', async () => {
      const { orgs, accounts } = gitStore(git.ctx);
      orgs.create({ name: 'secret', owner: accounts.admin.login, visibility: 'private' });
      const res = await call(api('/orgs/secret/repos'), 'POST', TOKEN_AUTH, { name: 'x' });
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ ...apiError('HasOrgOrUserVisible'), errors: null });
    });

    it('initialises the repository with a README when auto_init is set', async () => {
      const res = await call(api('/orgs/payments/repos'), 'POST', TOKEN_AUTH, {
        name: 'with-readme',
        auto_init: true,
        default_branch: 'trunk',
      });
      expect(res.status).toBe(201);
      expect(res.json()).toMatchObject({ empty: false, default_branch: 'trunk' });
    });
  });

  describe('GET and DELETE /repos/{owner}/{repo}', () => {
    it('shows a repository to whoever may read it, with their permissions', async () => {
      const res = await call(api('/repos/payments/shop'), 'GET', TOKEN_AUTH);
      expect(res.status).toBe(200);
      expect(swaggerProblems('Repository', res.json())).toEqual([]);
      // Not an owner of `payments`: Gitea made the creator the repository's admin.
      expect(res.json()).toMatchObject({
        full_name: 'payments/shop',
        permissions: { admin: true, push: true },
      });
    });

    it('hides a private repository from anonymous callers, and says which owner is unknown', async () => {
      const hidden = await call(api('/repos/payments/shop'), 'GET');
      expect(hidden.status).toBe(404);
      expect(hidden.json()).toEqual({ ...apiError('not found'), errors: null });
      const unknown = await call(api('/repos/nobody/shop'), 'GET', TOKEN_AUTH);
      expect(unknown.status).toBe(404);
      expect(unknown.json()).toEqual({
        ...apiError('GetUserByName'),
        errors: ['user redirect does not exist [name: nobody]'],
      });
    });

    it('lets only an owner of the organization delete', async () => {
      const refused = await call(api('/repos/payments/shop'), 'DELETE', TOKEN_AUTH);
      expect(refused.status).toBe(403);
      expect(refused.json()).toEqual(apiError('user should be the owner of the repo'));
      const anonymous = await call(api('/repos/payments/shop'), 'DELETE');
      expect(anonymous.status).toBe(404);
    });
  });

  describe('organizations', () => {
    it('lets the user create one (POST /orgs) and own it: it may then delete its repositories', async () => {
      const created = await call(api('/orgs'), 'POST', TOKEN_AUTH, {
        username: 'search',
        visibility: 'private',
      });
      expect(created.status).toBe(201);
      expect(swaggerProblems('Organization', created.json())).toEqual([]);
      expect(created.json()).toMatchObject({ name: 'search', username: 'search', visibility: 'private' });
      expect((await call(api('/orgs/search/repos'), 'POST', TOKEN_AUTH, { name: 'idx' })).status).toBe(201);
      expect((await call(api('/repos/search/idx'), 'DELETE', TOKEN_AUTH)).status).toBe(204);
      expect((await call(api('/repos/search/idx'), 'GET', TOKEN_AUTH)).status).toBe(404);
    });

    it.each([
      [{ username: 'search' }, 'user already exists [name: search]'],
      [{ username: LOGIN.username }, `user already exists [name: ${LOGIN.username}]`],
      [{ username: 'api' }, 'name is reserved [name: api]'],
      [{ username: 'bad name' }, '[UserName]: invalid username'],
      [{ username: 'ok-org', visibility: 'secret' }, '[Visibility]: In'],
    ])('refuses %j with 422', async (body, message) => {
      const res = await call(api('/orgs'), 'POST', TOKEN_AUTH, body);
      expect(res.status).toBe(422);
      expect(res.json()).toEqual(apiError(message));
    });

    it('shows a private organization to its members only', async () => {
      const member = await call(api('/orgs/payments'), 'GET', TOKEN_AUTH);
      expect(member.status).toBe(200);
      expect(swaggerProblems('Organization', member.json())).toEqual([]);
      const anonymous = await call(api('/orgs/payments'), 'GET');
      expect(anonymous.status).toBe(404);
      expect(anonymous.json()).toEqual({ ...apiError('HasOrgOrUserVisible'), errors: null });
    });

    it('lists the repositories a caller may see, by id, paged, with X-Total-Count', async () => {
      const all = await call(api('/orgs/payments/repos'), 'GET', TOKEN_AUTH);
      expect(all.status).toBe(200);
      expect(swaggerProblems('Repository[]', all.json())).toEqual([]);
      const names = (all.json() as Array<{ name: string }>).map((r) => r.name);
      expect(names).toEqual(['shop', 'from-form', 'with-readme']);
      expect(all.headers.get('x-total-count')).toBe('3');
      const second = await call(api('/orgs/payments/repos?limit=1&page=2'), 'GET', TOKEN_AUTH);
      expect((second.json() as Array<{ name: string }>).map((r) => r.name)).toEqual(['from-form']);
      expect((await call(api('/orgs/payments/repos'), 'GET')).json()).toEqual([]);
    });
  });

  it("answers Go's plain 404 for paths that are no route", async () => {
    const res = await call(api('/repos'), 'POST', TOKEN_AUTH, { name: 'flat' });
    expect(res.status).toBe(404);
    expect(res.text).toBe('404 page not found\n');
  });
});
