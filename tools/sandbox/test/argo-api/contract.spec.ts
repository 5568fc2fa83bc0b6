import { Kinds } from '../../src/core/resource-kinds';
import { Contract } from './support/contract';
import { application, createRollout, pod, workflow, workflowTemplate } from './support/factories';
import { makeRepo } from './support/git-repo';
import type { HttpResult } from './support/raw-http';
import { startArgoCd, startArgoWorkflows } from './support/servers';
import { describeWithShared } from './support/shared';
import { StreamReader } from './support/stream-reader';
import { until } from './support/until';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Checks a unary response against the operation's 200 schema, or its default (error) schema. */
function expectUnary(
  contract: Contract,
  method: string,
  specPath: string,
  res: HttpResult,
  status = 200,
  trimmed = false,
): void {
  expect(res.status).toBe(status);
  expect(contract.errors(method, specPath, res.json, status === 200 ? '200' : 'default', trimmed)).toBe('');
}

/** Checks every message of a stream (results and error frames) against the stream schema. */
function expectStream(contract: Contract, specPath: string, reader: StreamReader, atLeast: number): void {
  expect(reader.messages.length).toBeGreaterThanOrEqual(atLeast);
  for (const message of reader.messages) expect(contract.errors('get', specPath, message)).toBe('');
}

