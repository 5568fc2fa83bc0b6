import { FieldFilter } from './field-filter';
import { GrpcCode, httpStatusFromCode } from './grpc-status';

const filter = (fields: string): FieldFilter => {
  const parsed = FieldFilter.fromQuery(new URLSearchParams({ fields }));
  if (parsed === undefined) throw new Error('no filter');
  return parsed;
};

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

  it('re-marshals with sorted keys, like a Go map', () => {
    expect(JSON.stringify(filter('result.b,result.a').apply({ result: { b: 1, a: 2, c: 3 } }))).toBe(
      '{"result":{"a":2,"b":1}}',
    );
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
