import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTeamOrganization, Kinds, LabelSelector, seedApps, type Sandbox } from '@platform/sandbox';
import {
  listenOnRandomPort,
  LogCapture,
  signTestToken,
  TEST_REDIS_URL,
} from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AUDIT_STREAM } from '../src/audit/audit-log';
import { loadTaskConfig } from '../src/config/task-config';
import { createTaskApp } from '../src/create-app';
import { sandboxTaskEnv } from './task-env';
import { gitAuthorization, startTaskApp, startTaskSandbox } from './task-sandbox';

const NS = 'argo';

interface Envelope {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * The write API's refusals and guarantees, through HTTP against the sandbox: every 4xx with its
 * exact envelope, Idempotency-Key semantics, audit records, and 503 without anything created.
 */
describe('task API: create, build and deploy requests', () => {
  let sandbox: Sandbox;
  let app: NestFastifyApplication;
  let base: string;
  let redis: Redis;
  let alice: string;
  let admin: string;
  let builtTag: string;

  beforeAll(async () => {
    sandbox = await startTaskSandbox();
    // app-00001 (payments) and app-00002 (content), each with one finished build and deploy.
    await seedApps(sandbox.ctx, { apps: 2, teams: ['payments', 'content'], workflowsPerApp: 2 });
    const build = sandbox.ctx.store.list(Kinds.Workflow, {
      namespace: NS,
      labelSelector: LabelSelector.parse('platform-api/app=app-00001,platform-api/task-type=ci'),
    }).items[0] as unknown as { status: { outputs: { parameters: Array<{ name: string; value: string }> } } };
    const image = build.status.outputs.parameters.find((p) => p.name === 'image')?.value ?? '';
    builtTag = image.slice(image.lastIndexOf(':') + 1);
    ({ app, base } = await startTaskApp(sandbox));
    redis = new Redis(TEST_REDIS_URL);
    alice = await signTestToken({ sub: 'alice@example.com', name: 'Alice', teams: ['payments'] });
    admin = await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] });
  });
  afterAll(async () => {
    redis.disconnect();
    await app.close();
    await sandbox.stop();
  });
  afterEach(() => sandbox.ctx.faults.clear());

  const post = (
    route: string,
    body: unknown,
    options: { token?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response> => {
    const token = options.token === undefined ? alice : options.token;
    return fetch(`${base}/task/v1${route}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...options.headers,
      },
      body: JSON.stringify(body),
    });
  };
  const workflows = (selector: string): string[] =>
    sandbox.ctx.store
      .list(Kinds.Workflow, { namespace: NS, labelSelector: LabelSelector.parse(selector) })
      .items.map((w) => w.metadata.name ?? '');
  const expectError = async (res: Response, status: number, error: Envelope['error']): Promise<void> => {
    expect({ status: res.status, body: (await res.json()) as Envelope }).toEqual({ status, body: { error } });
  };

  describe('templates', () => {
    it('lists the catalog with each parameter', async () => {
      const res = await fetch(`${base}/task/v1/templates`, { headers: { authorization: `Bearer ${alice}` } });
      expect(res.status).toBe(200);
      const { items } = (await res.json()) as { items: Array<{ name: string; parameters: unknown[] }> };
      expect(items.map((t) => t.name)).toEqual(['node-service', 'go-service']);
      expect(items[0]?.parameters).toContainEqual({
        name: 'port',
        type: 'integer',
        default: '8080',
        pattern: '^[0-9]{2,5}$',
        description: 'Port the service listens on.',
      });
      expect(items[0]?.parameters).toContainEqual(
        expect.objectContaining({ name: 'greeting', type: 'string', maxLength: 60 }),
      );
    });

    it('answers 404 for an unknown template, naming the ones there are', async () => {
      const res = await fetch(`${base}/task/v1/templates/cobol-service`, {
        headers: { authorization: `Bearer ${alice}` },
      });
      await expectError(res, 404, {
        code: 'TEMPLATE_NOT_FOUND',
        message: 'template "cobol-service" not found; available: node-service, go-service',
        details: { template: 'cobol-service' },
      });
    });
  });

  describe('create', () => {
    it('answers 202 with the task and its Location, labelled with app, team, template and requester', async () => {
      const res = await post('/apps', {
        name: 'web',
        team: 'payments',
        template: 'node-service',
        parameters: { port: 3000 },
      });
      expect(res.status).toBe(202);
      const task = (await res.json()) as {
        id: string;
        type: string;
        app: string;
        parameters: Record<string, string>;
      };
      expect(res.headers.get('location')).toBe(`/task/v1/tasks/${task.id}`);
      expect(task).toMatchObject({ type: 'create', app: 'web', requestedBy: 'alice@example.com' });
      expect(task.parameters).toMatchObject({
        app: 'web',
        team: 'payments',
        template: 'node-service',
        values: 'PORT=3000\nGREETING=hello',
        environment: 'dev',
        registry: sandbox.ctx.config.registryHost,
      });
      const wf = sandbox.ctx.store.mustGet(Kinds.Workflow, NS, task.id);
      expect(wf.metadata.labels).toMatchObject({
        'platform-api/app': 'web',
        'platform-api/team': 'payments',
        'platform-api/task-type': 'create',
        'platform-api/template': 'node-service',
        'platform-api/requested-by': 'alice_example.com',
      });
      expect(wf.metadata.annotations?.['platform-api/requested-by']).toBe('alice@example.com');

      // While it runs, the name is taken: a second create is refused without a second workflow.
      const again = await post('/apps', { name: 'web', team: 'payments', template: 'go-service' });
      expect(again.status).toBe(409);
      const body = (await again.json()) as Envelope;
      expect(body.error.code).toBe('APP_EXISTS');
      expect(body.error.message).toContain(`create task ${task.id} (still running)`);
      expect(workflows('platform-api/app=web')).toEqual([task.id]);
    });

    it('lists every invalid field of the body at once', async () => {
      const res = await post('/apps', { name: 'Bad_Name', team: 'payments', template: 7, colour: 'red' });
      await expectError(res, 400, {
        code: 'VALIDATION_FAILED',
        message: 'The request has 3 invalid fields: colour, name, template',
        details: {
          fields: [
            { field: 'colour', problems: ['property colour should not exist'] },
            {
              field: 'name',
              problems: [
                'name must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
              ],
            },
            {
              field: 'template',
              problems: ['template must be the name of an app template (see GET /templates)'],
            },
          ],
        },
      });
    });

    it('checks the template, its parameters and the environment against the catalog and config', async () => {
      const res = await post('/apps', {
        name: 'web2',
        team: 'payments',
        template: 'node-service',
        parameters: { port: 'eighty', greeting: 'hi\nrm -rf /', colour: 'red' },
        environment: 'staging',
      });
      await expectError(res, 400, {
        code: 'VALIDATION_FAILED',
        message:
          'The request has 4 invalid fields: parameters.colour, parameters.port, parameters.greeting, environment',
        details: {
          fields: [
            {
              field: 'parameters.colour',
              problems: ['is not a parameter of template "node-service" (it takes: port, greeting)'],
            },
            { field: 'parameters.port', problems: ['must be an integer, got "eighty"'] },
            {
              field: 'parameters.greeting',
              problems: ['must not contain line breaks or control characters'],
            },
            { field: 'environment', problems: ['unknown environment "staging"; one of: dev, prod'] },
          ],
        },
      });
      const long = await post('/apps', {
        name: 'web2',
        team: 'payments',
        template: 'node-service',
        parameters: { greeting: 'a'.repeat(61) },
      });
      await expectError(long, 400, {
        code: 'VALIDATION_FAILED',
        message: 'The request has 1 invalid field: parameters.greeting',
        details: {
          fields: [{ field: 'parameters.greeting', problems: ['must be at most 60 characters, got 61'] }],
        },
      });
      const unknown = await post('/apps', { name: 'web2', team: 'payments', template: 'cobol-service' });
      await expectError(unknown, 400, {
        code: 'VALIDATION_FAILED',
        message: 'The request has 1 invalid field: template',
        details: {
          fields: [
            {
              field: 'template',
              problems: ['unknown template "cobol-service"; available: node-service, go-service'],
            },
          ],
        },
      });
      expect(workflows('platform-api/app=web2')).toEqual([]);
    });

    it('answers 409 for a name Argo CD or the git server already has', async () => {
      const res = await post('/apps', { name: 'app-00001', team: 'payments', template: 'go-service' });
      expect(res.status).toBe(409);
      expect(((await res.json()) as Envelope).error).toMatchObject({
        code: 'APP_EXISTS',
        message: 'app "app-00001" already exists: an Argo CD application; pick another name',
        details: { app: 'app-00001', argocdApplication: true, repositories: [] },
      });
      const created = await fetch(`${sandbox.urls.git}/api/v1/orgs/payments/repos`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: gitAuthorization(sandbox),
        },
        body: JSON.stringify({ name: 'legacy-manifests', private: true }),
      });
      expect(created.status).toBe(201);
      const legacy = await post('/apps', { name: 'legacy', team: 'payments', template: 'go-service' });
      expect(legacy.status).toBe(409);
      expect(((await legacy.json()) as Envelope).error.message).toBe(
        'app "legacy" already exists: git repository payments/legacy-manifests; pick another name',
      );
      expect(workflows('platform-api/app=legacy')).toEqual([]);
    });

    it("answers 409 for a name another team's Argo CD project uses, without naming that team", async () => {
      // app-00002 is team content's, in content's project: Argo CD application names are global.
      const res = await post('/apps', { name: 'app-00002', team: 'payments', template: 'go-service' });
      const text = await res.text();
      expect({ status: res.status, body: JSON.parse(text) as Envelope }).toEqual({
        status: 409,
        body: {
          error: {
            code: 'APP_EXISTS',
            message: 'app "app-00002" already exists: an Argo CD application; pick another name',
            details: { app: 'app-00002', argocdApplication: true, repositories: [] },
          },
        },
      });
      expect(text).not.toContain('content');
      expect(workflows('platform-api/app=app-00002,platform-api/task-type=create')).toEqual([]);
    });

    it('answers 422 for a team without its Argo CD project, and submits nothing', async () => {
      // Its git organization exists, its AppProject (deploy/team) does not.
      createTeamOrganization(sandbox.ctx, 'billing');
      const res = await post(
        '/apps',
        { name: 'invoices', team: 'billing', template: 'go-service', parameters: { port: '8080' } },
        { token: admin },
      );
      await expectError(res, 422, {
        code: 'TEAM_HAS_NO_ARGOCD_PROJECT',
        message:
          'team billing has no Argo CD project "billing" to create its apps in; ' +
          'a platform admin onboards each team once (its Argo CD project and namespaces)',
        details: { team: 'billing' },
      });
      expect(workflows('platform-api/app=invoices')).toEqual([]);
    });

    it('answers 422 for a team without its organization on the git server, and submits nothing', async () => {
      const res = await post(
        '/apps',
        { name: 'indexer', team: 'search', template: 'go-service', parameters: { port: '8080' } },
        { token: admin },
      );
      await expectError(res, 422, {
        code: 'TEAM_NOT_ON_GIT_SERVER',
        message:
          `team search has no organization "search" that the platform's git account can see on the git server (${sandbox.urls.git}); ` +
          "a platform admin creates one per team and lets the platform's git account create repositories in it",
        details: { team: 'search', gitServer: sandbox.urls.git },
      });
      expect(workflows('platform-api/app=indexer')).toEqual([]);
    });

    it("answers 403 for another team's app and 401 without a token", async () => {
      await expectError(await post('/apps', { name: 'blog', team: 'content', template: 'go-service' }), 403, {
        code: 'FORBIDDEN',
        message: 'you are not in team content, so you cannot create its apps',
        details: { team: 'content' },
      });
      const anonymous = await post(
        '/apps',
        { name: 'blog', team: 'content', template: 'go-service' },
        { token: null },
      );
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as Envelope).error.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('build and deploy', () => {
    it('builds an app at a ref: 202 with the ci task', async () => {
      const res = await post('/apps/app-00001/builds', { ref: 'v1.2.0' });
      expect(res.status).toBe(202);
      const task = (await res.json()) as { id: string; type: string; parameters: Record<string, string> };
      expect(task).toMatchObject({ type: 'ci', app: 'app-00001', team: 'payments' });
      expect(task.parameters).toMatchObject({ app: 'app-00001', team: 'payments', ref: 'v1.2.0' });
      expect(res.headers.get('location')).toBe(`/task/v1/tasks/${task.id}`);
    });

    it("answers the same 404 for an unknown app and another team's, 400 for a bad ref", async () => {
      await expectError(await post('/apps/nope/builds', {}), 404, {
        code: 'APP_NOT_FOUND',
        message: 'app "nope" not found; create it with POST /apps first',
        details: { app: 'nope' },
      });
      await expectError(await post('/apps/app-00002/builds', {}), 404, {
        code: 'APP_NOT_FOUND',
        message: 'app "app-00002" not found; create it with POST /apps first',
        details: { app: 'app-00002' },
      });
      await expectError(await post('/apps/app-00001/builds', { ref: '--upload-pack=touch /tmp/x' }), 400, {
        code: 'VALIDATION_FAILED',
        message: 'The request has 1 invalid field: ref',
        details: {
          fields: [
            {
              field: 'ref',
              problems: [
                'ref may contain only letters, digits, ".", "_", "/" and "-" and must start with a letter or digit',
              ],
            },
          ],
        },
      });
      await expectError(await post('/apps/Not_An_App/builds', {}), 400, {
        code: 'VALIDATION_FAILED',
        message: 'The request has 1 invalid field: app',
        details: {
          fields: [
            {
              field: 'app',
              problems: [
                'app must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
              ],
            },
          ],
        },
      });
    });

    it('deploys an image a build produced, and refuses one no build produced with 422', async () => {
      const ok = await post('/apps/app-00001/deployments', { environment: 'dev', tag: builtTag });
      expect(ok.status).toBe(202);
      expect(await ok.json()).toMatchObject({
        type: 'cd',
        app: 'app-00001',
        parameters: { app: 'app-00001', environment: 'dev', tag: builtTag },
      });
      const before = workflows('platform-api/app=app-00001,platform-api/task-type=cd').length;
      await expectError(
        await post('/apps/app-00001/deployments', { environment: 'dev', tag: 'never-built' }),
        422,
        {
          code: 'IMAGE_NOT_BUILT',
          message:
            'the registry has no image registry.sandbox.local/payments/app-00001:never-built: no build of app "app-00001" pushed the tag "never-built"; build it with POST /apps/app-00001/builds and deploy the tag of its result',
          details: {
            app: 'app-00001',
            tag: 'never-built',
            image: 'registry.sandbox.local/payments/app-00001:never-built',
          },
        },
      );
      await expectError(
        await post('/apps/app-00001/deployments', { environment: 'qa', tag: builtTag }),
        400,
        {
          code: 'VALIDATION_FAILED',
          message: 'The request has 1 invalid field: environment',
          details: {
            fields: [{ field: 'environment', problems: ['unknown environment "qa"; one of: dev, prod'] }],
          },
        },
      );
      expect(workflows('platform-api/app=app-00001,platform-api/task-type=cd')).toHaveLength(before);
    });

    it('deploys a tag whose build workflow Argo has garbage-collected: the registry still has it', async () => {
      const builds = workflows('platform-api/app=app-00002,platform-api/task-type=ci');
      const image = sandbox.ctx.registry.list().find((i) => i.repository.endsWith('/content/app-00002'));
      expect(builds).not.toEqual([]);
      for (const name of builds) {
        const deleted = await fetch(`${sandbox.urls.argo}/api/v1/workflows/${NS}/${name}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${sandbox.ctx.config.argoToken}` },
        });
        expect(deleted.status).toBe(200);
      }
      expect(workflows('platform-api/app=app-00002,platform-api/task-type=ci')).toEqual([]);
      const res = await post(
        '/apps/app-00002/deployments',
        { environment: 'dev', tag: image?.tag },
        { token: admin },
      );
      expect(res.status).toBe(202);
      const task = (await res.json()) as { id: string };
      const workflow = sandbox.ctx.store.get(Kinds.Workflow, NS, task.id);
      // The digest the registry answered for the tag goes with the deploy (its result reports it).
      expect(workflow?.metadata.annotations?.['platform-api/image-digest']).toBe(image?.digest);
    });

    it('lets an admin act on any team', async () => {
      const res = await post('/apps/app-00002/builds', {}, { token: admin });
      expect(res.status).toBe(202);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the same task for the same key and body, and 409 for the same key with another body', async () => {
      const key = randomUUID();
      const first = await post(
        '/apps/app-00001/builds',
        { ref: 'main' },
        { headers: { 'idempotency-key': key } },
      );
      const second = await post(
        '/apps/app-00001/builds',
        { ref: 'main' },
        { headers: { 'idempotency-key': key } },
      );
      expect([first.status, second.status]).toEqual([202, 202]);
      const [a, b] = [(await first.json()) as { id: string }, (await second.json()) as { id: string }];
      expect(b.id).toBe(a.id);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      await expectError(
        await post('/apps/app-00001/builds', { ref: 'develop' }, { headers: { 'idempotency-key': key } }),
        409,
        {
          code: 'IDEMPOTENCY_KEY_REUSED',
          message: `Idempotency-Key "${key}" was already used for a different request; use a new key for a new request`,
          details: { key },
        },
      );
    });

    it('creates exactly one workflow for concurrent duplicates', async () => {
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 12 }, () =>
          post('/apps/app-00001/builds', { ref: 'release/2' }, { headers: { 'idempotency-key': key } }),
        ),
      );
      const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
      expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 12 }, () => 202));
      expect(new Set(ids).size).toBe(1);
      const builds = sandbox.ctx.store
        .list(Kinds.Workflow, {
          namespace: NS,
          labelSelector: LabelSelector.parse('platform-api/task-type=ci'),
        })
        .items.filter((w) =>
          (w.spec as { arguments?: { parameters?: Array<{ value?: string }> } }).arguments?.parameters?.some(
            (p) => p.value === 'release/2',
          ),
        );
      expect(builds.map((w) => w.metadata.name)).toEqual([ids[0]]);
    });

    it('refuses a key that is not printable ASCII', async () => {
      await expectError(
        await post('/apps/app-00001/builds', {}, { headers: { 'idempotency-key': 'has spaces in it' } }),
        400,
        {
          code: 'INVALID_IDEMPOTENCY_KEY',
          message:
            'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces (a UUID works)',
          details: { header: 'Idempotency-Key' },
        },
      );
    });
  });

  describe('upstream failures', () => {
    it('answers 503 with Retry-After when the Argo server fails, creates nothing, and frees the key', async () => {
      const key = randomUUID();
      const before = workflows('platform-api/task-type').length;
      sandbox.ctx.faults.set('argo', { errorRate: 1, errorCode: 503 });
      const res = await post(
        '/apps/app-00001/builds',
        { ref: 'main' },
        { headers: { 'idempotency-key': key } },
      );
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as Envelope).error.code).toBe('ARGO_WORKFLOWS_UNAVAILABLE');
      expect(workflows('platform-api/task-type')).toHaveLength(before);

      sandbox.ctx.faults.clear();
      const retried = await post(
        '/apps/app-00001/builds',
        { ref: 'main' },
        { headers: { 'idempotency-key': key } },
      );
      expect(retried.status).toBe(202);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
    });

    it('answers 503 when Argo CD fails, before anything is submitted', async () => {
      const before = workflows('platform-api/task-type').length;
      sandbox.ctx.faults.set('argocd', { errorRate: 1, errorCode: 503 });
      const res = await post('/apps/app-00001/builds', {});
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).not.toBeNull();
      expect(((await res.json()) as Envelope).error.code).toBe('ARGO_CD_UNAVAILABLE');
      expect(workflows('platform-api/task-type')).toHaveLength(before);
    });

    it('answers 503 with Retry-After when the registry fails during a deploy, before anything is submitted', async () => {
      const before = workflows('platform-api/task-type=cd').length;
      sandbox.ctx.faults.set('registry', { errorRate: 1, errorCode: 503 });
      const res = await post('/apps/app-00001/deployments', { environment: 'dev', tag: builtTag });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as Envelope).error.code).toBe('REGISTRY_UNAVAILABLE');
      expect(workflows('platform-api/task-type=cd')).toHaveLength(before);
    });

    it("answers 502 when the registry refuses the service's own login", async () => {
      const logs = new LogCapture();
      const wrong = await createTaskApp(
        loadTaskConfig(sandboxTaskEnv(sandbox, { REGISTRY_PASSWORD: 'not-the-robot-secret' })),
        { logDestination: logs },
      );
      try {
        const url = await listenOnRandomPort(wrong);
        const res = await fetch(`${url}/task/v1/apps/app-00001/deployments`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${alice}`,
            'x-request-id': 'registry-refused',
          },
          body: JSON.stringify({ environment: 'dev', tag: builtTag }),
        });
        expect(res.status).toBe(502);
        // The caller gets the platform's words and the upstream's name; which login the registry
        // refused goes to the service's log.
        expect(await res.json()).toEqual({
          error: {
            code: 'REGISTRY_UNAUTHORIZED',
            message:
              "The registry failed or refused this service's request (not a fault of yours); the details are in the service's log",
            details: { upstream: 'REGISTRY' },
          },
        });
        expect(logs.forRequest('registry-refused').map((line) => line.message)).toContainEqual(
          expect.stringMatching(/upstream failure REGISTRY_UNAUTHORIZED: .*robot\$platform-api/),
        );
      } finally {
        await wrong.close();
      }
    });

    it('answers 503 when the git server fails during a create', async () => {
      sandbox.ctx.faults.set('git', { errorRate: 1, errorCode: 503 });
      const res = await post('/apps', { name: 'api', team: 'payments', template: 'go-service' });
      expect(res.status).toBe(503);
      expect(((await res.json()) as Envelope).error.code).toBe('GIT_UNAVAILABLE');
      expect(workflows('platform-api/app=api')).toEqual([]);
    });
  });

  describe('audit', () => {
    it('records who did what to which app, the task and the outcome, for accepted and refused calls', async () => {
      const accepted = randomUUID();
      const refused = randomUUID();
      const res = await post('/apps/app-00001/builds', {}, { headers: { 'x-request-id': accepted } });
      const task = (await res.json()) as { id: string };
      await post('/apps/app-00002/builds', {}, { headers: { 'x-request-id': refused } });
      const entries = await redis.xrevrange(AUDIT_STREAM, '+', '-', 'COUNT', 500);
      const records = entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as { requestId: string });
      expect(records.find((r) => r.requestId === accepted)).toEqual({
        at: expect.any(String),
        action: 'app.build',
        actor: 'alice@example.com',
        actorName: 'Alice',
        app: 'app-00001',
        taskId: task.id,
        outcome: 'accepted',
        status: 202,
        code: null,
        requestId: accepted,
      });
      expect(records.find((r) => r.requestId === refused)).toMatchObject({
        action: 'app.build',
        app: 'app-00002',
        taskId: null,
        outcome: 'refused',
        status: 404,
        code: 'APP_NOT_FOUND',
      });
    });
  });
});
