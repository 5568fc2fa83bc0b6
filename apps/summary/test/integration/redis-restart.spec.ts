import { startSandbox, type Sandbox } from '@platform/sandbox';
import { freePort, signTestToken } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { essentials, sandboxTruth, servedApps } from '../support/sandbox-truth';
import { sandboxEnv, startReplica, testPrefix, until, type Replica } from '../support/summary-harness';

/** A throwaway redis-server of this test's own (never the shared one): it gets killed. */
async function privateRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await until(async () => {
    const client = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  }, 5000);
  return child;
}

describe('summary after Redis restarts empty', () => {
  let sandbox: Sandbox;
  let redis: ChildProcess;
  let port: number;
  let replica: Replica;
  let admin: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 10 });
    await fetch(`${sandbox.urls.admin}/admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apps: 20, teams: 2, podsPerApp: 1 }),
    });
    port = await freePort();
    redis = await privateRedis(port);
    replica = await startReplica(
      sandboxEnv(sandbox, {
        REDIS_URL: `redis://127.0.0.1:${port}`,
        SUMMARY_KEY_PREFIX: testPrefix(),
        POD_NAME: 'restart-1',
      }),
    );
    admin = await signTestToken({ sub: 'root', teams: [], groups: ['platform-admins'] });
  }, 60_000);
  afterAll(async () => {
    await replica.close();
    redis.kill('SIGKILL');
    await sandbox.stop();
  });

  it('rebuilds every summary (and the changes made meanwhile) within 5 s of Redis coming back', async () => {
    await until(async () =>
      expect((await servedApps(replica.base, admin)).map(essentials)).toEqual(sandboxTruth(sandbox)),
    );
    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    const down = await fetch(`${replica.base}/summary/v1/apps`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(down.status).toBe(503);
    await fetch(`${sandbox.urls.admin}/admin/apps/team-01-dev/app-00001/crash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ crash: true }),
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    redis = await privateRedis(port);
    await until(
      async () =>
        expect((await servedApps(replica.base, admin)).map(essentials)).toEqual(sandboxTruth(sandbox)),
      5000,
    );
    const crashed = (await servedApps(replica.base, admin)).find((a) => a.app === 'app-00001');
    expect(crashed?.health.status).not.toBe('Healthy');
  }, 60_000);
});
