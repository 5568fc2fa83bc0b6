import { Kinds, startSandbox, type Sandbox } from '@platform/sandbox';
import { freePort, signTestToken } from '@platform/service-runtime/testing';
import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { essentials, sandboxTruth, servedApps } from '../support/sandbox-truth';
import { sandboxEnv, startReplica, testPrefix, until, type Replica } from '../support/summary-harness';

/**
 * A throwaway redis-server of this test's own (never the shared one): it gets killed. It saves a
 * snapshot in `dir` only when told to (SAVE), and loads the last one when it starts.
 */
async function privateRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
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

describe('summary after Redis restarts', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'summary-redis-restart-'));
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
    redis = await privateRedis(port, dir);
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
    rmSync(dir, { recursive: true, force: true });
  });

  const restart = async (): Promise<void> => {
    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    redis = await privateRedis(port, dir);
  };
  const servedIsTruth = async (): Promise<void> =>
    expect((await servedApps(replica.base, admin)).map(essentials)).toEqual(sandboxTruth(sandbox));

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
    redis = await privateRedis(port, dir);
    await until(
      async () =>
        expect((await servedApps(replica.base, admin)).map(essentials)).toEqual(sandboxTruth(sandbox)),
      5000,
    );
    const crashed = (await servedApps(replica.base, admin)).find((a) => a.app === 'app-00001');
    expect(crashed?.health.status).not.toBe('Healthy');
  }, 60_000);

  it('rewrites what Redis lost when it comes back from a snapshot older than the last writes', async () => {
    await until(servedIsTruth);
    const client = new Redis(port, '127.0.0.1');
    try {
      await client.save();
    } finally {
      client.disconnect();
    }
    // A change the leader writes once and never again: nothing but the lost write would carry it.
    const scaled = sandbox.ctx.store
      .list(Kinds.Deployment)
      .items.find((d) => d.metadata.name === 'app-00003');
    sandbox.ctx.store.mutate(Kinds.Deployment, scaled?.metadata.namespace ?? '', 'app-00003', (d) => {
      (d.spec as { replicas: number }).replicas = 0;
    });
    await until(async () => {
      await servedIsTruth();
      const app = (await servedApps(replica.base, admin)).find((a) => a.app === 'app-00003');
      expect(app?.pods).toMatchObject({ ready: 0, total: 0 });
    });
    // Redis comes back with its epoch (the leader's writes are accepted) but without that change.
    await restart();
    await until(servedIsTruth, 5000);
  }, 60_000);
});
