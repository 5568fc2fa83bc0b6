import { CachedProbe } from './cached-probe';

describe(CachedProbe.name, () => {
  let clock = 0;
  const now = (): number => clock;

  beforeEach(() => {
    clock = 0;
  });

  it('shares a probe in flight and reuses its outcome until it is ttl old', async () => {
    let calls = 0;
    const probe = new CachedProbe(
      () => {
        calls += 1;
        return Promise.resolve();
      },
      { ttlMs: 1000, timeoutMs: 500 },
      now,
    );
    await Promise.all(Array.from({ length: 50 }, () => probe.run()));
    clock = 999;
    await probe.run();
    expect(calls).toBe(1);
    clock = 1000;
    await probe.run();
    expect(calls).toBe(2);
  });

  it('reuses a failure too, with its reason, and probes again once it is stale', async () => {
    let up = false;
    const probe = new CachedProbe(
      () => (up ? Promise.resolve() : Promise.reject(new Error('connection refused'))),
      { ttlMs: 1000, timeoutMs: 500 },
      now,
    );
    await expect(probe.run()).rejects.toThrow('connection refused');
    up = true;
    await expect(probe.run()).rejects.toThrow('connection refused');
    clock = 1000;
    await expect(probe.run()).resolves.toBeUndefined();
  });

  it('aborts a probe that outlives its timeout and reports it as down', async () => {
    let aborted = false;
    const probe = new CachedProbe(
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          }),
        ),
      { ttlMs: 1000, timeoutMs: 20 },
      now,
    );
    await expect(probe.run()).rejects.toThrow('no answer within 20 ms');
    expect(aborted).toBe(true);
  });
});
