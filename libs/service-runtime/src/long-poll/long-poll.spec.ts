import { LongPoll } from './long-poll';

describe(LongPoll.name, () => {
  it('answers a burst delivered at once in one answer, on the next turn, with the last id as cursor', async () => {
    const poll = new LongPoll('a.1');
    poll.add({ event: 'log', id: 'a.2', data: 1 });
    poll.add({ event: 'log', id: 'a.3', data: 2 });
    expect(poll.finished).toBe(false);
    expect(await poll.answer).toEqual({
      events: [
        { event: 'log', id: 'a.2', data: 1 },
        { event: 'log', id: 'a.3', data: 2 },
      ],
      cursor: 'a.3',
    });
    expect(poll.add({ event: 'log', id: 'a.4', data: 3 })).toBe(false);
  });

  it('moves the cursor past events the client is not sent (not its to see)', async () => {
    const poll = new LongPoll('a.1');
    poll.advance('a.5');
    poll.finish();
    expect(await poll.answer).toEqual({ events: [], cursor: 'a.5' });
  });

  it('answers nothing with the same cursor when finished empty, and keeps the cursor for events without id', async () => {
    const empty = new LongPoll('a.7');
    empty.finish();
    expect(await empty.answer).toEqual({ events: [], cursor: 'a.7' });
    const expired = new LongPoll('a.7');
    expired.finish({ event: 'unauthorized', data: { message: 'expired' } });
    expect(await expired.answer).toEqual({
      events: [{ event: 'unauthorized', data: { message: 'expired' } }],
      cursor: 'a.7',
    });
  });

  it('takes no more than its limit; the cursor stays at the last event taken', async () => {
    const poll = new LongPoll('a.0', 2);
    const taken = [1, 2, 3].map((n) => poll.add({ event: 'n', id: `a.${n}`, data: n }));
    expect(taken).toEqual([true, true, false]);
    // Past what it could not take, the cursor does not move on, or the next poll would skip it.
    poll.advance('a.9');
    expect((await poll.answer).cursor).toBe('a.2');
  });
});
