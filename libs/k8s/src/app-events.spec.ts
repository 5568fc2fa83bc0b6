import type { CoreV1Event } from '@kubernetes/client-node';
import { selectAppEvents } from './app-events';
import { parseTimestampedLine } from './pod-log-line';

const event = (uid: string, name: string, last: string, count = 1, type = 'Normal'): CoreV1Event => ({
  metadata: { uid, name: `${name}.${uid}`, namespace: 'shop' },
  involvedObject: { kind: 'Pod', name, namespace: 'shop' },
  reason: 'Pulled',
  type,
  count,
  lastTimestamp: new Date(last),
});

describe(selectAppEvents.name, () => {
  it('keeps the app objects, newest first, one entry per uid with its highest count', () => {
    const events = [
      event('1', 'shop-7d9f-abcde', '2026-11-26T10:00:00Z'),
      event('2', 'shop', '2026-11-26T10:05:00Z'),
      event('1', 'shop-7d9f-abcde', '2026-11-26T10:07:00Z', 3),
      event('3', 'blog-123', '2026-11-26T10:09:00Z'),
      event('4', 'shop-7d9f-xyz12', '2026-11-26T10:08:00Z', 1, 'Warning'),
    ];
    const selected = selectAppEvents(events, { namespace: 'shop', names: ['shop'], namePrefixes: ['shop-'] });
    expect(selected.map((e) => [e.metadata.uid, e.count])).toEqual([
      ['4', 1],
      ['1', 3],
      ['2', 1],
    ]);
    expect(
      selectAppEvents(events, { namespace: 'shop', namePrefixes: ['shop-'], type: 'Warning' }),
    ).toHaveLength(1);
    expect(selectAppEvents(events, { namespace: 'shop', namePrefixes: ['shop'], limit: 2 })).toHaveLength(2);
  });
});

describe(parseTimestampedLine.name, () => {
  it.each([
    [
      '2026-11-26T04:10:00.123456789Z GET /healthz 200',
      { time: '2026-11-26T04:10:00.123456789Z', line: 'GET /healthz 200' },
    ],
    ['plain line', { time: '', line: 'plain line' }],
    ['2026-11-26T04:10:00Z ', { time: '2026-11-26T04:10:00Z', line: '' }],
  ])('splits %j', (raw, expected) => {
    expect(parseTimestampedLine(raw)).toEqual(expected);
  });
});
