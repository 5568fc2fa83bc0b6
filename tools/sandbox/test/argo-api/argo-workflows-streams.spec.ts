import { Kinds } from '../../src/core/resource-kinds';
import { pod, workflow } from './support/factories';
import { startArgoWorkflows } from './support/servers';
import { StreamReader } from './support/stream-reader';
import { until } from './support/until';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Argo Workflows server streams', () => {
  let server: Awaited<ReturnType<typeof startArgoWorkflows>>;
  const readers: StreamReader[] = [];
  const open = async (path: string, sse = true): Promise<StreamReader> => {
    const reader = await StreamReader.open(server.url, path, {
      Authorization: `Bearer ${server.ctx.config.argoToken}`,
      ...(sse ? { Accept: 'text/event-stream' } : {}),
    });
    readers.push(reader);
    return reader;
  };
  const store = () => server.ctx.store;

  beforeEach(async () => {
    server = await startArgoWorkflows({}, { keepaliveMs: 600_000 });
  });
  afterEach(async () => {
    for (const reader of readers.splice(0)) reader.close();
    await server.close();
  });

  describe('workflow-events', () => {
    it('sends current workflows as ADDED, then live changes', async () => {
      store().create(Kinds.Workflow, workflow('a'));
      const reader = await open('/api/v1/workflow-events/argo');
      await reader.waitForMessages(1);
      store().mutate(Kinds.Workflow, 'argo', 'a', (wf) => ((wf.status as Obj).phase = 'Succeeded'));
      store().delete(Kinds.Workflow, 'argo', 'a');
      const messages = (await reader.waitForMessages(3)) as Obj[];
      expect(messages.map((m) => m.result.type as string)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      expect(messages[1]?.result.object.status.phase).toBe('Succeeded');
    });

    it('resumes after a resourceVersion without sending current objects again', async () => {
      const a = store().create(Kinds.Workflow, workflow('a'));
      store().create(Kinds.Workflow, workflow('b'));
      const reader = await open(
        `/api/v1/workflow-events/argo?listOptions.resourceVersion=${a.metadata.resourceVersion ?? ''}`,
      );
      const messages = (await reader.waitForMessages(1)) as Obj[];
      expect(messages[0]?.result).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'b' } } });
    });

    it('filters by label and by metadata.name', async () => {
      store().create(
        Kinds.Workflow,
        workflow('x', 'Running', { metadata: { labels: { 'platform-api/app': 'x' } } }),
      );
      store().create(Kinds.Workflow, workflow('y'));
      const byLabel = await open(
        '/api/v1/workflow-events/argo?listOptions.labelSelector=platform-api/app%3Dx',
      );
      const byName = await open('/api/v1/workflow-events/argo?listOptions.fieldSelector=metadata.name%3Dy');
      expect(((await byLabel.waitForMessages(1)) as Obj[])[0]?.result.object.metadata.name).toBe('x');
      expect(((await byName.waitForMessages(1)) as Obj[])[0]?.result.object.metadata.name).toBe('y');
      store().create(
        Kinds.Workflow,
        workflow('x2', 'Running', { metadata: { labels: { 'platform-api/app': 'x' } } }),
      );
      await byLabel.waitForMessages(2);
      expect(byName.messages).toHaveLength(1);
    });

    it('fails a resume with 400 "too old resource version" under force410', async () => {
      server.ctx.faults.set('argo', { force410: true });
      const reader = await open('/api/v1/workflow-events/argo?listOptions.resourceVersion=1');
      await reader.waitForEnd();
      expect(reader.status).toBe(400);
      expect(reader.messages).toEqual([
        {
          error: {
            grpc_code: 3,
            http_code: 400,
            message: expect.stringMatching(/^too old resource version: 1 \(\d+\)$/),
            http_status: 'Bad Request',
          },
        },
      ]);
    });

    it('refuses field selectors the API server does not support on workflows', async () => {
      const reader = await open(
        '/api/v1/workflow-events/argo?listOptions.fieldSelector=status.phase%3DRunning',
      );
      await reader.waitForEnd();
      expect(reader.status).toBe(400);
      expect(reader.messages).toEqual([
        {
          error: {
            grpc_code: 3,
            http_code: 400,
            message: 'field label not supported: status.phase',
            http_status: 'Bad Request',
          },
        },
      ]);
    });
  });

  describe('workflow logs', () => {
    const labels = { 'workflows.argoproj.io/workflow': 'w' };
    const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 10, 0, second));

    it('sends every pod’s lines in time order as {content, podName} and ends', async () => {
      store().create(Kinds.Workflow, workflow('w', 'Succeeded'));
      store().create(Kinds.Pod, pod('w-build-1', { labels, phase: 'Succeeded' }));
      store().create(Kinds.Pod, pod('w-test-2', { labels, phase: 'Running' }));
      store().create(Kinds.Pod, pod('w-later-3', { labels, phase: 'Pending' }));
      server.ctx.logs.append('argo', 'w-build-1', 'main', 'compiling', at(1));
      server.ctx.logs.append('argo', 'w-test-2', 'main', 'testing', at(2));
      server.ctx.logs.append('argo', 'w-build-1', 'main', 'linking\n', at(3));
      server.ctx.logs.append('argo', 'w-build-1', 'wait', 'waiting', at(4));
      server.ctx.logs.append('argo', 'w-later-3', 'main', 'not yet', at(5));
      const reader = await open('/api/v1/workflows/argo/w/log?logOptions.container=main');
      await reader.waitForEnd();
      expect(reader.status).toBe(200);
      expect(reader.messages).toEqual([
        { result: { podName: 'w-build-1', content: 'compiling' } },
        { result: { podName: 'w-test-2', content: 'testing' } },
        { result: { podName: 'w-build-1', content: 'linking' } },
      ]);
    });

    it('narrows to one pod with podName', async () => {
      store().create(Kinds.Workflow, workflow('w', 'Succeeded'));
      store().create(Kinds.Pod, pod('w-a', { labels, phase: 'Succeeded' }));
      store().create(Kinds.Pod, pod('w-b', { labels, phase: 'Succeeded' }));
      server.ctx.logs.append('argo', 'w-a', 'main', 'from a');
      server.ctx.logs.append('argo', 'w-b', 'main', 'from b');
      const reader = await open('/api/v1/workflows/argo/w/log?logOptions.container=main&podName=w-b', false);
      await reader.waitForEnd();
      expect(reader.headers['content-type']).toBe('application/json');
      expect(reader.body).toBe('{"result":{"podName":"w-b","content":"from b"}}\n');
    });

    it('follows new lines and new pods, and ends cleanly when the workflow completes', async () => {
      store().create(Kinds.Workflow, workflow('w'));
      store().create(Kinds.Pod, pod('w-a', { labels }));
      server.ctx.logs.append('argo', 'w-a', 'main', 'first');
      const reader = await open(
        '/api/v1/workflows/argo/w/log?logOptions.container=main&logOptions.follow=true',
      );
      await reader.waitForMessages(1);
      server.ctx.logs.append('argo', 'w-a', 'main', 'second');
      store().create(Kinds.Pod, pod('w-b', { labels, phase: 'Pending' }));
      store().mutate(Kinds.Pod, 'argo', 'w-b', (p) => ((p.status as Obj).phase = 'Running'));
      server.ctx.logs.append('argo', 'w-b', 'main', 'third');
      await reader.waitForMessages(3);
      server.ctx.logs.end('argo', 'w-a', 'main');
      store().mutate(Kinds.Pod, 'argo', 'w-b', (p) => ((p.status as Obj).phase = 'Succeeded'));
      store().mutate(Kinds.Workflow, 'argo', 'w', (wf) => ((wf.status as Obj).phase = 'Succeeded'));
      await reader.waitForEnd();
      expect(reader.status).toBe(200);
      expect((reader.messages as Obj[]).map((m) => `${m.result.podName}:${m.result.content}`)).toEqual([
        'w-a:first',
        'w-a:second',
        'w-b:third',
      ]);
      expect(reader.body.endsWith(' \n\n\n')).toBe(true);
      await until(() => server.ctx.faults.openStreams('argo').length === 0);
    });

    it('fails with 404 when the workflow does not exist', async () => {
      const reader = await open('/api/v1/workflows/argo/nope/log?logOptions.container=main');
      await reader.waitForEnd();
      expect(reader.status).toBe(404);
      expect(reader.messages).toEqual([
        {
          error: {
            grpc_code: 5,
            http_code: 404,
            message: 'workflows.argoproj.io "nope" not found',
            http_status: 'Not Found',
          },
        },
      ]);
    });
  });

  it('streams the Events of one workflow selected by field selector', async () => {
    const wf = store().create(Kinds.Workflow, workflow('w'));
    const other = store().create(Kinds.Workflow, workflow('other'));
    server.ctx.events.record(wf, 'Normal', 'WorkflowRunning', 'Workflow Running', 'workflow-controller');
    server.ctx.events.record(other, 'Normal', 'WorkflowRunning', 'Workflow Running', 'workflow-controller');
    const reader = await open(
      '/api/v1/stream/events/argo?listOptions.fieldSelector=involvedObject.kind%3DWorkflow,involvedObject.name%3Dw',
    );
    await reader.waitForMessages(1);
    server.ctx.events.record(wf, 'Normal', 'WorkflowSucceeded', 'Workflow completed', 'workflow-controller');
    const messages = (await reader.waitForMessages(2)) as Obj[];
    expect(messages.map((m) => m.result.reason as string)).toEqual(['WorkflowRunning', 'WorkflowSucceeded']);
    expect(messages[0]?.result.involvedObject).toMatchObject({ kind: 'Workflow', name: 'w' });
  });
});
