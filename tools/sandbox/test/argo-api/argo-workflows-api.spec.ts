import { Kinds } from '../../src/core/resource-kinds';
import { TOKEN_NOT_VALID } from '../../src/argo-workflows/server';
import { pod, workflow, workflowTemplate } from './support/factories';
import { parseRaw, RawConnection, request } from './support/raw-http';
import { startArgoWorkflows } from './support/servers';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Argo Workflows server API', () => {
  let server: Awaited<ReturnType<typeof startArgoWorkflows>>;
  beforeEach(async () => {
    server = await startArgoWorkflows();
  });
  afterEach(async () => {
    await server.close();
  });
  const store = () => server.ctx.store;

  describe('authentication', () => {
    it.each([
      ['no header', {}],
      ['no Bearer prefix', { Authorization: 'sandbox-argo-token' }],
      ['a wrong token', { Authorization: 'Bearer nope' }],
    ])('answers 401 with the FAQ message for %s', async (_label, headers) => {
      const res = await request(server.url, 'GET', '/api/v1/workflows/argo', { headers });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).toBe(JSON.stringify({ code: 16, message: TOKEN_NOT_VALID }));
    });

    it('accepts the authorization cookie the UI sets', async () => {
      const res = await request(server.url, 'GET', '/api/v1/workflows/argo', {
        headers: {
          Cookie: `theme=dark; authorization=${encodeURIComponent(`Bearer ${server.ctx.config.argoToken}`)}`,
        },
      });
      expect(res.status).toBe(200);
    });

    it('fails a stream with status 401 and an error frame', async () => {
      const conn = await RawConnection.get(server.url, '/api/v1/workflow-events/argo', {
        Accept: 'text/event-stream',
      });
      const { status, chunks } = parseRaw(await conn.waitForEnd());
      expect(status).toBe(401);
      expect(JSON.parse((chunks[0] ?? '').slice(6))).toEqual({
        error: { grpc_code: 16, http_code: 401, message: TOKEN_NOT_VALID, http_status: 'Unauthorized' },
      });
      conn.close();
    });
  });

  it('answers unknown API paths like the gateway mux: 501 Unimplemented', async () => {
    const res = await server.call('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(501);
    expect(res.json).toEqual({ code: 12, message: 'Not Implemented' });
  });

  it('answers injected unary faults with the status body of their code', async () => {
    server.ctx.faults.set('argo', { errorRate: 1, errorCode: 503 });
    const res = await server.call('GET', '/api/v1/workflows/argo');
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ code: 14, message: 'sandbox: injected fault' });
  });

  describe('submit from a WorkflowTemplate', () => {
    beforeEach(() => store().create(Kinds.WorkflowTemplate, workflowTemplate('ci')));
    const submit = (submitOptions: Obj, resourceName = 'ci', resourceKind = 'WorkflowTemplate') =>
      server.call('POST', '/api/v1/workflows/argo/submit', { resourceKind, resourceName, submitOptions });

    it('creates a Workflow referencing the template with parameters, labels, annotations and options', async () => {
      const res = await submit({
        generateName: 'ci-payments-',
        entryPoint: 'main',
        parameters: ['app=payments', 'ref=a=b'],
        labels: 'platform-api/app=payments,platform-api/task-type=ci',
        annotations: 'platform-api/requested-by=alice',
        serviceAccount: 'workflow-runner',
      });
      expect(res.status).toBe(200);
      const wf = res.json as Obj;
      expect(wf.metadata.name).toMatch(/^ci-payments-[a-z0-9]{5}$/);
      expect(wf.metadata.labels).toEqual({
        'platform-api/template': 'ci',
        'workflows.argoproj.io/workflow-template': 'ci',
        'platform-api/app': 'payments',
        'platform-api/task-type': 'ci',
      });
      expect(wf.metadata.annotations).toEqual({ 'platform-api/requested-by': 'alice' });
      expect(wf.spec).toEqual({
        workflowTemplateRef: { name: 'ci' },
        entrypoint: 'main',
        serviceAccountName: 'workflow-runner',
        arguments: {
          parameters: [
            { name: 'app', value: 'payments' },
            { name: 'ref', value: 'a=b' },
          ],
        },
      });
      expect(store().get(Kinds.Workflow, 'argo', wf.metadata.name as string)).toEqual(wf);
    });

    it.each([
      [
        'a missing template',
        { parameters: ['app=x'] },
        'nope',
        404,
        5,
        'workflowtemplates.argoproj.io "nope" not found',
      ],
      [
        'a parameter without "="',
        { parameters: ['app'] },
        'ci',
        400,
        3,
        'expected parameter of the form: NAME=VALUE. Received: app',
      ],
      [
        'malformed labels',
        { parameters: ['app=x'], labels: 'a=b,c' },
        'ci',
        400,
        3,
        'expected labels of the form: NAME1=VALUE2,NAME2=VALUE2. Received: a=b,c: unexpected label spec: c',
      ],
      ['a required parameter left out', {}, 'ci', 400, 3, 'spec.arguments.app.value is required'],
      [
        'an unknown entry point',
        { parameters: ['app=x'], entryPoint: 'nope' },
        'ci',
        400,
        3,
        "spec.entrypoint template 'nope' undefined",
      ],
    ])('refuses %s', async (_label, options, name, status, code, message) => {
      const res = await submit(options, name);
      expect(res.status).toBe(status);
      expect(res.json).toEqual({ code, message });
      expect(store().count(Kinds.Workflow)).toBe(0);
    });

    it('refuses a kind it cannot submit', async () => {
      const res = await submit({}, 'ci', 'Deployment');
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        code: 3,
        message: "Resource kind 'Deployment' is not supported for submitting",
      });
    });
  });

  describe('create, get, delete', () => {
    it('creates, gets and deletes; a duplicate is 409 and a missing one 404', async () => {
      const created = await server.call('POST', '/api/v1/workflows/argo', {
        workflow: workflow('wf-1', ''),
        serverDryRun: false,
      });
      expect(created.status).toBe(200);
      expect((created.json as Obj).metadata.uid).toEqual(expect.any(String));
      const again = await server.call('POST', '/api/v1/workflows/argo', { workflow: workflow('wf-1', '') });
      expect(again.status).toBe(409);
      expect((again.json as Obj).code).toBe(6);
      const got = await server.call('GET', '/api/v1/workflows/argo/wf-1');
      expect(got.json).toEqual(created.json);
      expect((await server.call('DELETE', '/api/v1/workflows/argo/wf-1')).text).toBe('{}');
      const missing = await server.call('GET', '/api/v1/workflows/argo/wf-1');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ code: 5, message: 'workflows.argoproj.io "wf-1" not found' });
    });

    it('does not store a server dry run', async () => {
      const res = await server.call('POST', '/api/v1/workflows/argo', {
        workflow: { ...workflow('', ''), metadata: { generateName: 'dry-', namespace: 'argo' } },
        serverDryRun: true,
      });
      expect((res.json as Obj).metadata.name).toMatch(/^dry-/);
      expect(store().count(Kinds.Workflow)).toBe(0);
    });

    it('refuses a request without a workflow and bad JSON with 400', async () => {
      expect((await server.call('POST', '/api/v1/workflows/argo', {})).json).toEqual({
        code: 3,
        message: 'workflow body not specified',
      });
      const bad = await server.call('POST', '/api/v1/workflows/argo', '{"workflow":');
      expect(bad.status).toBe(400);
      expect((bad.json as Obj).code).toBe(3);
    });

    it('trims a get with fields=', async () => {
      store().create(Kinds.Workflow, workflow('wf-2', 'Succeeded'));
      const res = await server.call('GET', '/api/v1/workflows/argo/wf-2?fields=metadata.name,status.phase');
      expect(res.text).toBe('{"metadata":{"name":"wf-2"},"status":{"phase":"Succeeded"}}');
    });
  });

  describe('list', () => {
    beforeEach(() => {
      const finished = (name: string, at: string) =>
        workflow(name, 'Succeeded', {
          status: { phase: 'Succeeded', startedAt: '2025-01-01T00:00:00Z', finishedAt: at },
        });
      store().create(Kinds.Workflow, finished('old', '2025-01-01T01:00:00Z'));
      store().create(
        Kinds.Workflow,
        workflow('running', 'Running', { metadata: { labels: { 'platform-api/app': 'x' } } }),
      );
      store().create(Kinds.Workflow, finished('new', '2025-01-02T01:00:00Z'));
      store().create(Kinds.Workflow, workflow('pending', ''));
    });
    const names = (body: unknown) =>
      ((body as Obj).items as Obj[] | null)?.map((w) => w.metadata.name as string);

    it('puts unfinished workflows first, then the latest finished', async () => {
      const res = await server.call('GET', '/api/v1/workflows/argo');
      expect(names(res.json)?.slice(2)).toEqual(['new', 'old']);
      expect(names(res.json)?.slice(0, 2).sort()).toEqual(['pending', 'running']);
      expect((res.json as Obj).metadata).toEqual({ resourceVersion: store().resourceVersion });
    });

    it('pages with an integer offset in continue', async () => {
      const first = await server.call('GET', '/api/v1/workflows/argo?listOptions.limit=3');
      expect(names(first.json)).toHaveLength(3);
      expect((first.json as Obj).metadata.continue).toBe('3');
      const second = await server.call(
        'GET',
        '/api/v1/workflows/argo?listOptions.limit=3&listOptions.continue=3',
      );
      expect(names(second.json)).toEqual(['old']);
      expect((second.json as Obj).metadata.continue).toBeUndefined();
    });

    it.each([
      ['listOptions.continue=abc', 'listOptions.continue must be int'],
      ['listOptions.continue=-1', 'listOptions.continue must >= 0'],
      ['listOptions.fieldSelector=status.phase=Running', 'unsupported requirement status.phase=Running'],
    ])('answers %s with 400', async (query, message) => {
      const res = await server.call('GET', `/api/v1/workflows/argo?${query}`);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ code: 3, message });
    });

    it('filters by label, name and start time; an empty page has items null', async () => {
      expect(
        names(
          (await server.call('GET', '/api/v1/workflows/argo?listOptions.labelSelector=platform-api/app=x'))
            .json,
        ),
      ).toEqual(['running']);
      expect(
        names(
          (await server.call('GET', '/api/v1/workflows/argo?listOptions.fieldSelector=metadata.name=old'))
            .json,
        ),
      ).toEqual(['old']);
      const since = encodeURIComponent('spec.startedAt>2025-01-01T05:00:00Z');
      expect(
        names(
          (await server.call('GET', `/api/v1/workflows/argo?listOptions.fieldSelector=${since}`)).json,
        )?.sort(),
      ).toEqual(['pending', 'running']);
      const empty = await server.call(
        'GET',
        '/api/v1/workflows/argo?listOptions.labelSelector=platform-api/app=none',
      );
      expect(empty.text).toBe(`{"metadata":{"resourceVersion":"${store().resourceVersion}"},"items":null}`);
    });

    it('trims with fields=', async () => {
      const res = await server.call(
        'GET',
        '/api/v1/workflows/argo?listOptions.fieldSelector=metadata.name=new&fields=items.metadata.name,items.status.phase,metadata',
      );
      expect(res.json).toEqual({
        items: [{ metadata: { name: 'new' }, status: { phase: 'Succeeded' } }],
        metadata: { resourceVersion: store().resourceVersion },
      });
    });
  });

  describe('actions', () => {
    it.each([
      ['terminate', 'Terminate'],
      ['stop', 'Stop'],
    ])('%s sets spec.shutdown; on a completed workflow it is 500', async (action, strategy) => {
      store().create(Kinds.Workflow, workflow('live'));
      store().create(Kinds.Workflow, workflow('done', 'Succeeded'));
      const res = await server.call('PUT', `/api/v1/workflows/argo/live/${action}`, {});
      expect((res.json as Obj).spec.shutdown).toBe(strategy);
      expect((store().mustGet(Kinds.Workflow, 'argo', 'live').spec as Obj).shutdown).toBe(strategy);
      const done = await server.call('PUT', `/api/v1/workflows/argo/done/${action}`, {});
      expect(done.status).toBe(500);
      expect(done.json).toEqual({ code: 13, message: 'cannot shutdown a completed workflow' });
    });

    it('refuses to retry a workflow that is not Failed/Error', async () => {
      store().create(Kinds.Workflow, workflow('live'));
      const res = await server.call('PUT', '/api/v1/workflows/argo/live/retry', {
        restartSuccessful: false,
        nodeFieldSelector: '',
      });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ code: 3, message: 'workflow must be Failed/Error to retry' });
    });

    it('retries a failed workflow: failed pod nodes and their pods go, the rest resumes Running', async () => {
      const nodes = {
        f: {
          id: 'f',
          name: 'f',
          displayName: 'f',
          type: 'DAG',
          phase: 'Failed',
          message: 'child failed',
          children: ['f-1', 'f-2'],
          finishedAt: '2025-01-01T10:05:00Z',
        },
        'f-1': {
          id: 'f-1',
          name: 'f.a',
          displayName: 'a',
          type: 'Pod',
          phase: 'Succeeded',
          templateName: 'main',
        },
        'f-2': {
          id: 'f-2',
          name: 'f.b',
          displayName: 'b',
          type: 'Pod',
          phase: 'Failed',
          templateName: 'main',
          message: 'exit code 1',
        },
      };
      store().create(
        Kinds.Workflow,
        workflow('f', 'Failed', {
          spec: { entrypoint: 'main', arguments: { parameters: [{ name: 'ref', value: 'main' }] } },
          status: {
            phase: 'Failed',
            message: 'child failed',
            startedAt: '2025-01-01T10:00:00Z',
            finishedAt: '2025-01-01T10:05:00Z',
            nodes,
          },
        }),
      );
      const labels = { 'workflows.argoproj.io/workflow': 'f' };
      store().create(
        Kinds.Pod,
        pod('f-main-1', {
          labels,
          phase: 'Succeeded',
          annotations: { 'workflows.argoproj.io/node-id': 'f-1' },
        }),
      );
      store().create(
        Kinds.Pod,
        pod('f-main-2', { labels, phase: 'Failed', annotations: { 'workflows.argoproj.io/node-id': 'f-2' } }),
      );
      server.ctx.logs.append('argo', 'f-main-2', 'main', 'boom');

      const res = await server.call('PUT', '/api/v1/workflows/argo/f/retry', {
        restartSuccessful: false,
        nodeFieldSelector: '',
        parameters: ['ref=fix'],
      });
      expect(res.status).toBe(200);
      const wf = res.json as Obj;
      expect(wf.status.phase).toBe('Running');
      expect(wf.status.finishedAt).toBeNull();
      expect(wf.status.message).toBeUndefined();
      expect(Object.keys(wf.status.nodes as Obj).sort()).toEqual(['f', 'f-1']);
      expect(wf.status.nodes.f).toMatchObject({ phase: 'Running', children: ['f-1'], finishedAt: null });
      expect(wf.metadata.labels['workflows.argoproj.io/completed']).toBe('false');
      expect(wf.spec.arguments.parameters).toEqual([{ name: 'ref', value: 'fix' }]);
      expect(store().get(Kinds.Pod, 'argo', 'f-main-2')).toBeUndefined();
      expect(store().get(Kinds.Pod, 'argo', 'f-main-1')).toBeDefined();
      expect(server.ctx.logs.hasContainer('argo', 'f-main-2', 'main')).toBe(false);
    });

    it('resubmits as a new workflow with the same spec', async () => {
      const original = store().create(
        Kinds.Workflow,
        workflow('r', 'Failed', {
          metadata: { labels: { 'platform-api/app': 'x', 'workflows.argoproj.io/completed': 'true' } },
        }),
      );
      const res = await server.call('PUT', '/api/v1/workflows/argo/r/resubmit', { memoized: false });
      const wf = res.json as Obj;
      expect(wf.metadata.name).toMatch(/^r-[a-z0-9]{5}$/);
      expect(wf.spec).toEqual(original.spec);
      expect(wf.status).toBeUndefined();
      expect(wf.metadata.labels).toEqual({
        'platform-api/app': 'x',
        'workflows.argoproj.io/resubmitted-from-workflow': 'r',
      });
    });
  });

  it('lists, creates and gets workflow templates', async () => {
    const created = await server.call('POST', '/api/v1/workflow-templates/argo', {
      template: workflowTemplate('cd'),
    });
    expect(created.status).toBe(200);
    const list = await server.call('GET', '/api/v1/workflow-templates/argo');
    expect(((list.json as Obj).items as Obj[]).map((t) => t.metadata.name as string)).toEqual(['cd']);
    expect((await server.call('GET', '/api/v1/workflow-templates/argo/cd')).json).toEqual(created.json);
    expect((await server.call('GET', '/api/v1/workflow-templates/argo/nope')).status).toBe(404);
  });
});
