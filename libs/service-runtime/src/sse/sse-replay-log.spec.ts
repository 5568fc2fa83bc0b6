import { SseReplayLog } from './sse-replay-log';

describe(SseReplayLog.name, () => {
  it('resumes after a kept id with exactly the later events', () => {
    const log = new SseReplayLog<number>(10);
    const ids = [1, 2, 3, 4].map((n) => log.append('n', n).id);
    expect(log.after(ids[1]!)?.map((e) => e.data)).toEqual([3, 4]);
    expect(log.after(ids[3]!)).toEqual([]);
    expect(log.after(`${log.epoch}.0`)?.map((e) => e.data)).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['another epoch', 'zzzz.2'],
    ['a position never reached', 'SELF.9'],
    ['garbage', 'not-an-id'],
    ['a negative position', 'SELF.-1'],
  ])('refuses %s', (_what, id) => {
    const log = new SseReplayLog<number>(10);
    log.append('n', 1);
    expect(log.after(id.replace('SELF', log.epoch))).toBeUndefined();
  });

  it('refuses a position that fell out of the bounded log', () => {
    const log = new SseReplayLog<number>(2);
    const first = log.append('n', 1).id;
    const second = log.append('n', 2).id;
    log.append('n', 3);
    log.append('n', 4);
    expect(log.after(first)).toBeUndefined();
    expect(log.after(second)?.map((e) => e.data)).toEqual([3, 4]);
  });
});

describe(`${SseReplayLog.name} at the end of a stream`, () => {
  it('marks the last event `.end`, resumes up to it, and takes nothing after it', () => {
    const log = new SseReplayLog<string>(10);
    const first = log.append('task', 'running').id;
    const last = log.end('complete', 'done');
    expect(last.id).toBe(`${log.epoch}.2.end`);
    expect(log.lastId).toBe(last.id);
    expect(log.isEnded).toBe(true);
    expect(log.after(first)?.map((e) => e.event)).toEqual(['complete']);
    expect(log.after(last.id)).toEqual([]);
    expect(() => log.append('task', 'late')).toThrow(/has ended/);
  });
});
