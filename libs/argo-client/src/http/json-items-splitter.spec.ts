import { JsonItemsSplitter } from './json-items-splitter';

function split(body: string, chunkSize: number): { items: unknown[]; complete: boolean } {
  const splitter = new JsonItemsSplitter();
  const bytes = Buffer.from(body, 'utf8');
  const items: unknown[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize)
    for (const text of splitter.push(bytes.subarray(i, i + chunkSize))) items.push(JSON.parse(text));
  return { items, complete: splitter.complete };
}

describe(JsonItemsSplitter.name, () => {
  const items = [
    { metadata: { name: 'a', labels: { 'x/y': 'z' } }, status: { list: [1, [2, { k: '}]' }]] } },
    { metadata: { name: 'b "quoted" \\ ü €' }, spec: { items: [{ not: 'these' }] } },
    { metadata: { name: 'c' }, status: {} },
  ];
  const body = JSON.stringify({ metadata: { resourceVersion: '12', items: '[{' }, items });

  it.each([1, 2, 3, 7, 64, 100_000])('cuts out each element of items, in chunks of %d bytes', (size) => {
    expect(split(body, size)).toEqual({ items, complete: true });
  });

  it.each([
    ['null items', '{"metadata":{},"items":null}'],
    ['no items', '{"metadata":{}}'],
    ['empty items', '{"metadata":{},"items":[]}'],
  ])('finds nothing in %s', (_name, text) => {
    expect(split(text, 5)).toEqual({ items: [], complete: true });
  });

  it('says when the body stopped mid-way', () => {
    expect(split(body.slice(0, body.length - 20), 16).complete).toBe(false);
  });
});
