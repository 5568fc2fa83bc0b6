import { FieldFilter } from './field-filter';
import { GrpcCode, httpStatusFromCode } from './grpc-status';

const filter = (fields: string): FieldFilter => {
  const parsed = FieldFilter.fromQuery(new URLSearchParams({ fields }));
  if (parsed === undefined) throw new Error('no filter');
  return parsed;
};

/**
 * argoproj/pkg's algorithm as written there (and in this sandbox before it was made fast): a JSON
 * round trip, then delete every key no listed path starts with, then sort the keys. The oracle the
 * one-pass filter must agree with byte for byte.
 */
function goMarshalerReference(fields: string, value: unknown): string {
  type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
  const exclude = fields.startsWith('-');
  const listed = new Set((exclude ? fields.slice(1) : fields).split(','));
  const processItem = (path: string[], item: Json): void => {
    if (Array.isArray(item)) return item.forEach((element) => processItem(path, element));
    if (item === null || typeof item !== 'object') return;
    for (const key of Object.keys(item)) {
      const fieldPath = [...path, key].join('.');
      const pathIn = listed.has(fieldPath);
      const parentPathIn = pathIn || [...listed].some((field) => field.startsWith(fieldPath));
      if (!(exclude ? !pathIn : parentPathIn)) delete item[key];
      else if (!pathIn) processItem([...path, key], item[key] ?? null);
    }
  };
  const sortKeys = (item: Json): Json => {
    if (Array.isArray(item)) return item.map(sortKeys);
    if (item === null || typeof item !== 'object') return item;
    return Object.fromEntries(
      Object.keys(item)
        .sort()
        .map((key) => [key, sortKeys(item[key] ?? null)]),
    );
  };
  const data = JSON.parse(JSON.stringify(value)) as Json;
  processItem([], data);
  return JSON.stringify(sortKeys(data));
}

