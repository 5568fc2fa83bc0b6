import { ConflictError, InvalidRequestError, NotFoundError, UnauthorizedError } from '@platform/errors';
import { Kinds } from '@platform/sandbox';
import { HttpTransport } from '../src/http/http-transport';
import { StaticToken } from '../src/http/token-provider';
import { HttpArgoWorkflows } from '../src/workflows/http-argo-workflows';
import { startSandboxArgo, type SandboxArgo } from './sandbox-argo';

const NS = 'argo';

describe(HttpArgoWorkflows.name, () => {
  let argo: SandboxArgo;

  beforeEach(async () => {
    argo = await startSandboxArgo();
    argo.ctx.store.create(Kinds.Namespace, { metadata: { name: NS } });
    argo.ctx.store.create(Kinds.WorkflowTemplate, {
      metadata: { name: 'ci', namespace: NS },
      spec: {
        entrypoint: 'main',
        arguments: { parameters: [{ name: 'app' }, { name: 'ref', value: 'main' }] },
        templates: [{ name: 'main', container: { image: 'alpine', command: ['true'] } }],
      },
    });
  });
  afterEach(() => argo.close());

  const finished = (name: string, phase: string, finishedAt: string) =>
    argo.ctx.store.create(Kinds.Workflow, {
      metadata: {
        name,
        namespace: NS,
        labels: { 'platform-api/app': 'shop', 'workflows.argoproj.io/completed': 'true' },
      },
      spec: { entrypoint: 'main' },
      status: { phase, startedAt: '2026-11-26T09:00:00Z', finishedAt },
    });

  it('submits from a template with parameters, labels and the template label', async () => {
    const wf = await argo.workflows.submit(NS, {
      template: 'ci',
      generateName: 'ci-shop-',
      parameters: { app: 'shop', ref: 'v1.2' },
      labels: { 'platform-api/app': 'shop', 'platform-api/task-type': 'ci' },
    });
    expect(wf.metadata.name).toMatch(/^ci-shop-[a-z0-9]{5}$/);
    expect(wf.metadata.labels).toMatchObject({
      'platform-api/app': 'shop',
      'platform-api/task-type': 'ci',
      'workflows.argoproj.io/workflow-template': 'ci',
    });
    expect(wf.spec.arguments?.parameters).toEqual(
      expect.arrayContaining([
        { name: 'app', value: 'shop' },
        { name: 'ref', value: 'v1.2' },
      ]),
    );
    const got = await argo.workflows.get(NS, wf.metadata.name ?? '');
    expect(got.metadata.uid).toBe(wf.metadata.uid);
  });

  it('submits under an exact name once: the second submit of that name is a Conflict', async () => {
    const options = { template: 'ci', name: 'shop-ci-0123456789', parameters: { app: 'shop' } };
    const wf = await argo.workflows.submit(NS, options);
    expect(wf.metadata.name).toBe('shop-ci-0123456789');
    await expect(argo.workflows.submit(NS, options)).rejects.toBeInstanceOf(ConflictError);
    expect(argo.ctx.store.list(Kinds.Workflow, { namespace: NS }).items).toHaveLength(1);
  });

  it('tells the call observer about every unary call with its outcome and duration', async () => {
    const calls: Array<{ upstream: string; method: string; outcome: string; seconds: number }> = [];
    const observed = new HttpArgoWorkflows(
      new HttpTransport({
        upstream: 'ARGO_WORKFLOWS',
        baseUrl: argo.argoUrl,
        auth: new StaticToken(argo.ctx.config.argoToken),
        onCall: (call) => calls.push(call),
      }),
    );
    await observed.list(NS);
    await expect(observed.get(NS, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    expect(calls.map(({ upstream, method, outcome }) => ({ upstream, method, outcome }))).toEqual([
      { upstream: 'ARGO_WORKFLOWS', method: 'GET', outcome: 'ok' },
      { upstream: 'ARGO_WORKFLOWS', method: 'GET', outcome: 'not-found' },
    ]);
    expect(calls.every((c) => c.seconds > 0 && c.seconds < 10)).toBe(true);
  });

  it('maps a missing template and workflow to NotFound and a bad token to Unauthorized', async () => {
    await expect(argo.workflows.submit(NS, { template: 'nope' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(argo.workflows.get(NS, 'nope')).rejects.toMatchObject({ code: 'ARGO_WORKFLOWS_NOT_FOUND' });
    const intruder = new HttpArgoWorkflows(
      new HttpTransport({
        upstream: 'ARGO_WORKFLOWS',
        baseUrl: argo.argoUrl,
        auth: new StaticToken('wrong'),
      }),
    );
    await expect(intruder.list(NS)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('lists with a selector, unfinished first then newest finished, paged by integer offset, with fields', async () => {
    finished('old', 'Succeeded', '2026-11-26T09:01:00Z');
    finished('new', 'Failed', '2026-11-26T09:05:00Z');
    argo.ctx.store.create(Kinds.Workflow, {
      metadata: { name: 'running', namespace: NS, labels: { 'platform-api/app': 'shop' } },
      spec: {},
      status: { phase: 'Running', startedAt: '2026-11-26T09:00:00Z', finishedAt: null },
    });
    const all = await argo.workflows.list(NS, { labelSelector: 'platform-api/app=shop' });
    expect(all.items?.map((w) => w.metadata.name)).toEqual(['running', 'new', 'old']);
    const first = await argo.workflows.list(NS, { labelSelector: 'platform-api/app=shop', limit: 2 });
    expect(first.items?.map((w) => w.metadata.name)).toEqual(['running', 'new']);
    expect(first.metadata.continue).toBe('2');
    const second = await argo.workflows.list(NS, {
      labelSelector: 'platform-api/app=shop',
      limit: 2,
      continue: first.metadata.continue,
    });
    expect(second.items?.map((w) => w.metadata.name)).toEqual(['old']);
    const trimmed = await argo.workflows.list(NS, { fields: 'items.metadata.name,items.status.phase' });
    expect(trimmed.items?.[0]).toEqual({ metadata: { name: 'running' }, status: { phase: 'Running' } });
    await expect(argo.workflows.list(NS, { continue: 'abc' })).rejects.toBeInstanceOf(InvalidRequestError);
    expect((await argo.workflows.list('empty-namespace')).items).toEqual([]);
  });

  it('terminates and stops running workflows, refuses to retry a running one, resubmits and deletes', async () => {
    argo.ctx.store.create(Kinds.Workflow, {
      metadata: { name: 'r1', namespace: NS },
      spec: {},
      status: { phase: 'Running' },
    });
    expect((await argo.workflows.terminate(NS, 'r1')).spec.shutdown).toBe('Terminate');
    argo.ctx.store.create(Kinds.Workflow, {
      metadata: { name: 'r2', namespace: NS },
      spec: {},
      status: { phase: 'Running' },
    });
    expect((await argo.workflows.stop(NS, 'r2')).spec.shutdown).toBe('Stop');
    await expect(argo.workflows.retry(NS, 'r2')).rejects.toBeInstanceOf(InvalidRequestError);
    finished('done', 'Succeeded', '2026-11-26T09:01:00Z');
    await expect(argo.workflows.terminate(NS, 'done')).rejects.toMatchObject({
      message: 'cannot shutdown a completed workflow',
    });
    const again = await argo.workflows.resubmit(NS, 'done');
    expect(again.metadata.name).toMatch(/^done-/);
    await argo.workflows.delete(NS, 'done');
    await expect(argo.workflows.get(NS, 'done')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('retries a failed workflow', async () => {
    finished('failed', 'Failed', '2026-11-26T09:01:00Z');
    const retried = await argo.workflows.retry(NS, 'failed');
    expect(retried.status?.phase).toBe('Running');
  });

  it('reads workflow templates', async () => {
    expect((await argo.workflows.listTemplates(NS)).map((t) => t.metadata.name)).toEqual(['ci']);
    expect((await argo.workflows.getTemplate(NS, 'ci')).spec.entrypoint).toBe('main');
  });

  it('surfaces a conflict on create', async () => {
    const wf = {
      metadata: { name: 'fixed', namespace: NS },
      spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine' } }] },
    };
    await argo.workflows.create(NS, wf);
    await expect(argo.workflows.create(NS, wf)).rejects.toBeInstanceOf(ConflictError);
  });
});
