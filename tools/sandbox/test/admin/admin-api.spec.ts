import path from 'node:path';
import { adminHandler, type AdminHooks } from '../../src/admin/admin.server';
import { verifySandboxToken } from '../../src/admin/dev-identity';
import { createContext } from '../../src/core/create-context';
import { Kinds } from '../../src/core/resource-kinds';
import { gitStore } from '../../src/git';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { platformAdminRoutes } from '../../src/platform/admin-routes';
import type { TeamOnboarding } from '../../src/platform/admin-team.routes';
import { onboardTeam } from '../../src/platform/team-onboarding';
import { createBaseNamespaces } from '../../src/platform/base-objects';
import { serve } from '../../src/testing/serve';
import type { DeploymentObject } from '../../src/kubernetes/controllers/workload-types';

/** The admin API as the sandbox composes it: with the platform's seeding and team onboarding. */
function platformAdmin(ctx: SandboxContext, hooks: AdminHooks = {}, onboarding: TeamOnboarding = {}) {
  return adminHandler(ctx, hooks, undefined, platformAdminRoutes(ctx, onboarding));
}

describe(adminHandler.name, () => {
  let ctx: SandboxContext;
  let server: { url: string; close(): Promise<void> };
  let resets: number;

  beforeEach(async () => {
    ctx = createContext();
    resets = 0;
    server = await serve(platformAdmin(ctx));
    ctx.urls.admin = server.url;
  });
  afterEach(() => server.close());

  async function call(method: string, path: string, body?: unknown, raw?: string) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: JSON.parse(text) as Record<string, unknown>,
    };
  }

  describe('faults', () => {
    it('sets, lists and clears fault knobs per upstream', async () => {
      const set = await call('PUT', '/admin/faults/kube', {
        errorRate: 0.5,
        errorCode: 503,
        latencyMs: 20,
        force410: true,
      });
      expect(set).toEqual({
        status: 200,
        type: 'application/json',
        body: { upstream: 'kube', faults: { errorRate: 0.5, errorCode: 503, latencyMs: 20, force410: true } },
      });
      expect(ctx.faults.get('kube')).toEqual({
        errorRate: 0.5,
        errorCode: 503,
        latencyMs: 20,
        force410: true,
      });
      await call('PUT', '/admin/faults/argocd', { silentStreams: true });
      expect((await call('GET', '/admin/faults')).body).toEqual({
        faults: {
          kube: ctx.faults.get('kube'),
          argo: {},
          argocd: { silentStreams: true },
          git: {},
          registry: {},
        },
      });
      expect((await call('DELETE', '/admin/faults')).body).toEqual({
        faults: { kube: {}, argo: {}, argocd: {}, git: {}, registry: {} },
      });
      expect(ctx.faults.get('kube')).toEqual({});
    });

    it('refuses bad fault configs, naming every bad field', async () => {
      const bad = await call('PUT', '/admin/faults/git', {
        errorRate: 2,
        errorCode: 'x',
        latencyMs: -1,
        force410: 'yes',
        color: 'red',
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        error: {
          code: 'VALIDATION_FAILED',
          message: expect.stringContaining('errorRate: must be a number from 0 to 1'),
          details: {
            fields: expect.arrayContaining([
              { field: 'color', message: expect.stringContaining('unknown field') },
              { field: 'errorRate', message: 'must be a number from 0 to 1' },
              { field: 'errorCode', message: 'must be an integer from 400 to 599' },
              { field: 'latencyMs', message: 'must be a number from 0 to 600000' },
              { field: 'force410', message: 'must be true or false' },
            ]),
          },
        },
      });
      expect(ctx.faults.get('git')).toEqual({});
      expect((await call('PUT', '/admin/faults/git', [1])).body).toEqual({
        error: { code: 'BAD_REQUEST', message: 'the request body must be a JSON object' },
      });
      expect((await call('PUT', '/admin/faults/git', undefined, '{nope')).body).toMatchObject({
        error: { code: 'BAD_JSON' },
      });
      expect(await call('PUT', '/admin/faults/redis', {})).toMatchObject({
        status: 404,
        body: {
          error: {
            code: 'NOT_FOUND',
            message: 'unknown upstream "redis"; expected one of kube, argo, argocd, git, registry',
          },
        },
      });
    });

    it('counts and drops open streams, and expires the watch history', async () => {
      let dropped = 0;
      ctx.faults.track({
        upstream: 'argo',
        path: '/api/v1/workflow-events/argo',
        drop: () => (dropped += 1),
      });
      ctx.faults.track({ upstream: 'kube', path: '/api/v1/pods?watch=1', drop: () => undefined });
      expect((await call('GET', '/admin/streams')).body).toEqual({
        streams: { kube: 1, argo: 1, argocd: 0, git: 0, registry: 0 },
        total: 2,
        open: [
          { upstream: 'argo', path: '/api/v1/workflow-events/argo' },
          { upstream: 'kube', path: '/api/v1/pods?watch=1' },
        ],
      });
      expect((await call('POST', '/admin/faults/argo/drop-streams')).body).toEqual({ dropped: 1 });
      expect(dropped).toBe(1);

      const pod = ctx.store.create(Kinds.Pod, { metadata: { name: 'p', namespace: 'default' }, spec: {} });
      ctx.store.create(Kinds.Pod, { metadata: { name: 'q', namespace: 'default' }, spec: {} });
      expect((await call('POST', '/admin/expire-history')).status).toBe(200);
      let refused: unknown;
      try {
        ctx.store.watch(Kinds.Pod, { resourceVersion: pod.metadata.resourceVersion }, () => undefined);
      } catch (error) {
        refused = error;
      }
      expect(refused).toMatchObject({ reason: 'Expired', code: 410 });
    });
  });

  describe('simulation', () => {
    it('changes the speed of simulated time', async () => {
      expect((await call('PUT', '/admin/speed', { factor: 25 })).body).toEqual({ factor: 25 });
      expect(ctx.clock.speed).toBe(25);
      expect((await call('GET', '/admin/speed')).body).toEqual({ factor: 25 });
      expect(await call('PUT', '/admin/speed', { factor: 0 })).toMatchObject({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            details: { fields: [{ field: 'factor', message: 'must be a number greater than 0' }] },
          },
        },
      });
      expect(ctx.clock.speed).toBe(25);
    });

    it('turns the crash knob of a Deployment on and off', async () => {
      ctx.store.create(Kinds.Deployment, {
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          replicas: 1,
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'main', image: 'x' }] },
          },
        },
      });
      const template = () =>
        (ctx.store.get(Kinds.Deployment, 'shop', 'web') as DeploymentObject).spec.template;
      expect((await call('POST', '/admin/apps/shop/web/crash', { crash: true })).body).toEqual({
        namespace: 'shop',
        deployment: 'web',
        crash: true,
      });
      expect(template().metadata).toEqual({
        labels: { app: 'web' },
        annotations: { 'sandbox.platform-api/crash': 'true' },
      });
      await call('POST', '/admin/apps/shop/web/crash', { crash: false });
      expect(template().metadata?.annotations).toEqual({});
      expect(await call('POST', '/admin/apps/shop/nope/crash', { crash: true })).toMatchObject({
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'deployment "nope" not found in namespace "shop"' } },
      });
      expect((await call('POST', '/admin/apps/shop/web/crash', { crash: 'yes' })).status).toBe(400);
    });

    it('lists pushed images', async () => {
      const image = ctx.registry.push('registry.sandbox.local/blue/api', 'abc1234', 'x');
      expect((await call('GET', '/admin/registry')).body).toEqual({
        images: [
          {
            repository: 'registry.sandbox.local/blue/api',
            tag: 'abc1234',
            digest: image.digest,
            mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
            pushedAt: image.pushedAt.toISOString(),
          },
        ],
      });
    });

    it('onboards a team in the registry: its private project, robot and Secret', async () => {
      const res = await call('PUT', '/admin/registry/teams/blue');
      expect(res.status).toBe(200);
      const robot = ctx.registry.accounts.robot('robot$blue+ci');
      expect(res.body).toEqual({
        team: 'blue',
        project: 'blue',
        robot: { username: 'robot$blue+ci', password: robot?.secret },
        secret: 'platform-registry-blue',
      });
      expect(ctx.registry.accounts.project('blue')?.public).toBe(false);
      expect(ctx.store.get(Kinds.Secret, 'argo', 'platform-registry-blue')?.type).toBe(
        'kubernetes.io/dockerconfigjson',
      );
      // Onboarding twice changes nothing.
      expect((await call('PUT', '/admin/registry/teams/blue')).body).toEqual(res.body);
      expect((await call('PUT', '/admin/registry/teams/Blue_1')).status).toBe(400);
    });

    it('onboards a team on both: its git organization (the git user may create repositories) and its registry project', async () => {
      const res = await call('PUT', '/admin/teams/green');
      expect(res.status).toBe(200);
      const robot = ctx.registry.accounts.robot('robot$green+ci');
      expect(res.body).toEqual({
        team: 'green',
        gitOrganization: 'green',
        registry: {
          project: 'green',
          robot: { username: 'robot$green+ci', password: robot?.secret },
          secret: 'platform-registry-green',
        },
        // Started without a team chart: no AppProject is made up.
        argocd: null,
      });
      const org = gitStore(ctx).orgs.find('green');
      expect(org?.visibility).toBe('private');
      expect(org?.teams).toContainEqual(
        expect.objectContaining({
          name: 'platform-api',
          canCreateOrgRepo: true,
          members: [ctx.config.gitUsername],
        }),
      );
      expect(ctx.registry.accounts.project('green')?.public).toBe(false);
      expect((await call('PUT', '/admin/teams/green')).body).toEqual(res.body);
      expect((await call('PUT', '/admin/teams/Green_1')).status).toBe(400);
    });

    it('onboards a team without registry projects when the registry runs without auth', async () => {
      const bare = createContext({ registryAuth: 'none' });
      const other = await serve(platformAdmin(bare));
      try {
        const res = await fetch(`${other.url}/admin/teams/green`, { method: 'PUT' });
        expect(await res.json()).toEqual({
          team: 'green',
          gitOrganization: 'green',
          registry: null,
          argocd: null,
        });
        expect(gitStore(bare).orgs.find('green')).toBeDefined();
      } finally {
        await other.close();
      }
    });

    it("onboards the team's AppProject and namespaces too, with the team chart it was started with", async () => {
      const chart = path.resolve(__dirname, '../../../../deploy/team');
      const charted = createContext({ registryAuth: 'none' });
      createBaseNamespaces(charted);
      charted.urls.git = 'http://git.sandbox.local';
      const other = await serve(
        platformAdmin(
          charted,
          {},
          { onboardTeamChart: (team) => onboardTeam(charted, chart, team, charted.urls.git) },
        ),
      );
      try {
        const res = await fetch(`${other.url}/admin/teams/green`, { method: 'PUT' });
        const body = (await res.json()) as { argocd: string[] };
        expect(body.argocd).toContain('AppProject/green');
        const project = charted.store.mustGet(Kinds.AppProject, charted.config.argocdNamespace, 'green');
        expect((project.spec as { sourceRepos: string[] }).sourceRepos).toEqual([
          'http://git.sandbox.local/green/*',
        ]);
        expect(charted.store.get(Kinds.Namespace, undefined, 'green-dev')).toBeDefined();
      } finally {
        await other.close();
      }
    });

    it('resets the stores, or calls the reset hook it was given', async () => {
      ctx.store.create(Kinds.Namespace, { metadata: { name: 'x' } });
      ctx.registry.push('r/a', '1', 'x');
      ctx.faults.set('git', { latencyMs: 5 });
      expect((await call('POST', '/admin/reset')).body).toMatchObject({ reset: true });
      expect(ctx.store.count(Kinds.Namespace)).toBe(0);
      expect(ctx.registry.list()).toEqual([]);
      expect(ctx.faults.get('git')).toEqual({});

      const hooked = await serve(platformAdmin(ctx, { reset: () => Promise.resolve(void (resets += 1)) }));
      try {
        expect((await fetch(`${hooked.url}/admin/reset`, { method: 'POST' })).status).toBe(200);
        expect(resets).toBe(1);
      } finally {
        await hooked.close();
      }
    });
  });

  describe('seed', () => {
    it('seeds apps and reports the counts', async () => {
      const seeded = await call('POST', '/admin/seed', {
        apps: 40,
        teams: 4,
        podsPerApp: 1,
        workflowsPerApp: 0,
      });
      expect(seeded).toMatchObject({
        status: 200,
        // Per team its dev and prod namespaces and AppProject; 8 objects per app and environment
        // (every 4th app is in prod too; without workflows, no cd promotes it there).
        body: { apps: 40, objects: 4 * 3 + 40 * 8 + 10 * 8, ms: expect.any(Number) },
      });
      expect(ctx.store.count(Kinds.Application)).toBe(50);
      expect(ctx.store.count(Kinds.Workflow)).toBe(0);
    });

    it('refuses bad seed requests, naming every bad field', async () => {
      const bad = await call('POST', '/admin/seed', {
        apps: 0,
        teams: ['Bad Team'],
        podsPerApp: 99,
        gitRepos: -1,
        extra: 1,
      });
      expect(bad.status).toBe(400);
      expect(
        (bad.body.error as { details: { fields: Array<{ field: string }> } }).details.fields
          .map((f) => f.field)
          .sort(),
      ).toEqual(['apps', 'extra', 'gitRepos', 'podsPerApp', 'teams']);
      expect(ctx.store.count(Kinds.Application)).toBe(0);
    });
  });

  describe('development sign-in', () => {
    it('signs RS256 tokens that verify against its JWKS', async () => {
      const jwks = await call('GET', '/.well-known/jwks.json');
      expect(jwks.body).toEqual({
        keys: [
          expect.objectContaining({
            kty: 'RSA',
            alg: 'RS256',
            use: 'sig',
            kid: expect.any(String),
            n: expect.any(String),
            e: 'AQAB',
          }),
        ],
      });
      const issued = await call('POST', '/admin/token', {
        sub: 'alice',
        name: 'Alice',
        teams: ['blue'],
        groups: ['platform-admins'],
        ttlSeconds: 600,
      });
      expect(issued.body).toEqual({
        token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        expiresAt: expect.any(String),
      });
      const claims = await verifySandboxToken(issued.body.token as string, server.url);
      expect(claims).toMatchObject({
        sub: 'alice',
        name: 'Alice',
        teams: ['blue'],
        groups: ['platform-admins'],
        iss: server.url,
        aud: 'platform-api',
      });
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
      const tampered = `${(issued.body.token as string).slice(0, -4)}AAAA`;
      await expect(verifySandboxToken(tampered, server.url)).rejects.toThrow();
    });

    it('refuses token requests without a user or teams', async () => {
      const bad = await call('POST', '/admin/token', { teams: 'blue', ttlSeconds: 0 });
      expect(bad.status).toBe(400);
      expect(
        (bad.body.error as { details: { fields: Array<{ field: string }> } }).details.fields
          .map((f) => f.field)
          .sort(),
      ).toEqual(['sub', 'teams', 'ttlSeconds']);
    });
  });

  it('answers unknown paths with 404 and wrong methods with 405, as JSON', async () => {
    expect(await call('GET', '/admin/nope')).toEqual({
      status: 404,
      type: 'application/json',
      body: { error: { code: 'NOT_FOUND', message: 'no route for GET /admin/nope' } },
    });
    expect(await call('POST', '/admin/faults')).toEqual({
      status: 405,
      type: 'application/json',
      body: { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST is not allowed on /admin/faults' } },
    });
  });
});
