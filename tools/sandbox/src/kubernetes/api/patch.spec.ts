import { jsonPatch, mergePatch, patchTypeOf } from './patch';
import { KubeApiError } from './status';

describe(jsonPatch.name, () => {
  const doc = { a: { b: [1, 2, 3] }, c: 'x' };

  test.each([
    ['add to an array end', [{ op: 'add', path: '/a/b/-', value: 4 }], { a: { b: [1, 2, 3, 4] }, c: 'x' }],
    ['add at an array index', [{ op: 'add', path: '/a/b/0', value: 0 }], { a: { b: [0, 1, 2, 3] }, c: 'x' }],
    ['remove from an array', [{ op: 'remove', path: '/a/b/1' }], { a: { b: [1, 3] }, c: 'x' }],
    ['replace a member', [{ op: 'replace', path: '/c', value: 'y' }], { a: { b: [1, 2, 3] }, c: 'y' }],
    ['move a member', [{ op: 'move', from: '/c', path: '/d' }], { a: { b: [1, 2, 3] }, d: 'x' }],
    [
      'copy a member',
      [{ op: 'copy', from: '/a/b', path: '/e' }],
      { a: { b: [1, 2, 3] }, c: 'x', e: [1, 2, 3] },
    ],
    [
      'test then replace',
      [
        { op: 'test', path: '/a/b/2', value: 3 },
        { op: 'replace', path: '/a/b/2', value: 9 },
      ],
      { a: { b: [1, 2, 9] }, c: 'x' },
    ],
  ])('%s', (_name, ops, expected) => {
    expect(jsonPatch(doc, ops)).toEqual(expected);
    expect(doc).toEqual({ a: { b: [1, 2, 3] }, c: 'x' });
  });

  test.each([
    ['a failed test', [{ op: 'test', path: '/c', value: 'z' }], 422],
    ['a missing path', [{ op: 'replace', path: '/nope', value: 1 }], 422],
    ['an unknown op', [{ op: 'frobnicate', path: '/c' }], 400],
    ['a document that is not a list', { op: 'add' }, 400],
  ])('%s is refused', (_name, ops, code) => {
    expect(catchError(() => jsonPatch(doc, ops)).status.code).toBe(code);
  });
});

describe(mergePatch.name, () => {
  test('merges objects, deletes on null, replaces lists', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [3] })).toEqual({
      a: { b: 1, d: 3 },
      l: [3],
    });
  });
});

describe(patchTypeOf.name, () => {
  test.each([
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/json-patch+json; charset=utf-8', 'json'],
  ])('%s', (contentType, type) => expect(patchTypeOf(contentType)).toBe(type));

  test('anything else is 415', () => {
    const error = catchError(() => patchTypeOf('application/apply-patch+yaml'));
    expect(error.status).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
  });
});

function catchError(fn: () => unknown): KubeApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KubeApiError) return error;
    throw error;
  }
  throw new Error('expected a KubeApiError');
}
