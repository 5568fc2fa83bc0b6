import { cachedEventOf, type CachedEvent } from './cached-event';
import { relistChanges } from './relist-changes';

const event = (uid: string, resourceVersion: string): CachedEvent =>
  cachedEventOf({
    metadata: { uid, resourceVersion, namespace: 'ns', name: uid },
    involvedObject: { name: 'shop-1' },
  });

describe(relistChanges.name, () => {
  const known = new Map([event('a', '1'), event('b', '2'), event('c', '3')].map((e) => [e.key, e]));

  it.each([
    ['nothing when the list matches', [event('a', '1'), event('b', '2'), event('c', '3')], []],
    [
      'an event the watch lost',
      [event('a', '1'), event('b', '2'), event('c', '3'), event('d', '9')],
      ['ADDED d'],
    ],
    ['an event counted up meanwhile', [event('a', '1'), event('b', '7'), event('c', '3')], ['MODIFIED b']],
    ['an event that expired', [event('a', '1'), event('b', '2')], ['DELETED c']],
  ])('reports %s', (_case, listed, expected) => {
    expect(relistChanges(known, listed).map((c) => `${c.event.type} ${c.event.object.key}`)).toEqual(
      expected,
    );
  });
});
