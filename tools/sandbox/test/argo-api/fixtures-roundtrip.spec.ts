import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/core/kube-object';
import { Kinds } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { Contract } from './support/contract';
import { appProject } from './support/factories';
import { startArgoCd, startArgoWorkflows } from './support/servers';
import { describeWithShared, SHARED_DIR } from './support/shared';
import { StreamReader } from './support/stream-reader';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Metadata the API server sets on create, and the type fields it adds where the file has none. */
function comparable(object: unknown, fixture: KubeObject): Obj {
  const copy = structuredClone(object) as Obj;
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'generation'])
    delete copy.metadata[field];
  if (fixture.metadata.namespace === undefined) delete copy.metadata.namespace;
  if (fixture.apiVersion === undefined) delete copy.apiVersion;
  if (fixture.kind === undefined) delete copy.kind;
  return copy;
}

function expected(fixture: KubeObject): Obj {
  return comparable(fixture, fixture);
}

/**
 * What the Argo CD the fixture came from had: its project (accepting the fixture's namespace) and
 * the cluster its destination names, as a cluster Secret. Without them Argo CD refuses the app.
 */
function provisionFor(ctx: SandboxContext, fixture: KubeObject): void {
  const spec = fixture.spec as { project?: string; destination?: { name?: string } };
  const project = spec.project ?? 'default';
  if (ctx.store.get(Kinds.AppProject, 'argocd', project) === undefined) {
    ctx.store.create(
      Kinds.AppProject,
      appProject(project, {
        destinations: [{ name: '*', server: '*', namespace: '*' }],
        sourceNamespaces: [fixture.metadata.namespace ?? 'argocd'],
      }),
    );
  }
  const cluster = spec.destination?.name;
  if (
    cluster !== undefined &&
    cluster !== 'in-cluster' &&
    ctx.store.get(Kinds.Secret, 'argocd', cluster) === undefined
  ) {
    ctx.store.create(Kinds.Secret, {
      metadata: {
        name: cluster,
        namespace: 'argocd',
        labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
      },
      stringData: { name: cluster, server: `https://${cluster}.example.com` },
    });
  }
}

function fixtures(folder: string): Array<[string, KubeObject]> {
  const dir = path.join(SHARED_DIR, 'fixtures', folder);
  // Collected even when the suite is skipped for a missing ../shared: nothing to read then.
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => [file, parse(readFileSync(path.join(dir, file), 'utf8')) as KubeObject]);
}

describeWithShared('real objects from ../shared/fixtures come back unchanged', () => {
  describe('Argo Workflows: create, then get, list and watch', () => {
    let server: Awaited<ReturnType<typeof startArgoWorkflows>>;
    let contract: Contract;
    beforeAll(async () => {
      server = await startArgoWorkflows({}, { keepaliveMs: 600_000 });
      contract = new Contract('argo-workflows.swagger.json');
    });
    afterAll(async () => {
      await server.close();
    });

    const cases = fixtures('argo-workflows');
    it.each(cases.filter(([file]) => file.startsWith('workflow-')))('%s', async (_file, fixture) => {
      const { call } = server;
      const namespace = fixture.metadata.namespace ?? 'default';
      const name = fixture.metadata.name ?? '';
      const created = await call('POST', `/api/v1/workflows/${namespace}`, {
        workflow: fixture,
        serverDryRun: false,
      });
      expect(created.status).toBe(200);
      expect(comparable(created.json, fixture)).toEqual(expected(fixture));
      const got = await call('GET', `/api/v1/workflows/${namespace}/${name}`);
      expect(comparable(got.json, fixture)).toEqual(expected(fixture));
      expect(contract.errors('get', '/api/v1/workflows/{namespace}/{name}', got.json)).toBe('');
      const list = await call(
        'GET',
        `/api/v1/workflows/${namespace}?listOptions.fieldSelector=metadata.name%3D${name}`,
      );
      expect(((list.json as Obj).items as Obj[]).map((item) => comparable(item, fixture))).toEqual([
        expected(fixture),
      ]);
      const watch = StreamReader.start(
        server.url,
        `/api/v1/workflow-events/${namespace}?listOptions.fieldSelector=metadata.name%3D${name}`,
        {
          Authorization: `Bearer ${server.ctx.config.argoToken}`,
          Accept: 'text/event-stream',
        },
      );
      const [event] = (await watch.waitForMessages(1)) as Obj[];
      watch.close();
      expect(event?.result.type).toBe('ADDED');
      expect(comparable(event?.result.object, fixture)).toEqual(expected(fixture));
    });

    it.each(cases.filter(([file]) => file.startsWith('workflowtemplate-')))('%s', async (_file, fixture) => {
      const { call } = server;
      const namespace = fixture.metadata.namespace ?? 'default';
      fixture.metadata.namespace = namespace;
      const created = await call('POST', `/api/v1/workflow-templates/${namespace}`, { template: fixture });
      expect(created.status).toBe(200);
      expect(comparable(created.json, fixture)).toEqual(expected(fixture));
      const got = await call('GET', `/api/v1/workflow-templates/${namespace}/${fixture.metadata.name ?? ''}`);
      expect(comparable(got.json, fixture)).toEqual(expected(fixture));
      expect(contract.errors('get', '/api/v1/workflow-templates/{namespace}/{name}', got.json)).toBe('');
      const list = (await call('GET', `/api/v1/workflow-templates/${namespace}`)).json as Obj;
      const listed = (list.items as Obj[]).find((item) => item.metadata.name === fixture.metadata.name);
      expect(comparable(listed, fixture)).toEqual(expected(fixture));
    });
  });

  describe('Argo CD: create (or store, for server-side fields), then get, list and watch', () => {
    let server: Awaited<ReturnType<typeof startArgoCd>>;
    let contract: Contract;
    beforeAll(async () => {
      server = await startArgoCd({ keepaliveMs: 600_000 });
      contract = new Contract('argo-cd.swagger.json');
    });
    afterAll(async () => {
      await server.close();
    });

    it.each(fixtures('argo-cd'))('%s', async (_file, fixture) => {
      const { call, ctx } = server;
      const name = fixture.metadata.name ?? '';
      // Apps outside Argo CD's own namespace are addressed with appNamespace.
      const ns = `appNamespace=${fixture.metadata.namespace ?? ''}`;
      provisionFor(ctx, fixture);
      // Create drops `operation` and the API server ignores deletionTimestamp: those go to the store.
      if (fixture.operation !== undefined || fixture.metadata.deletionTimestamp !== undefined) {
        ctx.store.create(Kinds.Application, fixture);
      } else {
        const created = await call('POST', '/api/v1/applications?validate=false', fixture);
        expect(created.status).toBe(200);
        expect(comparable(created.json, fixture)).toEqual(expected(fixture));
      }
      const got = await call('GET', `/api/v1/applications/${name}?${ns}`);
      expect(comparable(got.json, fixture)).toEqual(expected(fixture));
      expect(contract.errors('get', '/api/v1/applications/{name}', got.json)).toBe('');
      const list = (await call('GET', `/api/v1/applications?name=${name}`)).json as Obj;
      expect((list.items as Obj[]).map((item) => comparable(item, fixture))).toEqual([expected(fixture)]);
      const watch = StreamReader.start(server.url, `/api/v1/stream/applications?name=${name}&${ns}`, {
        Authorization: `Bearer ${server.token}`,
        Accept: 'text/event-stream',
      });
      const [event] = (await watch.waitForMessages(1)) as Obj[];
      watch.close();
      expect(event?.result.type).toBe('ADDED');
      expect(comparable(event?.result.application, fixture)).toEqual(expected(fixture));
    });
  });
});