describeWithShared('responses validate against the official OpenAPI specs', () => {
  describe('Argo Workflows (argo-workflows.swagger.json)', () => {
    let server: Awaited<ReturnType<typeof startArgoWorkflows>>;
    let contract: Contract;
    beforeAll(() => {
      contract = new Contract('argo-workflows.swagger.json');
    });
    beforeEach(async () => {
      server = await startArgoWorkflows({ watchTimeoutMs: 100 }, { keepaliveMs: 600_000 });
    });
    afterEach(async () => {
      await server.close();
    });
    const stream = (path: string) =>
      StreamReader.start(server.url, path, {
        Authorization: `Bearer ${server.ctx.config.argoToken}`,
        Accept: 'text/event-stream',
      });

    it('version, templates, submit, create, lint, get, list and delete', async () => {
      const { call } = server;
      expectUnary(contract, 'get', '/api/v1/version', await call('GET', '/api/v1/version'));
      const base = '/api/v1/workflow-templates/{namespace}';
      expectUnary(
        contract,
        'post',
        base,
        await call('POST', '/api/v1/workflow-templates/argo', { template: workflowTemplate('ci') }),
      );
      expectUnary(
        contract,
        'post',
        `${base}/lint`,
        await call('POST', '/api/v1/workflow-templates/argo/lint', { template: workflowTemplate('x') }),
      );
      expectUnary(contract, 'get', base, await call('GET', '/api/v1/workflow-templates/argo'));
      const template = await call('GET', '/api/v1/workflow-templates/argo/ci');
      expectUnary(contract, 'get', `${base}/{name}`, template);
      expectUnary(
        contract,
        'put',
        `${base}/{name}`,
        await call('PUT', '/api/v1/workflow-templates/argo/ci', { template: template.json }),
      );
      expectUnary(
        contract,
        'get',
        `${base}/{name}`,
        await call('GET', '/api/v1/workflow-templates/argo/nope'),
        404,
      );

      const submitted = await call('POST', '/api/v1/workflows/argo/submit', {
        resourceKind: 'WorkflowTemplate',
        resourceName: 'ci',
        submitOptions: { parameters: ['app=web'], labels: 'a=b' },
      });
      expectUnary(contract, 'post', '/api/v1/workflows/{namespace}/submit', submitted);
      expectUnary(
        contract,
        'post',
        '/api/v1/workflows/{namespace}/submit',
        await call('POST', '/api/v1/workflows/argo/submit', {
          resourceKind: 'WorkflowTemplate',
          resourceName: 'ci',
        }),
        400,
      );
      expectUnary(
        contract,
        'post',
        '/api/v1/workflows/{namespace}',
        await call('POST', '/api/v1/workflows/argo', {
          workflow: workflow('done', 'Succeeded'),
          serverDryRun: false,
        }),
      );
      expectUnary(
        contract,
        'post',
        '/api/v1/workflows/{namespace}/lint',
        await call('POST', '/api/v1/workflows/argo/lint', { workflow: workflow('x') }),
      );

      const list = '/api/v1/workflows/{namespace}';
      expectUnary(contract, 'get', list, await call('GET', '/api/v1/workflows/argo'));
      expectUnary(contract, 'get', list, await call('GET', '/api/v1/workflows/argo?listOptions.limit=1'));
      expectUnary(
        contract,
        'get',
        list,
        await call('GET', '/api/v1/workflows/argo?listOptions.labelSelector=none%3Dx'),
      );
      expectUnary(
        contract,
        'get',
        list,
        await call('GET', '/api/v1/workflows/argo?fields=items.metadata.name,items.status.phase,metadata'),
        200,
        true,
      );
      expectUnary(
        contract,
        'get',
        list,
        await call('GET', '/api/v1/workflows/argo?listOptions.continue=x'),
        400,
      );
      expectUnary(contract, 'get', `${list}/{name}`, await call('GET', '/api/v1/workflows/argo/done'));
      expectUnary(
        contract,
        'get',
        `${list}/{name}`,
        await call('GET', '/api/v1/workflows/argo/done?fields=metadata.name'),
        200,
        true,
      );
      expectUnary(contract, 'get', `${list}/{name}`, await call('GET', '/api/v1/workflows/argo/nope'), 404);
      expectUnary(
        contract,
        'get',
        list,
        await call('GET', '/api/v1/workflows/argo', undefined, { Authorization: 'Bearer x' }),
        401,
      );
      expectUnary(contract, 'delete', `${list}/{name}`, await call('DELETE', '/api/v1/workflows/argo/done'));
      expectUnary(
        contract,
        'delete',
        `${base}/{name}`,
        await call('DELETE', '/api/v1/workflow-templates/argo/ci'),
      );
    });

    it('terminate, stop, suspend, resume, retry and resubmit', async () => {
      const { call, ctx } = server;
      for (const name of ['t', 's', 'p']) ctx.store.create(Kinds.Workflow, workflow(name));
      ctx.store.create(
        Kinds.Workflow,
        workflow('failed', 'Failed', {
          status: {
            phase: 'Failed',
            finishedAt: '2025-01-01T00:00:00Z',
            nodes: { failed: { id: 'failed', name: 'failed', type: 'Pod', phase: 'Failed' } },
          },
        }),
      );
      const action = (name: string, verb: string, body: unknown = {}) =>
        call('PUT', `/api/v1/workflows/argo/${name}/${verb}`, body);
      const path = (verb: string) => `/api/v1/workflows/{namespace}/{name}/${verb}`;
      expectUnary(contract, 'put', path('terminate'), await action('t', 'terminate'));
      expectUnary(contract, 'put', path('stop'), await action('s', 'stop'));
      expectUnary(contract, 'put', path('suspend'), await action('p', 'suspend'));
      expectUnary(contract, 'put', path('resume'), await action('p', 'resume'));
      expectUnary(contract, 'put', path('terminate'), await action('failed', 'terminate'), 500);
      expectUnary(contract, 'put', path('retry'), await action('t', 'retry'), 400);
      expectUnary(
        contract,
        'put',
        path('retry'),
        await action('failed', 'retry', { restartSuccessful: false, nodeFieldSelector: '' }),
      );
      expectUnary(contract, 'put', path('resubmit'), await action('failed', 'resubmit', { memoized: false }));
    });

    it('workflow-events, events and log streams, with their error frames', async () => {
      const { ctx } = server;
      const wf = ctx.store.create(Kinds.Workflow, workflow('w'));
      ctx.events.record(wf, 'Normal', 'WorkflowRunning', 'Workflow Running', 'workflow-controller');
      const labels = { 'workflows.argoproj.io/workflow': 'w' };
      ctx.store.create(Kinds.Pod, pod('w-main-1', { labels, phase: 'Succeeded' }));
      ctx.logs.append('argo', 'w-main-1', 'main', 'hello\nworld');

      const watch = stream('/api/v1/workflow-events/argo');
      const events = stream('/api/v1/stream/events/argo');
      await until(() => ctx.faults.openStreams('argo').length === 2);
      ctx.store.mutate(Kinds.Workflow, 'argo', 'w', (o) => ((o.status as Obj).phase = 'Succeeded'));
      ctx.store.delete(Kinds.Workflow, 'argo', 'w');
      await watch.waitForEnd(); // the idle timeout ends it with the EOF error frame
      await events.waitForEnd();
      expectStream(contract, '/api/v1/workflow-events/{namespace}', watch, 4);
      expectStream(contract, '/api/v1/stream/events/{namespace}', events, 2);

      ctx.store.create(Kinds.Workflow, workflow('w', 'Succeeded'));
      const logs = stream('/api/v1/workflows/argo/w/log?logOptions.container=main');
      const podLogs = stream('/api/v1/workflows/argo/w/w-main-1/log?logOptions.container=main');
      const missing = stream('/api/v1/workflows/argo/nope/log?logOptions.container=main');
      await Promise.all([logs.waitForEnd(), podLogs.waitForEnd(), missing.waitForEnd()]);
      expectStream(contract, '/api/v1/workflows/{namespace}/{name}/log', logs, 2);
      expectStream(contract, '/api/v1/workflows/{namespace}/{name}/{podName}/log', podLogs, 2);
      expectStream(contract, '/api/v1/workflows/{namespace}/{name}/log', missing, 1);
    });
  });

  describe('Argo CD (argo-cd.swagger.json)', () => {
    let server: Awaited<ReturnType<typeof startArgoCd>>;
    let contract: Contract;
    let repo: { url: string; sha: string };
    beforeAll(() => {
      contract = new Contract('argo-cd.swagger.json');
      repo = makeRepo();
    });
    beforeEach(async () => {
      server = await startArgoCd({ keepaliveMs: 600_000 });
    });
    afterEach(async () => {
      await server.close();
    });
    const stream = (path: string) =>
      StreamReader.start(server.url, path, {
        Authorization: `Bearer ${server.token}`,
        Accept: 'text/event-stream',
      });

    it('session, version, applications, sync, operation, tree, events and delete', async () => {
      const { call, ctx } = server;
      const session = '/api/v1/session';
      expectUnary(
        contract,
        'post',
        session,
        await call('POST', session, { username: 'admin', password: 'sandbox' }),
      );
      expectUnary(
        contract,
        'post',
        session,
        await call('POST', session, { username: 'admin', password: 'no' }),
        401,
      );
      expectUnary(contract, 'get', `${session}/userinfo`, await call('GET', `${session}/userinfo`));
      expectUnary(contract, 'get', '/api/version', await call('GET', '/api/version'));

      const apps = '/api/v1/applications';
      expectUnary(
        contract,
        'post',
        apps,
        await call('POST', `${apps}?upsert=true&validate=true`, application('web', repo.url)),
      );
      const changed = application('web', repo.url, {
        metadata: { labels: { x: 'y' } },
        spec: {
          project: 'default',
          source: { repoURL: repo.url, path: 'other' },
          destination: { name: 'in-cluster', namespace: 'web-dev' },
        },
      });
      expectUnary(contract, 'post', apps, await call('POST', apps, changed), 400);
      expectUnary(contract, 'get', apps, await call('GET', apps));
      expectUnary(contract, 'get', apps, await call('GET', `${apps}?fields=items.metadata.name`), 200, true);
      const current = await call('GET', `${apps}/web`);
      expectUnary(contract, 'get', `${apps}/{name}`, current);
      expectUnary(contract, 'get', `${apps}/{name}`, await call('GET', `${apps}/nope`), 403);
      expectUnary(
        contract,
        'put',
        `${apps}/{application.metadata.name}`,
        await call('PUT', `${apps}/web?validate=false`, current.json),
      );
      expectUnary(
        contract,
        'post',
        `${apps}/{name}/sync`,
        await call('POST', `${apps}/web/sync`, { revision: 'main', prune: true, strategy: { hook: {} } }),
      );
      expectUnary(contract, 'post', `${apps}/{name}/sync`, await call('POST', `${apps}/web/sync`, {}), 400);
      ctx.store.mutate(
        Kinds.Application,
        'argocd',
        'web',
        (a) => (a.status = { operationState: { phase: 'Running', startedAt: '2025-01-01T00:00:00Z' } }),
      );
      expectUnary(
        contract,
        'delete',
        `${apps}/{name}/operation`,
        await call('DELETE', `${apps}/web/operation`),
      );

      createRollout(ctx.store, 'web', 'web-dev');
      expectUnary(
        contract,
        'get',
        `${apps}/{applicationName}/resource-tree`,
        await call('GET', `${apps}/web/resource-tree`),
      );
      expectUnary(contract, 'get', `${apps}/{name}/events`, await call('GET', `${apps}/web/events`));
      expectUnary(contract, 'delete', `${apps}/{name}`, await call('DELETE', `${apps}/web?cascade=false`));
      expectUnary(contract, 'delete', session, await call('DELETE', session));
    });

    it('projects: list, get, a missing one and create', async () => {
      const { call } = server;
      expectUnary(contract, 'get', '/api/v1/projects', await call('GET', '/api/v1/projects'));
      expectUnary(contract, 'get', '/api/v1/projects/{name}', await call('GET', '/api/v1/projects/default'));
      expectUnary(
        contract,
        'get',
        '/api/v1/projects/{name}',
        await call('GET', '/api/v1/projects/nope'),
        404,
      );
      const team = {
        metadata: { name: 'team' },
        spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: 'team-dev' }] },
      };
      expectUnary(
        contract,
        'post',
        '/api/v1/projects',
        await call('POST', '/api/v1/projects', { project: team }),
      );
      expectUnary(contract, 'post', '/api/v1/projects', await call('POST', '/api/v1/projects', {}), 400);
    });

    it('watch, resource-tree stream and logs, with their error frames', async () => {
      const { ctx } = server;
      ctx.store.create(Kinds.Application, application('web', repo.url));
      const { pod: created } = createRollout(ctx.store, 'web', 'web-dev');
      ctx.logs.append('web-dev', created.metadata.name ?? '', 'main', 'ready');

      const watch = stream('/api/v1/stream/applications');
      const tree = stream('/api/v1/stream/applications/web/resource-tree');
      const denied = stream('/api/v1/stream/applications/nope/resource-tree');
      await until(() => ctx.faults.openStreams('argocd').length === 2);
      ctx.store.mutate(
        Kinds.Pod,
        'web-dev',
        created.metadata.name ?? '',
        (p) => ((p.status as Obj).phase = 'Succeeded'),
      );
      ctx.store.mutate(
        Kinds.Application,
        'argocd',
        'web',
        (a) => (a.status = { sync: { status: 'Synced' }, health: { status: 'Healthy' } }),
      );
      await watch.waitForMessages(2);
      await tree.waitForMessages(1);
      await denied.waitForEnd();
      expectStream(contract, '/api/v1/stream/applications', watch, 2);
      expectStream(contract, '/api/v1/stream/applications/{applicationName}/resource-tree', tree, 1);
      expectStream(contract, '/api/v1/stream/applications/{applicationName}/resource-tree', denied, 1);

      const logs = stream('/api/v1/applications/web/logs?container=main');
      const podLogs = stream(
        `/api/v1/applications/web/pods/${created.metadata.name ?? ''}/logs?container=main`,
      );
      const badContainer = stream('/api/v1/applications/web/logs?container=nope');
      await Promise.all([logs.waitForEnd(), podLogs.waitForEnd(), badContainer.waitForEnd()]);
      expectStream(contract, '/api/v1/applications/{name}/logs', logs, 2);
      expectStream(contract, '/api/v1/applications/{name}/pods/{podName}/logs', podLogs, 2);
      expectStream(contract, '/api/v1/applications/{name}/logs', badContainer, 2);
      watch.close();
      tree.close();
    });
  });
});
