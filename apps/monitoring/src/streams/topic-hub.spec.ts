import type { MonitoringConfig } from '../config/monitoring-config';
import type { TopicSource } from './topic';
import { TopicHub } from './topic-hub';

describe(TopicHub.name, () => {
  const config = { streams: { replayEvents: 10, graceMs: 50 } } as unknown as MonitoringConfig;

  function countingSource(): { source: () => TopicSource; starts: () => number; stops: () => number } {
    let starts = 0;
    let stops = 0;
    return {
      source: () => () => {
        starts += 1;
        return () => {
          stops += 1;
        };
      },
      starts: () => starts,
      stops: () => stops,
    };
  }

  it('shares one source between holders and stops it a grace period after the last leaves', async () => {
    const hub = new TopicHub(config);
    const counting = countingSource();
    const topics = Array.from({ length: 100 }, () => hub.acquire('k', counting.source));
    expect(counting.starts()).toBe(1);
    expect(new Set(topics).size).toBe(1);
    topics.forEach((t) => hub.release(t));
    expect(counting.stops()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(counting.stops()).toBe(1);
    expect(hub.size).toBe(0);
  });

  it('keeps the source when a client comes back within the grace period', async () => {
    const hub = new TopicHub(config);
    const counting = countingSource();
    hub.release(hub.acquire('k', counting.source));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = hub.acquire('k', counting.source);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect([counting.starts(), counting.stops()]).toEqual([1, 0]);
    hub.release(again);
    hub.onModuleDestroy();
    expect(counting.stops()).toBe(1);
  });
});

describe(`${TopicHub.name}.holdFor`, () => {
  it('keeps a topic for a long-poll client between its polls, with one timer however often it polls', async () => {
    const hub = new TopicHub({ streams: { replayEvents: 10, graceMs: 10 } } as unknown as MonitoringConfig);
    let stops = 0;
    const source = (): TopicSource => () => () => (stops += 1);
    for (let poll = 0; poll < 5; poll += 1) {
      const topic = hub.acquire('k', source);
      hub.holdFor(topic, 60);
      hub.release(topic);
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect([hub.size, stops]).toEqual([1, 0]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([hub.size, stops]).toEqual([0, 1]);
  });
});
