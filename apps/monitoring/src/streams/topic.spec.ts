import { parseReplayPosition, type ReplayPosition } from '@platform/service-runtime';
import { Topic, type TopicEntry, type TopicFeed, type TopicListener } from './topic';

const at = (id: string): ReplayPosition | undefined => parseReplayPosition(id);

function recorder(): TopicListener & {
  got: Array<Pick<TopicEntry, 'event' | 'data'>>;
  ids: string[];
  ended: boolean;
} {
  const r = {
    got: [] as Array<Pick<TopicEntry, 'event' | 'data'>>,
    ids: [] as string[],
    ended: false,
    deliver: (entry: TopicEntry) => {
      r.got.push({ event: entry.event, data: entry.data });
      r.ids.push(entry.id);
    },
    end: () => {
      r.ended = true;
    },
  };
  return r;
}

function startedTopic(capacity = 100): { topic: Topic; feed: TopicFeed; stopped: () => boolean } {
  let feed: TopicFeed | undefined;
  let stopped = false;
  const topic = new Topic('t', capacity, (f) => {
    feed = f;
    return () => {
      stopped = true;
    };
  });
  topic.start();
  if (feed === undefined) throw new Error('source not started');
  return { topic, feed, stopped: () => stopped };
}

describe(Topic.name, () => {
  it('gives clients that join at one state and view the same snapshot entry (one encoding), a new one after a change', () => {
    const { topic, feed } = startedTopic();
    const entries: TopicEntry[] = [];
    const keep = (): TopicListener => ({ deliver: (entry) => entries.push(entry), end: () => undefined });
    const state = { lines: ['a'] };
    feed.setState(state);
    const view = (s: unknown): unknown => s;
    topic.subscribe(keep(), undefined, view);
    topic.subscribe(keep(), undefined, view);
    expect(entries[1]).toBe(entries[0]);
    // Another view of the same state is its own snapshot.
    topic.subscribe(keep(), undefined, () => ({ lines: [] }));
    expect(entries[2]).not.toBe(entries[0]);
    feed.publish('log', 'b');
    topic.subscribe(keep(), undefined, view);
    const fresh = entries.filter((e) => e.event === 'snapshot').at(-1);
    expect(fresh).not.toBe(entries[0]);
    expect(fresh?.id).not.toBe(entries[0]?.id);
  });

  it('starts a client that joins before the first state from the snapshot, then live events', () => {
    const { topic, feed } = startedTopic();
    const client = recorder();
    topic.subscribe(client);
    feed.publish('status', 'ignored before the snapshot');
    feed.snapshot({ n: 1 });
    feed.publish('status', { n: 2 });
    expect(client.got).toEqual([
      { event: 'snapshot', data: { n: 1 } },
      { event: 'status', data: { n: 2 } },
    ]);
  });

  it('resumes a cursor it still holds and gives a snapshot of the current state otherwise', () => {
    const { topic, feed } = startedTopic(3);
    feed.snapshot(0);
    const cursor = at(topic.log.lastId);
    feed.publish('n', 1);
    feed.setState(1);
    const resumed = recorder();
    topic.subscribe(resumed, cursor);
    expect(resumed.got).toEqual([{ event: 'n', data: 1 }]);
    for (const n of [2, 3, 4]) {
      feed.publish('n', n);
      feed.setState(n);
    }
    const tooOld = recorder();
    topic.subscribe(tooOld, cursor);
    expect(tooOld.got).toEqual([{ event: 'snapshot', data: 4 }]);
  });

  it('cuts each client its own snapshot from the shared state', () => {
    const { topic, feed } = startedTopic();
    feed.setState([1, 2, 3, 4]);
    const client = recorder();
    topic.subscribe(client, undefined, (state) => (state as number[]).slice(-2));
    expect(client.got).toEqual([{ event: 'snapshot', data: [3, 4] }]);
  });

  it('ends every client after the final event, stops its source, and replays it to late joiners', () => {
    const { topic, feed, stopped } = startedTopic();
    feed.snapshot('running');
    const live = recorder();
    topic.subscribe(live);
    feed.complete('complete', 'done');
    expect(live.got.at(-1)).toEqual({ event: 'complete', data: 'done' });
    expect(live.ended).toBe(true);
    expect(stopped()).toBe(true);
    const late = recorder();
    topic.subscribe(late);
    expect(late.got).toEqual([
      { event: 'snapshot', data: 'running' },
      { event: 'complete', data: 'done' },
    ]);
    expect(late.ended).toBe(true);
    // The final id says `.end`; the late joiner's snapshot has a position of its own before it.
    expect(late.ids[1]).toBe(`${topic.log.epoch}.2.end`);
    expect(late.ids[0]).toBe(`${topic.log.epoch}.1`);
    feed.publish('n', 'after the end');
    expect(live.got.at(-1)).toEqual({ event: 'complete', data: 'done' });
  });

  it('tells a client waiting for a first state about a failure, then ends it', () => {
    const { topic, feed } = startedTopic();
    const waiting = recorder();
    topic.subscribe(waiting);
    feed.complete('upstream-error', { message: 'gone' });
    expect(waiting.got).toEqual([{ event: 'upstream-error', data: { message: 'gone' } }]);
    expect(waiting.ended).toBe(true);
  });

  it('stops delivering to a client that unsubscribed', () => {
    const { topic, feed } = startedTopic();
    feed.snapshot(0);
    const client = recorder();
    const unsubscribe = topic.subscribe(client);
    unsubscribe();
    feed.publish('n', 1);
    expect(client.got).toEqual([{ event: 'snapshot', data: 0 }]);
    expect(topic.listeners).toBe(0);
  });
});
