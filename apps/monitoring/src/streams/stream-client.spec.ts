import type { SseMessage } from '@platform/service-runtime';
import type { MonitoringConfig } from '../config/monitoring-config';
import { StreamClient } from './stream-client';
import { StreamStart } from './stream-start';
import type { TopicFeed } from './topic';
import { TopicHub } from './topic-hub';
import { TopicSession } from './topic-session';
import type { TopicRequest } from './topic-streams';

const config = { streams: { replayEvents: 5, graceMs: 1000 } } as unknown as MonitoringConfig;

/** Topics whose feeds the test drives, served to multiplexed clients as the SSE and poll forms do. */
function multiplexedTopics(refs: string[]): {
  feeds: Map<string, TopicFeed>;
  connect(cursor?: string): { got: SseMessage[]; ended: () => boolean; close(): void };
  hub: TopicHub;
} {
  const hub = new TopicHub(config);
  const feeds = new Map<string, TopicFeed>();
  const requests: TopicRequest[] = refs.map((ref) => ({
    ref,
    key: ref,
    source: () => (feed) => {
      feeds.set(ref, feed);
      return () => undefined;
    },
  }));
  return {
    feeds,
    hub,
    connect(cursor) {
      const got: SseMessage[] = [];
      let ended = false;
      const start = StreamStart.of(cursor, refs, true);
      const client = new StreamClient(
        { send: (message) => got.push(message), end: () => (ended = true) },
        refs,
        start,
        true,
      );
      const session = new TopicSession(hub);
      session.open(requests, start, client, () => false);
      return { got, ended: () => ended, close: () => session.close() };
    },
  };
}

const topicOf = (m: SseMessage): string => (m.data as { topic: string }).topic;
const lastIdOf = (got: SseMessage[]): string | undefined => got.at(-1)?.id;

describe(`${StreamClient.name} (multiplexed)`, () => {
  it('resumes a quiet topic from a cursor made by another topic’s event: no second snapshot, no repeated id', () => {
    const { feeds, connect, hub } = multiplexedTopics(['status:busy', 'status:quiet']);
    const first = connect();
    feeds.get('status:busy')?.snapshot('b0');
    feeds.get('status:quiet')?.snapshot('q0');
    feeds.get('status:busy')?.publish('status', 'b1');
    first.close();
    const ids = first.got.map((m) => m.id);

    // Twice in a row: the quiet topic's position must survive a connection in which it said nothing.
    let cursor = lastIdOf(first.got);
    for (const n of [2, 3]) {
      const again = connect(cursor);
      feeds.get('status:busy')?.publish('status', `b${n}`);
      again.close();
      expect(again.got.map((m) => [topicOf(m), m.event])).toEqual([['status:busy', 'status']]);
      ids.push(...again.got.map((m) => m.id));
      cursor = lastIdOf(again.got);
    }
    expect(new Set(ids).size).toBe(ids.length);
    hub.onModuleDestroy();
  });

  it('sends a snapshot only for the topic whose position fell out of its replay buffer', () => {
    const { feeds, connect, hub } = multiplexedTopics(['status:a', 'status:b']);
    const first = connect();
    feeds.get('status:a')?.snapshot('a0');
    feeds.get('status:b')?.snapshot('b0');
    first.close();
    for (let n = 1; n <= 6; n += 1) feeds.get('status:a')?.publish('status', `a${n}`);
    feeds.get('status:a')?.setState('a6');
    const resumed = connect(lastIdOf(first.got));
    resumed.close();
    expect(resumed.got.map((m) => [topicOf(m), m.event, (m.data as { data: unknown }).data])).toEqual([
      ['status:a', 'snapshot', 'a6'],
    ]);
    hub.onModuleDestroy();
  });

  it('keeps an ended topic’s position in every id, leaves it unsubscribed, and ends once all have', async () => {
    const { feeds, connect, hub } = multiplexedTopics(['task:t', 'status:s']);
    const first = connect();
    feeds.get('task:t')?.snapshot('running');
    feeds.get('status:s')?.snapshot('s0');
    feeds.get('task:t')?.complete('complete', 'done');
    first.close();
    const cursor = lastIdOf(first.got) ?? '';
    expect(cursor).toMatch(/\.end/);
    expect(StreamStart.of(cursor, ['task:t', 'status:s'], true).allEnded(['task:t', 'status:s'])).toBe(false);

    const resumed = connect(cursor);
    feeds.get('status:s')?.complete('upstream-error', 'gone');
    await new Promise((resolve) => setImmediate(resolve));
    expect(resumed.got.map((m) => [topicOf(m), m.event])).toEqual([['status:s', 'upstream-error']]);
    expect(resumed.ended()).toBe(true);
    const last = lastIdOf(resumed.got) ?? '';
    expect(last.match(/\.end/g)).toHaveLength(2);
    expect(StreamStart.of(last, ['task:t', 'status:s'], true).allEnded(['task:t', 'status:s'])).toBe(true);
    resumed.close();
    hub.onModuleDestroy();
  });
});
