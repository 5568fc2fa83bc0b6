import { EventEmitter } from 'node:events';
import type { FastifyReply } from 'fastify';
import { ShutdownCoordinator } from '../shutdown/shutdown-coordinator';
import { LongPolls } from './long-polls';

/** The part of a reply a poll uses: its raw response's 'close', and what it sends. */
function fakeReply(): { reply: FastifyReply; sent: unknown[]; raw: EventEmitter } {
  const raw = new EventEmitter();
  const sent: unknown[] = [];
  const reply = {
    raw,
    header: () => reply,
    send: (body: unknown) => sent.push(body),
  } as unknown as FastifyReply;
  return { reply, sent, raw };
}

describe(LongPolls.name, () => {
  it('answers empty after the wait, with the cursor it was asked with', async () => {
    const polls = new LongPolls(new ShutdownCoordinator());
    const { reply, sent } = fakeReply();
    const poll = polls.start(reply, { cursor: 'c.1', waitMs: 30 });
    expect(polls.count).toBe(1);
    await polls.respond(reply, poll);
    expect(sent).toEqual([{ events: [], cursor: 'c.1' }]);
    expect(polls.count).toBe(0);
  });

  it('ends the answer with the expiry event when the token expires before the wait is over', async () => {
    const polls = new LongPolls(new ShutdownCoordinator());
    const { reply, sent } = fakeReply();
    const last = { event: 'unauthorized', data: { message: 'expired' } };
    const poll = polls.start(reply, { cursor: 'c.1', waitMs: 60_000, expiry: { at: Date.now() + 20, last } });
    await polls.respond(reply, poll);
    expect(sent).toEqual([{ events: [last], cursor: 'c.1' }]);
  });

  it('answers every open poll at once when the process starts draining', async () => {
    const shutdown = new ShutdownCoordinator();
    const polls = new LongPolls(shutdown);
    const { reply, sent } = fakeReply();
    const poll = polls.start(reply, { cursor: 'c.1', waitMs: 60_000 });
    poll.add({ event: 'n', id: 'c.2', data: 2 });
    shutdown.beginDraining();
    await polls.respond(reply, poll);
    expect(sent).toEqual([{ events: [{ event: 'n', id: 'c.2', data: 2 }], cursor: 'c.2' }]);
    polls.onModuleDestroy();
  });

  it('sends nothing to a client that left, and lets its poll go at once', async () => {
    const polls = new LongPolls(new ShutdownCoordinator());
    const { reply, sent, raw } = fakeReply();
    const poll = polls.start(reply, { cursor: 'c.1', waitMs: 60_000 });
    raw.emit('close');
    await polls.respond(reply, poll);
    expect([poll.abandoned, sent, polls.count]).toEqual([true, [], 0]);
  });
});
