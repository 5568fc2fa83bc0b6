// What kubectl asks of the API server beyond plain lists and writes, checked on the wire:
// Table negotiation, field validation, OpenAPI v3 and the request body formats.
import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, type KubeHarness, podObject, raw, startKube } from './harness';
import { openStream } from './raw-stream';

const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

interface Table {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string };
  columnDefinitions?: Array<{ name: string; priority: number }>;
  rows: Array<{ cells: unknown[]; object: { kind?: string; metadata?: { name: string } } | null }>;
}

describe('the API surface kubectl uses, on the wire', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube();
    createNamespace(h.ctx, 'team-a');
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'web'));
  });
  afterEach(() => h.close());

  test('a list asked as a Table: the printer columns (wide ones with priority 1) and row metadata', async () => {
    const res = await raw(`${h.url}/api/v1/namespaces/team-a/pods`, { headers: { accept: TABLE } });
    const table = res.json() as Table;
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(table.columnDefinitions?.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Ready:0',
      'Status:0',
      'Restarts:0',
      'Age:0',
      'IP:1',
      'Node:1',
      'Nominated Node:1',
      'Readiness Gates:1',
    ]);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]?.cells.slice(0, 4)).toEqual(['web', '0/1', 'Running', '0']);
    expect(table.rows[0]?.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'web', namespace: 'team-a' },
    });
    const full = await raw(`${h.url}/api/v1/namespaces/team-a/pods?includeObject=Object`, {
      headers: { accept: TABLE },
    });
    expect((full.json() as Table).rows[0]?.object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', spec: {} });
    const bad = await raw(`${h.url}/api/v1/namespaces/team-a/pods?includeObject=All`, {
      headers: { accept: TABLE },
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ message: 'unrecognized includeObject value: "All"' });
  });

  test('a watch asked as a Table sends one-row Tables, the column definitions with the first only', async () => {
    const stream = await openStream(`${h.url}/api/v1/namespaces/team-a/pods?watch=1`, { accept: TABLE });
    try {
      h.ctx.store.create(Kinds.Pod, podObject('team-a', 'api'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await waitLines(stream.lines, 2);
      const events = stream.lines().map((line) => JSON.parse(line) as { type: string; object: Table });
      expect(events.map((e) => [e.type, e.object.kind, e.object.rows[0]?.cells[0]])).toEqual([
        ['ADDED', 'Table', 'web'],
        ['ADDED', 'Table', 'api'],
      ]);
      expect(events[0]?.object.columnDefinitions).toHaveLength(9);
      expect(events[1]?.object.columnDefinitions).toBeUndefined();
    } finally {
      stream.close();
    }
  });

  test('nothing acceptable in Accept is 406 NotAcceptable', async () => {
    const res = await raw(`${h.url}/api/v1/namespaces/team-a/pods`, {
      headers: { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' },
    });
    expect(res.status).toBe(406);
    expect(res.json()).toMatchObject({ reason: 'NotAcceptable', code: 406 });
  });

  test('fieldValidation=Strict refuses unknown fields with the decoder message; Warn drops them with a warning', async () => {
    const path = `${h.url}/api/v1/namespaces/team-a/configmaps`;
    const body = JSON.stringify({ metadata: { name: 'c', colour: 'red' }, data: {}, extra: 1 });
    const headers = { 'content-type': 'application/json' };
    const strict = await raw(`${path}?fieldValidation=Strict`, { method: 'POST', headers, body });
    expect(strict.status).toBe(400);
    expect(strict.json()).toMatchObject({
      reason: 'BadRequest',
      message: 'strict decoding error: unknown field "extra", unknown field "metadata.colour"',
    });
    const warned = await raw(path, { method: 'POST', headers, body });
    expect(warned.status).toBe(201);
    expect(warned.json()).not.toHaveProperty('extra');
    const invalid = await raw(`${path}?fieldValidation=Loose`, { method: 'POST', headers, body });
    expect(invalid.status).toBe(422);
    expect(invalid.json()).toMatchObject({
      message:
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "Ignore", "Strict", "Warn"',
    });
  });

  test('a body the sandbox cannot decode (protobuf) is 415, naming what it accepts', async () => {
    const res = await raw(`${h.url}/api/v1/namespaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
      body: 'k8s\u0000',
    });
    expect(res.status).toBe(415);
    expect(res.json()).toMatchObject({
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json',
    });
  });

  test('strategic merge patches merge containers by name and are refused for custom resources', async () => {
    const patched = await raw(`${h.url}/api/v1/namespaces/team-a/pods/web`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({
        spec: {
          $setElementOrder: undefined,
          containers: [{ name: 'main', env: [{ name: 'A', value: '1' }] }],
        },
      }),
    });
    expect(patched.status).toBe(200);
    expect((patched.json() as { spec: { containers: unknown[] } }).spec.containers).toEqual([
      { name: 'main', image: 'registry.sandbox.local/demo:1', env: [{ name: 'A', value: '1' }] },
    ]);
    h.ctx.store.create(Kinds.Workflow, { metadata: { name: 'wf', namespace: 'team-a' }, spec: {} });
    const refused = await raw(`${h.url}/apis/argoproj.io/v1alpha1/namespaces/team-a/workflows/wf`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: '{}',
    });
    expect(refused.status).toBe(415);
  });

  test('OpenAPI v3: an index of group-versions, and PATCH operations with fieldValidation and their patch types', async () => {
    const index = (await raw(`${h.url}/openapi/v3`)).json() as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    expect(index.paths['api/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    const apps = (await raw(`${h.url}${index.paths['apis/apps/v1']?.serverRelativeURL ?? ''}`)).json() as {
      paths: Record<string, { patch?: Record<string, unknown> }>;
    };
    const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch;
    expect(patch).toMatchObject({
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: 'apps', version: 'v1', kind: 'Deployment' },
      parameters: expect.arrayContaining([expect.objectContaining({ name: 'fieldValidation', in: 'query' })]),
      requestBody: {
        content: expect.objectContaining({ 'application/strategic-merge-patch+json': { schema: {} } }),
      },
    });
    expect((await raw(`${h.url}/openapi/v3/apis/nothing.io/v1`)).status).toBe(404);
  });
});

async function waitLines(lines: () => string[], count: number): Promise<void> {
  for (let i = 0; i < 200 && lines().length < count; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
