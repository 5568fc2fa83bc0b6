import type { CoreV1Event } from '@kubernetes/client-node';
import { cachedEventOf, newestAppEvents } from './cached-event';

/** An Event as client-node hands it over: Dates, and fields nobody shows. */
const kubeEvent = (
  uid: string,
  name: string,
  lastTimestamp: string,
  overrides: Partial<CoreV1Event> = {},
): CoreV1Event => ({
  metadata: {
    uid,
    name: `${name}.${uid}`,
    namespace: 'shop-dev',
    resourceVersion: '7',
    creationTimestamp: new Date('2026-01-01T00:00:00Z'),
    managedFields: [{ manager: 'kubelet', operation: 'Update', time: new Date('2026-01-01T00:00:00Z') }],
  },
  involvedObject: {
    kind: 'Pod',
    name,
    namespace: 'shop-dev',
    uid: `pod-${uid}`,
    fieldPath: 'spec.containers{web}',
  },
  reason: 'Pulled',
  message: `pulled for ${name}`,
  type: 'Normal',
  count: 2,
  firstTimestamp: new Date('2026-01-01T00:00:00Z'),
  lastTimestamp: new Date(lastTimestamp),
  source: { component: 'kubelet', host: 'node-1' },
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
  ...overrides,
});

describe(cachedEventOf.name, () => {
  it('keeps what clients are sent as plain strings, and no Date or model object', () => {
    const cached = cachedEventOf(kubeEvent('u1', 'shop-abc', '2026-01-01T00:00:05Z'));
    expect(cached).toEqual({
      key: 'u1',
      resourceVersion: '7',
      objectName: 'shop-abc',
      view: {
        uid: 'u1',
        type: 'Normal',
        reason: 'Pulled',
        message: 'pulled for shop-abc',
        object: { kind: 'Pod', name: 'shop-abc' },
        count: 2,
        firstSeen: '2026-01-01T00:00:00.000Z',
        lastSeen: '2026-01-01T00:00:05.000Z',
        source: 'kubelet',
      },
      order: [Date.parse('2026-01-01T00:00:05Z'), 0, 7],
    });
    const values = (value: unknown): unknown[] =>
      value !== null && typeof value === 'object'
        ? [value, ...Object.values(value).flatMap(values)]
        : [value];
    expect(values(cached).some((v) => v instanceof Date)).toBe(false);
  });

  it('is known by namespace/name when the event has no uid', () => {
    const event = kubeEvent('u2', 'shop', '2026-01-01T00:00:01Z');
    delete event.metadata.uid;
    expect(cachedEventOf(event).key).toBe('shop-dev/shop.u2');
  });
});

describe(newestAppEvents.name, () => {
  it.each([
    [
      'later lastTimestamp first',
      [
        ['a', 'shop-1', '2026-01-01T00:00:01Z'],
        ['b', 'shop-2', '2026-01-01T00:00:02Z'],
      ],
      ['b', 'a'],
    ],
    [
      "other apps' objects left out",
      [
        ['a', 'shop-1', '2026-01-01T00:00:01Z'],
        ['b', 'shopper-1', '2026-01-01T00:00:02Z'],
      ],
      ['a'],
    ],
    ['the app object itself counts', [['a', 'shop', '2026-01-01T00:00:01Z']], ['a']],
    [
      'at most the limit',
      [
        ['a', 'shop-1', '2026-01-01T00:00:01Z'],
        ['b', 'shop-1', '2026-01-01T00:00:03Z'],
        ['c', 'shop-1', '2026-01-01T00:00:02Z'],
      ],
      ['b', 'c'],
    ],
  ])('orders %s', (_case, events, expected) => {
    const cached = events.map(([uid = '', name = '', at = '']) => cachedEventOf(kubeEvent(uid, name, at)));
    expect(newestAppEvents(cached, 'shop', 2).map((e) => e.uid)).toEqual(expected);
  });

  it('orders events of one second by their MicroTime, then by version', () => {
    const second = '2026-01-01T00:00:01Z';
    const cached = [
      cachedEventOf(kubeEvent('a', 'shop-1', second, { eventTime: new Date('2026-01-01T00:00:01.100Z') })),
      cachedEventOf(kubeEvent('b', 'shop-1', second, { eventTime: new Date('2026-01-01T00:00:01.300Z') })),
      cachedEventOf({ ...kubeEvent('c', 'shop-1', second), metadata: { uid: 'c', resourceVersion: '9' } }),
      cachedEventOf({ ...kubeEvent('d', 'shop-1', second), metadata: { uid: 'd', resourceVersion: '8' } }),
    ];
    expect(newestAppEvents(cached, 'shop', 10).map((e) => e.uid)).toEqual(['b', 'a', 'c', 'd']);
  });
});
