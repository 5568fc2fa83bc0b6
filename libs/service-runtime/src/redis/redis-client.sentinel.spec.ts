import { Redis } from 'ioredis';
import { waitUntil } from '../testing/wait-until';
import { startRedisSentinelSetup, type RedisSentinelSetup } from '../testing/redis-sentinel-setup';
import { closeRedisClient } from './redis-close';
import { createRedisClient, type RedisClient } from './redis-client';
import { RedisReadiness } from './redis-readiness';

/** The port of the server a client is connected to, as that server reports it. */
async function serverPort(client: RedisClient): Promise<number> {
  return Number(/^tcp_port:(\d+)/m.exec(await client.info('server'))?.[1]);
}

describe('a client in sentinel mode (real master, replica and Sentinel)', () => {
  let setup: RedisSentinelSetup;
  let client: RedisClient;

  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    setup = await startRedisSentinelSetup();
    cleanups.push(() => setup.stop());
    client = createRedisClient(setup.settings, 'sentinel-test');
    cleanups.push(() => closeRedisClient(client));
    await waitUntil(() => client.ping(), 5000);
  }, 30_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    // After a failover ioredis disconnects its old failover detector twice; the second time arms a
    // 2 s socket-destroy timer on a socket already closed. Outwait it so jest exits cleanly.
    await new Promise((resolve) => setTimeout(resolve, 2100));
  });

  it('reaches the master the Sentinel names, and reports ready', async () => {
    expect(client).toBeInstanceOf(Redis);
    expect(await serverPort(client)).toBe(setup.masterPort);
    expect(await client.set('{ha}:before', 'written to the first master')).toBe('OK');
    // Replication is asynchronous: make sure the replica has the write before it gets promoted.
    expect(await client.wait(1, 2000)).toBe(1);
    await expect(new RedisReadiness(client).check()).resolves.toBeUndefined();
  });

  it('follows a failover to the promoted replica and keeps working', async () => {
    await setup.failover();
    // Commands fail fast while the client moves (never queued): retry until it reached the new master.
    await waitUntil(
      async () => {
        if ((await serverPort(client)) !== setup.replicaPort) throw new Error('still on the old master');
        await client.set('{ha}:after', 'written to the new master');
      },
      15_000,
      100,
    );
    expect(await client.get('{ha}:before')).toBe('written to the first master');
    expect(await client.get('{ha}:after')).toBe('written to the new master');
    expect(await client.call('ROLE')).toEqual(expect.arrayContaining(['master']));
    await expect(new RedisReadiness(client).check()).resolves.toBeUndefined();
  }, 30_000);
});
