import { Cluster } from 'ioredis';
import { startRedisClusterSetup, type RedisClusterSetup } from '../testing/redis-cluster-setup';
import { redisCommand } from '../testing/redis-server-process';
import { waitUntil } from '../testing/wait-until';
import { closeRedisClient } from './redis-close';
import { createRedisClient, type RedisClient } from './redis-client';
import { RedisReadiness } from './redis-readiness';

// Touches three keys of one hash tag at once, as the summary's scripts do.
const MOVE_LUA = `
  local value = redis.call('GET', KEYS[1])
  redis.call('SET', KEYS[2], value)
  redis.call('ZADD', KEYS[3], 0, ARGV[1])
  redis.call('DEL', KEYS[1])
  return redis.call('ZCARD', KEYS[3])`;

describe('a client in cluster mode (real three-master Redis Cluster)', () => {
  let setup: RedisClusterSetup;
  let client: RedisClient;

  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    setup = await startRedisClusterSetup();
    cleanups.push(() => setup.stop());
    client = createRedisClient(setup.settings, 'cluster-test');
    cleanups.push(() => closeRedisClient(client));
    await waitUntil(() => client.ping(), 5000);
  }, 30_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('is a Cluster client that reports ready', async () => {
    expect(client).toBeInstanceOf(Cluster);
    await expect(new RedisReadiness(client).check()).resolves.toBeUndefined();
  });

  it('spreads keys without a shared tag over the masters', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `spread:${i}`);
    for (const key of keys) await client.set(key, key);
    const perNode = await Promise.all(setup.ports.map((port) => redisCommand(port, (r) => r.dbsize())));
    expect(perNode.filter((count) => count > 0)).toHaveLength(setup.ports.length);
    expect(await client.get('spread:7')).toBe('spread:7');
  });

  it('runs a multi-key script, a pipeline and a transaction on keys of one hash tag', async () => {
    client.defineCommand('tagMove', { numberOfKeys: 3, lua: MOVE_LUA });
    const scripted = client as RedisClient & { tagMove(...args: string[]): Promise<number> };
    await client.set('{summary}:from', 'record');
    expect(await scripted.tagMove('{summary}:from', '{summary}:to', '{summary}:idx', 'a')).toBe(1);
    const piped = await client
      .pipeline()
      .set('{summary}:app:a', '1')
      .zadd('{summary}:idx', 0, 'b')
      .zcard('{summary}:idx')
      .exec();
    expect(piped?.map(([error, value]) => [error, value])).toEqual([
      [null, 'OK'],
      [null, 1],
      [null, 2],
    ]);
    const tx = await client.multi().get('{summary}:to').zrange('{summary}:idx', 0, -1).exec();
    expect(tx?.map(([, value]) => value)).toEqual(['record', ['a', 'b']]);
  });

  it('refuses a multi-key command across slots, which is why keys that go together share a tag', async () => {
    await expect(client.eval(MOVE_LUA, 3, 'no-tag:from', 'no-tag:to', 'no-tag:idx', 'a')).rejects.toThrow(
      /CROSSSLOT/,
    );
  });

  it('delivers pub/sub messages published on any node', async () => {
    const subscriber = createRedisClient(setup.settings, 'cluster-test-subscriber', 'subscriber');
    try {
      const received = new Promise<string>((resolve) =>
        subscriber.on('message', (_c: string, m: string) => resolve(m)),
      );
      await subscriber.subscribe('{summary}:changes');
      await Promise.all(
        setup.ports.map((port) => redisCommand(port, (r) => r.publish('{summary}:changes', `from ${port}`))),
      );
      expect(await received).toMatch(/^from \d+$/);
    } finally {
      await closeRedisClient(subscriber);
    }
  });

  it('reports not ready once a master is gone (its slots have no owner)', async () => {
    await setup.stopNode(setup.ports[2] ?? 0);
    await waitUntil(
      () =>
        expect(new RedisReadiness(client).check()).rejects.toThrow(/cluster_state:fail|Connection|connect/),
      15_000,
      200,
    );
  }, 30_000);
});
