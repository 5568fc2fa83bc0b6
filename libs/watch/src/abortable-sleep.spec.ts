import { getEventListeners } from 'node:events';
import { abortableSleep } from './abortable-sleep';

describe(abortableSleep.name, () => {
  it('removes its abort listener when the time is up', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 20; i += 1) await abortableSleep(1, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('resolves at once when aborted, and leaves nothing behind', async () => {
    const stop = new AbortController();
    const started = performance.now();
    const sleeping = abortableSleep(60_000, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stop.abort();
    await sleeping;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('does not wait on a signal that was already aborted', async () => {
    const started = performance.now();
    await abortableSleep(60_000, AbortSignal.abort());
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