describe(FieldFilter.name, () => {
  const list = {
    metadata: { resourceVersion: '7', continue: '2' },
    items: [
      { metadata: { name: 'a', labels: { x: 'y' } }, status: { phase: 'Running', nodes: {} } },
      { metadata: { name: 'b' }, status: { phase: 'Failed' } },
    ],
  };

  it.each([
    ['items.metadata.name', { items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] }],
    [
      'metadata,items.status.phase',
      { items: [{ status: { phase: 'Running' } }, { status: { phase: 'Failed' } }], metadata: list.metadata },
    ],
    [
      '-items.status,metadata.continue',
      {
        items: [{ metadata: { labels: { x: 'y' }, name: 'a' } }, { metadata: { name: 'b' } }],
        metadata: { resourceVersion: '7' },
      },
    ],
    // A key is kept when a listed path merely starts with its dotted path, as in argoproj/pkg.
    ['items.metadata.nameX', { items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] }],
  ])('trims with fields=%s', (fields, expected) => {
    expect(filter(fields).apply(list)).toEqual(expected);
  });

  it('keeps keys that are mere string prefixes of a listed path, and what a prefix path holds if not an object', () => {
    const value = { metadata: { na: 1, name: 'a', namespace: 'n' }, spec: 'text', status: { phase: 'x' } };
    expect(filter('metadata.names,spec.arguments').apply(value)).toEqual({
      metadata: { na: 1, name: 'a' },
      spec: 'text',
    });
  });

  it('gives array elements, nested arrays included, the path of their array', () => {
    const value = { a: [[{ b: 1, c: 2 }], { b: 3, d: 4 }, 'kept', null] };
    expect(filter('a.b').apply(value)).toEqual({ a: [[{ b: 1 }], { b: 3 }, 'kept', null] });
    expect(filter('-a.b').apply(value)).toEqual({ a: [[{ c: 2 }], { d: 4 }, 'kept', null] });
  });

  it('re-marshals with sorted keys, like a Go map', () => {
    expect(JSON.stringify(filter('result.b,result.a').apply({ result: { b: 1, a: 2, c: 3 } }))).toBe(
      '{"result":{"a":2,"b":1}}',
    );
    // Also inside what is kept whole, and what an exclusion does not reach.
    const value = { z: { y: [{ b: 1, a: 2 }], x: 0 }, k: { n: 1, m: 2 }, drop: 1 };
    expect(JSON.stringify(filter('z,k').apply(value))).toBe(
      '{"k":{"m":2,"n":1},"z":{"x":0,"y":[{"a":2,"b":1}]}}',
    );
    expect(JSON.stringify(filter('-drop').apply(value))).toBe(
      '{"k":{"m":2,"n":1},"z":{"x":0,"y":[{"a":2,"b":1}]}}',
    );
  });

  it('writes what JSON would: no undefined members, Dates as text', () => {
    const value = { a: { b: undefined, c: new Date('2026-11-26T10:00:00Z'), d: [undefined] } };
    expect(JSON.stringify(filter('-x').apply(value))).toBe(
      '{"a":{"c":"2026-11-26T10:00:00.000Z","d":[null]}}',
    );
  });

  const workflowList = {
    metadata: { resourceVersion: '12', continue: '2' },
    items: [
      {
        metadata: {
          name: 'ci-shop-x1',
          namespace: 'argo',
          labels: { 'workflows.argoproj.io/phase': 'Succeeded', 'platform-api/app': 'shop' },
          annotations: { 'platform-api/requested-by': 'a@example.com' },
          resourceVersion: '11',
        },
        spec: { arguments: { parameters: [{ name: 'ref', value: 'main' }] }, entrypoint: 'main' },
        status: {
          phase: 'Succeeded',
          nodes: {
            'ci-shop-x1': { id: 'ci-shop-x1', outputs: { parameters: [{ name: 'tag', value: 't' }] } },
          },
          outputs: { parameters: [{ name: 'image', value: 'reg/shop:t' }] },
          progress: '2/2',
        },
      },
      { metadata: { name: 'empty' }, spec: {}, status: {} },
    ],
  };

  it.each([
    'items.metadata.name',
    'items.metadata.nameX',
    'items.meta',
    'items.metadata.labels.workflows.argoproj.io/phase',
    'items.metadata.labels.workflows',
    'metadata.resourceVersion,items.metadata,items.status.outputs.parameters.value',
    'items.spec.arguments.parameters.name,items.status.nodes',
    'items,metadata.',
    'a,,b',
    '-items.status.nodes',
    '-items.status.nodes.ci-shop-x1.outputs,metadata',
    '-items.metadata.labels.workflows.argoproj.io/phase,items.spec.arguments.parameters.value',
    '-items.meta',
    '-',
  ])('writes exactly what argoproj/pkg writes with fields=%s', (fields) => {
    expect(JSON.stringify(filter(fields).apply(workflowList))).toBe(
      goMarshalerReference(fields, workflowList),
    );
    const events = { result: { type: 'MODIFIED', object: workflowList.items[0] } };
    expect(JSON.stringify(filter(fields).apply(events))).toBe(goMarshalerReference(fields, events));
  });

  it('asks for nothing without a fields parameter', () => {
    expect(FieldFilter.fromQuery(new URLSearchParams())).toBeUndefined();
    expect(FieldFilter.fromQuery(new URLSearchParams({ fields: '' }))).toBeUndefined();
  });
});

describe(httpStatusFromCode.name, () => {
  it.each([
    [GrpcCode.InvalidArgument, 400],
    [GrpcCode.FailedPrecondition, 400],
    [GrpcCode.Unauthenticated, 401],
    [GrpcCode.PermissionDenied, 403],
    [GrpcCode.NotFound, 404],
    [GrpcCode.AlreadyExists, 409],
    [GrpcCode.ResourceExhausted, 429],
    [GrpcCode.Internal, 500],
    [GrpcCode.Unimplemented, 501],
  ])('maps gRPC code %i to HTTP %i', (code, status) => {
    expect(httpStatusFromCode(code)).toBe(status);
  });
});
